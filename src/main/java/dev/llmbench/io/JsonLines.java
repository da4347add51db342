package dev.llmbench.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      read(file.toString(), in, row);
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
