package dev.llmbench.report.input;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streams Gatling's binary {@code simulation.log} record by record to a {@link Visitor}, in memory
 * bounded by a fixed buffer plus the log's string dictionary (its distinct group names, request
 * names and messages), whatever the size of the log. Written from the format as Gatling
 * {@value #SUPPORTED_GATLING_VERSION} defines it ({@code LogFileDataWriter} writes it,
 * {@code io.gatling.charts.stats.LogFileReader} reads it); a log from any other version is refused,
 * because the format changes between versions without a format number of its own.
 *
 * <h2>Format (Gatling 3.15.1)</h2>
 *
 * All numbers are big-endian. Types used below:
 * <ul>
 *   <li>{@code int32}, {@code int64}: signed two's complement;
 *   <li>{@code bool}: one byte, 1 = true, 0 = false;
 *   <li>{@code string}: {@code int32 n}, the number of bytes of the JDK's internal {@code String}
 *       value; when n = 0 the string is empty and nothing follows; otherwise n bytes, then one
 *       coder byte: 0 = Latin-1 (one byte per char), 1 = UTF-16 (two bytes per char, in the byte
 *       order of the machine that wrote the log, little-endian on x86-64 and aarch64; we decode
 *       with this machine's order, as Gatling's reader does);
 *   <li>{@code cached}: a string through the per-file dictionary: {@code int32 i}; i &gt; 0 adds
 *       entry i (entries are numbered 1, 2, 3... in order of first use) and a {@code string}
 *       follows; i &lt; 0 refers back to entry -i. One dictionary serves group names, request names
 *       and messages;
 *   <li>{@code time}: {@code int32}, milliseconds relative to the run start of the header; this
 *       reader adds the run start and returns milliseconds since the epoch.
 * </ul>
 * The file is a sequence of records, each one type byte and a body; there is no trailer:
 * <table>
 *   <caption>Records</caption>
 *   <tr><th>type</th><th>record</th><th>body</th></tr>
 *   <tr><td>0</td><td>{@link RunHeader}, first and once</td><td>{@code string gatlingVersion, string
 *       simulationClassName, int64 startEpochMillis, string runDescription, int32 n, n x string
 *       scenario (by index), int32 m, m x (int32 len, len bytes of a boopickled assertion)}</td></tr>
 *   <tr><td>1</td><td>{@link RequestRecord}</td><td>{@code int32 g, g x cached group (outermost
 *       first), cached name, time start, time end, bool ok, cached message ("" = none)}</td></tr>
 *   <tr><td>2</td><td>{@link UserRecord}</td><td>{@code int32 scenarioIndex, bool start (true =
 *       user starts, false = ends), time timestamp}</td></tr>
 *   <tr><td>3</td><td>{@link GroupRecord}</td><td>{@code int32 g, g x cached group, time start,
 *       time end, int32 cumulatedResponseTimeMillis, bool ok}</td></tr>
 *   <tr><td>4</td><td>{@link ErrorRecord}</td><td>{@code cached message, time timestamp}</td></tr>
 * </table>
 * Strings are returned as written; Gatling's own reader replaces tabs and line breaks in names and
 * messages by spaces, this one does not.
 *
 * <h2>Errors</h2>
 * Another Gatling version, a file that does not start with a run header, or one cut inside its run
 * header: {@link SimulationLogException}. After the header, a log that is cut short (a killed run;
 * Gatling writes through an 8 KiB buffer) or damaged (an unknown record type, an impossible length,
 * index or flag) is read up to the last whole record, and the {@link Result} says where and why it
 * stopped ({@link Result#partial()}, {@link Result#stopReason()}); {@link Result#requireComplete()}
 * turns that into an exception for callers that want one.
 */
public final class SimulationLogReader {
  /** The only Gatling version whose log this reader reads. */
  public static final String SUPPORTED_GATLING_VERSION = "3.15.1";

  static final byte RUN = 0;
  static final byte REQUEST = 1;
  static final byte USER = 2;
  static final byte GROUP = 3;
  static final byte ERROR = 4;

  private static final int BUFFER_BYTES = 1 << 16;
  /** Longer strings or assertions than this are taken as damage (a message of 64 MiB is not real). */
  private static final int MAX_STRING_BYTES = 64 << 20;
  /** Deeper group hierarchies than this are taken as damage. */
  private static final int MAX_GROUP_DEPTH = 1 << 10;
  private static final Charset UTF16_NATIVE =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;

  /** Receives the records in file order; every method does nothing by default. */
  public interface Visitor {
    default void onRunHeader(RunHeader header) {}

    default void onRequest(RequestRecord request) {}

    default void onUser(UserRecord user) {}

    default void onGroup(GroupRecord group) {}

    default void onError(ErrorRecord error) {}
  }

  /**
   * What was read.
   *
   * @param header the run header
   * @param records whole records read and passed to the visitor, the run header included
   * @param bytesRead bytes of whole records, i.e. the byte offset where reading stopped
   * @param partial true when the log was cut short or damaged, so records after {@code bytesRead}
   *     (if any were written) are missing
   * @param stopReason why reading stopped early, naming the byte offset and what was wrong; "" when
   *     the log was read to its end
   */
  public record Result(RunHeader header, long records, long bytesRead, boolean partial, String stopReason) {

    /** Returns this result, or throws when the log was not read to its end. */
    public Result requireComplete() throws SimulationLogException {
      if (partial) {
        throw new SimulationLogException(stopReason);
      }
      return this;
    }
  }

  private final ReadableByteChannel in;
  private final String source;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN);
  private final byte[] bytes = buf.array();
  /** File offset of {@code buf}'s index 0. */
  private long bufferStart;
  private boolean eof;

  private String[] dictionary = new String[256];
  /** The number the next new dictionary entry must carry. */
  private int nextEntry = 1;
  private String[] scenarios;
  private long runStart;
  private RunHeader header;
  /** Whole records read so far, the run header included. */
  private long records;
  /** Set once reading stopped: the end, or where the log is cut or damaged. */
  private Result result;

  /** The last group hierarchy returned, reused while records repeat it (no list per record). */
  private List<String> lastGroups = List.of();
  private String[] groupScratch = new String[8];

  private SimulationLogReader(ReadableByteChannel in, String source) {
    this.in = in;
    this.source = source;
    buf.limit(0);
  }

  /** Reads the log at {@code file}. */
  public static Result read(Path file, Visitor visitor) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, file.toString(), visitor);
    }
  }

  /**
   * Reads a log from {@code in}, which it does not close.
   *
   * @param source names the log in messages, e.g. its path
   */
  public static Result read(ReadableByteChannel in, String source, Visitor visitor) throws IOException {
    return new SimulationLogReader(in, source).readAll(visitor);
  }

  private Result readAll(Visitor visitor) throws IOException {
    visitor.onRunHeader(readRunHeader());
    while (readNext(visitor)) {
      // each call passes one record to the visitor
    }
    return result();
  }

  /**
   * A log read one record at a time, as merging several logs in time order needs (the reader that
   * pulls from N logs holds one record of each). Same format, limits and errors as {@link #read}.
   */
  public static final class Cursor implements Closeable {
    private final FileChannel channel;
    private final SimulationLogReader reader;
    private final RunHeader header;

    private Cursor(FileChannel channel, SimulationLogReader reader) throws IOException {
      this.channel = channel;
      this.reader = reader;
      this.header = reader.readRunHeader();
    }

    /** The run header, read on opening. */
    public RunHeader header() {
      return header;
    }

    /** Passes the next record to {@code visitor}; false when there is none (the end, or where damage stopped it). */
    public boolean next(Visitor visitor) throws IOException {
      return reader.readNext(visitor);
    }

    /** What was read so far; once {@link #next} returned false, the whole log's result. */
    public Result result() {
      return reader.result();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** Opens the log at {@code file} and reads its run header. */
  public static Cursor open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new Cursor(ch, new SimulationLogReader(ch, file.toString()));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private RunHeader readRunHeader() throws IOException {
    header = readHeader();
    records = 1;
    return header;
  }

  private Result result() {
    return result != null ? result : new Result(header, records, offset(), false, "");
  }

  /** Reads one record into {@code visitor}; false at the end or where the log is cut or damaged ({@link #result}). */
  private boolean readNext(Visitor visitor) throws IOException {
    if (result != null) {
      return false;
    }
    long recordStart = offset();
    if (!ensureOrEnd(1)) {
      result = new Result(header, records, recordStart, false, "");
      return false;
    }
    byte type = buf.get();
    try {
      switch (type) {
        case REQUEST -> visitor.onRequest(readRequest());
        case USER -> visitor.onUser(readUser());
        case GROUP -> visitor.onGroup(readGroup());
        case ERROR -> visitor.onError(readError());
        default -> throw new Damaged(recordStart, "unknown record type " + type + " (this tool knows 1 to 4)");
      }
    } catch (Truncated e) {
      result = new Result(header, records, recordStart, true, String.format(Locale.ROOT,
          "%s is truncated: it ends at byte offset %d, inside record %d (type %s) that starts at byte offset %d;"
              + " %d whole records read, the rest is missing",
          source, e.fileEnd, records + 1, typeName(type), recordStart, records));
      return false;
    } catch (Damaged e) {
      result = new Result(header, records, recordStart, true, String.format(Locale.ROOT,
          "%s is damaged at byte offset %d, in record %d (type %s) that starts at byte offset %d: %s;"
              + " %d whole records read, the rest is skipped",
          source, e.offset, records + 1, typeName(type), recordStart, e.getMessage(), records));
      return false;
    }
    records++;
    return true;
  }

  private static String typeName(byte type) {
    return switch (type) {
      case RUN -> "run";
      case REQUEST -> "request";
      case USER -> "user";
      case GROUP -> "group";
      case ERROR -> "error";
      default -> Integer.toString(type);
    };
  }

  private RunHeader readHeader() throws IOException {
    try {
      if (!ensureOrEnd(1)) {
        throw new SimulationLogException(source + " is empty: not a Gatling simulation.log, or the run wrote nothing");
      }
      byte type = buf.get();
      if (type != RUN) {
        throw new SimulationLogException(String.format(Locale.ROOT,
            "%s is not a Gatling %s simulation.log: it starts with byte 0x%02x where a run header (0x00) must be",
            source, SUPPORTED_GATLING_VERSION, type & 0xff));
      }
      String version = readString();
      if (!SUPPORTED_GATLING_VERSION.equals(version)) {
        throw new SimulationLogException("The log file " + source + " was generated with Gatling " + version
            + " and can't be parsed with this tool, which reads Gatling " + SUPPORTED_GATLING_VERSION);
      }
      String simulation = readString();
      ensure(8);
      runStart = buf.getLong();
      String description = readString();
      int n = readCount("scenario count", Integer.MAX_VALUE);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add(readString());
      }
      scenarios = names.toArray(new String[0]);
      int m = readCount("assertion count", Integer.MAX_VALUE);
      List<byte[]> assertions = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        int len = readCount("assertion length", MAX_STRING_BYTES);
        byte[] a = new byte[len];
        readFully(a, len);
        assertions.add(a);
      }
      return new RunHeader(version, simulation, runStart, description, names, assertions);
    } catch (Truncated e) {
      throw new SimulationLogException(String.format(Locale.ROOT,
          "%s ends at byte offset %d, inside its run header: nothing can be read", source, e.fileEnd));
    } catch (Damaged e) {
      throw new SimulationLogException(String.format(Locale.ROOT,
          "%s has a damaged run header at byte offset %d: %s", source, e.offset, e.getMessage()));
    }
  }

  private RequestRecord readRequest() throws IOException {
    List<String> groups = readGroups();
    String name = readCached();
    ensure(9);
    long start = runStart + buf.getInt();
    long end = runStart + buf.getInt();
    boolean ok = readBoolean("status");
    String message = readCached();
    return new RequestRecord(groups, name, start, end, ok, message);
  }

  private UserRecord readUser() throws IOException {
    ensure(9);
    long at = offset();
    int scenario = buf.getInt();
    if (scenario < 0 || scenario >= scenarios.length) {
      throw new Damaged(at, "scenario index " + scenario + ", but the run header has " + scenarios.length
          + " scenarios");
    }
    boolean start = readBoolean("start/end flag");
    long time = runStart + buf.getInt();
    return new UserRecord(scenarios[scenario], start, time);
  }

  private GroupRecord readGroup() throws IOException {
    List<String> groups = readGroups();
    ensure(13);
    long start = runStart + buf.getInt();
    long end = runStart + buf.getInt();
    int cumulated = buf.getInt();
    boolean ok = readBoolean("status");
    return new GroupRecord(groups, start, end, cumulated, ok);
  }

  private ErrorRecord readError() throws IOException {
    String message = readCached();
    ensure(4);
    return new ErrorRecord(message, runStart + buf.getInt());
  }

  private List<String> readGroups() throws IOException {
    int n = readCount("group depth", MAX_GROUP_DEPTH);
    if (n == 0) {
      return List.of();
    }
    if (groupScratch.length < n) {
      groupScratch = new String[n];
    }
    boolean same = lastGroups.size() == n;
    for (int i = 0; i < n; i++) {
      String g = readCached();
      groupScratch[i] = g;
      if (same && lastGroups.get(i) != g) {
        same = false;
      }
    }
    if (!same) {
      lastGroups = List.of(Arrays.copyOf(groupScratch, n));
    }
    return lastGroups;
  }

  private boolean readBoolean(String what) throws IOException {
    ensure(1);
    byte b = buf.get();
    if (b == 1) {
      return true;
    }
    if (b == 0) {
      return false;
    }
    throw new Damaged(offset() - 1, what + " byte is " + b + ", expected 0 or 1");
  }

  private int readCount(String what, int max) throws IOException {
    ensure(4);
    int n = buf.getInt();
    if (n < 0 || n > max) {
      throw new Damaged(offset() - 4, what + " is " + n + ", expected 0 to " + max);
    }
    return n;
  }

  private String readCached() throws IOException {
    ensure(4);
    long at = offset();
    int index = buf.getInt();
    if (index < 0) {
      int entry = -index;
      if (entry <= 0 || entry >= nextEntry) {
        throw new Damaged(at, "string dictionary reference " + index + ", but the dictionary has entries 1 to "
            + (nextEntry - 1));
      }
      return dictionary[entry];
    }
    if (index != nextEntry) {
      throw new Damaged(at, "new string dictionary entry " + index + ", expected entry " + nextEntry);
    }
    String s = readString();
    if (index >= dictionary.length) {
      dictionary = Arrays.copyOf(dictionary, dictionary.length * 2);
    }
    dictionary[index] = s;
    nextEntry++;
    return s;
  }

  private String readString() throws IOException {
    int len = readCount("string length", MAX_STRING_BYTES);
    if (len == 0) {
      return "";
    }
    byte[] src;
    int from;
    if (len < BUFFER_BYTES) {
      ensure(len + 1);
      src = bytes;
      from = buf.position();
      buf.position(from + len);
    } else {
      src = new byte[len];
      from = 0;
      readFully(src, len);
      ensure(1);
    }
    byte coder = buf.get();
    if (coder == 0) {
      return new String(src, from, len, StandardCharsets.ISO_8859_1);
    }
    if (coder == 1 && (len & 1) == 0) {
      return new String(src, from, len, UTF16_NATIVE);
    }
    throw new Damaged(offset() - 1, "string coder byte is " + coder + " after " + len
        + " bytes, expected 0 (Latin-1) or 1 (UTF-16, even length)");
  }

  private void readFully(byte[] dst, int len) throws IOException {
    int done = 0;
    while (done < len) {
      if (!buf.hasRemaining()) {
        ensure(1);
      }
      int n = Math.min(len - done, buf.remaining());
      buf.get(dst, done, n);
      done += n;
    }
  }

  private long offset() {
    return bufferStart + buf.position();
  }

  private void ensure(int n) throws IOException {
    if (buf.remaining() < n && !fill(n)) {
      throw new Truncated(bufferStart + buf.limit());
    }
  }

  /** Returns false at the end of the file with no byte left; throws when some but fewer than n are left. */
  private boolean ensureOrEnd(int n) throws IOException {
    if (buf.remaining() >= n || fill(n)) {
      return true;
    }
    if (buf.hasRemaining()) {
      throw new Truncated(bufferStart + buf.limit());
    }
    return false;
  }

  /** Reads until n bytes are buffered (n at most the buffer size); false when the file ends first. */
  private boolean fill(int n) throws IOException {
    bufferStart += buf.position();
    buf.compact();
    while (buf.position() < n && !eof) {
      if (in.read(buf) < 0) {
        eof = true;
      }
    }
    buf.flip();
    return buf.remaining() >= n;
  }

  /** The log ends inside a record. */
  private static final class Truncated extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long fileEnd;

    Truncated(long fileEnd) {
      super(null, null, false, false);
      this.fileEnd = fileEnd;
    }
  }

  /** The bytes cannot be a record of this format. */
  private static final class Damaged extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long offset;

    Damaged(long offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }
}
