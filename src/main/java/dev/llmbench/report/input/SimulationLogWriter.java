package dev.llmbench.report.input;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Gatling {@value SimulationLogReader#SUPPORTED_GATLING_VERSION} binary {@code simulation.log}:
 * the inverse of {@link SimulationLogReader}, whose Javadoc gives the format, and byte for byte what
 * Gatling's {@code LogFileDataWriter} writes for the same records. Two details follow Gatling's writer:
 * the string dictionary is this file's own (entries numbered from 1 in order of first use, whatever
 * numbers the strings had in the logs they were read from), and a string is stored as the JDK holds
 * it, Latin-1 when every char fits in a byte, else UTF-16 in this machine's byte order (Gatling copies
 * {@code String}'s internal bytes; its reader decodes them with the reading machine's order).
 *
 * <p>Times are given in milliseconds since the epoch and stored relative to the header's run start, as
 * an {@code int32}: a time more than about 24 days from it cannot be stored and is refused.
 */
public final class SimulationLogWriter implements Closeable {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final Charset UTF16_NATIVE =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;

  private final DataOutputStream out;
  private final long runStart;
  private final Map<String, Integer> scenarios = new HashMap<>();
  private final Map<String, Integer> dictionary = new HashMap<>();
  private long records;

  /** Creates (or replaces) {@code file} and writes {@code header} as its first record. */
  public SimulationLogWriter(Path file, RunHeader header) throws IOException {
    this(Files.newOutputStream(file), header);
  }

  /** Writes to {@code sink}, which {@link #close()} closes. */
  public SimulationLogWriter(OutputStream sink, RunHeader header) throws IOException {
    this.out = new DataOutputStream(new BufferedOutputStream(sink, BUFFER_BYTES));
    this.runStart = header.startEpochMillis();
    out.writeByte(SimulationLogReader.RUN);
    string(header.gatlingVersion());
    string(header.simulationClassName());
    out.writeLong(header.startEpochMillis());
    string(header.runDescription());
    out.writeInt(header.scenarios().size());
    for (String s : header.scenarios()) {
      if (scenarios.putIfAbsent(s, scenarios.size()) != null) {
        throw new IllegalArgumentException("scenario " + s + " is twice in the run header");
      }
      string(s);
    }
    out.writeInt(header.assertions().size());
    for (byte[] a : header.assertions()) {
      out.writeInt(a.length);
      out.write(a);
    }
    records = 1;
  }

  /** Records written, the run header included. */
  public long records() {
    return records;
  }

  public void request(RequestRecord r) throws IOException {
    out.writeByte(SimulationLogReader.REQUEST);
    groups(r.groups());
    cached(r.name());
    out.writeInt(time(r.startEpochMillis()));
    out.writeInt(time(r.endEpochMillis()));
    out.writeBoolean(r.ok());
    cached(r.message());
    records++;
  }

  /** A user starts or ends; its scenario must be one of the run header's. */
  public void user(UserRecord u) throws IOException {
    Integer index = scenarios.get(u.scenario());
    if (index == null) {
      throw new IllegalArgumentException("scenario " + u.scenario() + " is not in the run header's "
          + scenarios.keySet());
    }
    out.writeByte(SimulationLogReader.USER);
    out.writeInt(index);
    out.writeBoolean(u.start());
    out.writeInt(time(u.epochMillis()));
    records++;
  }

  public void group(GroupRecord g) throws IOException {
    out.writeByte(SimulationLogReader.GROUP);
    groups(g.groups());
    out.writeInt(time(g.startEpochMillis()));
    out.writeInt(time(g.endEpochMillis()));
    out.writeInt(g.cumulatedResponseTimeMillis());
    out.writeBoolean(g.ok());
    records++;
  }

  public void error(ErrorRecord e) throws IOException {
    out.writeByte(SimulationLogReader.ERROR);
    cached(e.message());
    out.writeInt(time(e.epochMillis()));
    records++;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private int time(long epochMillis) {
    long relative = epochMillis - runStart;
    if (relative != (int) relative) {
      throw new IllegalArgumentException("time " + epochMillis + " is " + relative
          + " ms from the run start " + runStart + ": more than a simulation.log can store (int32 ms)");
    }
    return (int) relative;
  }

  private void groups(List<String> groups) throws IOException {
    out.writeInt(groups.size());
    for (String g : groups) {
      cached(g);
    }
  }

  private void cached(String s) throws IOException {
    Integer index = dictionary.get(s);
    if (index != null) {
      out.writeInt(-index);
      return;
    }
    int next = dictionary.size() + 1;
    dictionary.put(s, next);
    out.writeInt(next);
    string(s);
  }

  private void string(String s) throws IOException {
    if (s.isEmpty()) {
      out.writeInt(0);
      return;
    }
    boolean latin1 = s.chars().allMatch(c -> c < 256);
    byte[] b = s.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : UTF16_NATIVE);
    out.writeInt(b.length);
    out.write(b);
    out.writeByte(latin1 ? 0 : 1);
  }
}
