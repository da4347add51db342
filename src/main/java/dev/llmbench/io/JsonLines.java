package dev.llmbench.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a JSON Lines file (https://jsonlines.org): each non-blank line one JSON value, in order. The
 * side file, the emulator's ground truth and prompt files are all read this way; what a bad line means
 * is the caller's ({@link BadLine}).
 */
public final class JsonLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /** What a caller does with one line. */
  @FunctionalInterface
  public interface Row {
    void accept(int lineNo, JsonNode value) throws IOException;
  }

  /** A line that is not valid JSON, with its number and Jackson's message (without its source excerpt). */
  public static final class BadLine extends IOException {
    private final int lineNo;
    private final boolean last;

    BadLine(String name, int lineNo, boolean last, JsonProcessingException cause) {
      super(name + ":" + lineNo + ": not valid JSON: " + cause.getOriginalMessage(), cause);
      this.lineNo = lineNo;
      this.last = last;
    }

    public int lineNo() {
      return lineNo;
    }

    /** Whether only blank lines follow it: a file cut short while it was written. */
    public boolean last() {
      return last;
    }
  }

  /**
   * Hands every non-blank line of {@code file}, parsed, to {@code row}, in order.
   *
   * @throws BadLine at the first line that is not valid JSON (rows before it were handed over)
   */
  public static void read(Path file, Row row) throws IOException {
    read(file, MAPPER::readTree, row::accept);
  }

  /** Makes a value of one line's UTF-8 bytes; a {@link JsonProcessingException} says the line is not valid JSON. */
  @FunctionalInterface
  public interface LineParser<T> {
    T parse(byte[] bytes, int offset, int length) throws IOException;
  }

  /** What a caller does with one line's value. */
  @FunctionalInterface
  public interface Parsed<T> {
    void accept(int lineNo, T value) throws IOException;
  }

  /**
   * As {@link #read(Path, Row)}, each line made a value by {@code parser} from its bytes (a streaming parse
   * of a large file, with no tree per line), then handed to {@code row}.
   *
   * @throws BadLine at the first line the parser refuses as not valid JSON (rows before it were handed over)
   */
  public static <T> void read(Path file, LineParser<T> parser, Parsed<T> row) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      new ByteLines(file.toString(), in).read(parser, row);
    }
  }

  /**
   * The lines of a file as bytes, each parsed from its UTF-8 bytes where it lies in the buffer: the side
   * file holds a number per token gap, and reading it as lines of text first (decoded to a string, which
   * Jackson then reads char by char) cost a tenth of the post-run step's CPU. Lines end as
   * {@link BufferedReader#readLine} ends them: LF, CRLF or a lone CR.
   */
  private static final class ByteLines {
    private final String name;
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;

    ByteLines(String name, InputStream in) {
      this.name = name;
      this.in = in;
    }

    <T> void read(LineParser<T> parser, Parsed<T> row) throws IOException {
      int lineNo = 0;
      for (int lineEnd; (lineEnd = nextLineEnd()) >= 0; ) {
        lineNo++;
        int from = start;
        start = lineEnd;
        if (blank(buf, from, lineEnd)) {
          skipTerminator();
          continue;
        }
        T value;
        try {
          value = parser.parse(buf, from, lineEnd - from);
        } catch (JsonProcessingException e) {
          skipTerminator();
          throw new BadLine(name, lineNo, onlyBlankLinesLeft(), e);
        }
        skipTerminator();
        row.accept(lineNo, value);
      }
    }

    /** Where the line at {@code start} ends (its terminator, or the end of the file); -1 when no line is left. */
    private int nextLineEnd() throws IOException {
      int scan = start;
      while (true) {
        for (int i = scan; i < end; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            return i;
          }
        }
        if (eof) {
          return end > start ? end : -1;
        }
        scan = end - start;
        fill();
        scan += start;
      }
    }

    /** Steps over the terminator at {@code start}: CRLF as one. */
    private void skipTerminator() throws IOException {
      if (start == end && !eof) {
        fill();
      }
      if (start < end) {
        boolean cr = buf[start] == '\r';
        start++;
        if (cr) {
          if (start == end && !eof) {
            fill();
          }
          if (start < end && buf[start] == '\n') {
            start++;
          }
        }
      }
    }

    /** Moves the unread bytes to the front and reads more after them (growing the buffer for a long line). */
    private void fill() throws IOException {
      int unread = end - start;
      if (unread == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      } else if (start > 0) {
        System.arraycopy(buf, start, buf, 0, unread);
      }
      start = 0;
      end = unread;
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }

    private boolean onlyBlankLinesLeft() throws IOException {
      for (int lineEnd; (lineEnd = nextLineEnd()) >= 0; ) {
        int from = start;
        start = lineEnd;
        if (!blank(buf, from, lineEnd)) {
          return false;
        }
        skipTerminator();
      }
      return true;
    }

    private static boolean blank(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (c != ' ' && c != '\t' && c != '\f' && c != 0x0B) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * As {@link #read(Path, Row)}, from {@code in} (a resource on the classpath, say), named {@code name} in
   * messages; {@code in} is left open.
   */
  public static void read(String name, BufferedReader in, Row row) throws IOException {
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode value;
      try {
        value = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw new BadLine(name, lineNo, onlyBlankLinesLeft(in), e);
      }
      row.accept(lineNo, value);
    }
  }

  private static boolean onlyBlankLinesLeft(BufferedReader in) throws IOException {
    for (String next; (next = in.readLine()) != null; ) {
      if (!next.isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** Makes one line's value. */
  @FunctionalInterface
  public interface Mapper<T> {
    T map(int lineNo, JsonNode value) throws IOException;
  }

  /**
   * The values of a file a producer appends to while a run goes, in order: a last line cut short (the run
   * was killed while it was written) is left out; any other bad line is an error naming the file and line.
   */
  public static <T> java.util.List<T> readAppended(Path file, Mapper<T> mapper) throws IOException {
    java.util.List<T> values = new java.util.ArrayList<>();
    try {
      read(file, (lineNo, v) -> values.add(mapper.map(lineNo, v)));
    } catch (BadLine e) {
      if (!e.last()) {
        throw e;
      }
    }
    return values;
  }
}
