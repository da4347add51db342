package dev.llmbench.requests;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmbench.io.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the per-request side file written by {@link RequestLogWriter} (format in its Javadoc). A
 * truncated last line (a run that was killed) is reported by {@link Result#truncatedAtLine()}, not
 * thrown; an unreadable line followed by more lines, and a line of another schema version (an error
 * naming both versions), are thrown.
 */
public final class RequestLogReader {

  /** What was read, and where reading stopped early (0 when the file was complete). */
  public record Result(List<RequestResult> requests, int truncatedAtLine) {}

  private RequestLogReader() {}

  public static Result read(Path file) throws IOException {
    List<RequestResult> rows = new ArrayList<>();
    try {
      JsonLines.read(file, RequestLogReader::parse, (lineNo, line) -> {
        if (line.version() != RequestLogWriter.SCHEMA_VERSION) {
          throw new IOException(file + ":" + lineNo + ": schemaVersion " + line.version() + "; this tool reads "
              + RequestLogWriter.SCHEMA_VERSION);
        }
        rows.add(line.result());
      });
    } catch (JsonLines.BadLine e) {
      // Only the last line may be cut short (a killed run); a bad line with more after it is damage.
      if (!e.last()) {
        throw new IOException(file + ":" + e.lineNo() + ": not valid JSON and not the last line: "
            + e.getCause().getMessage(), e);
      }
      return new Result(rows, e.lineNo());
    }
    return new Result(rows, 0);
  }

  /** One line: its schema version (-1 when it has none) and its row. */
  private record Line(int version, RequestResult result) {}

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One line read with Jackson's streaming parser, not as a tree: a line holds a number per token gap, and a
   * node per number was most of the post-run step's reading. The fields are read as the tree's
   * {@code path(...).asInt()} and the like read them: an absent field is 0, "" or false unless said otherwise,
   * unknown fields are skipped, and a line that is not one JSON object is not valid JSON.
   */
  private static Line parse(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonParseException(p, "a row of the side file is a JSON object");
      }
      int version = -1;
      String requestId = "";
      String group = "";
      boolean warmup = false;
      boolean ok = false;
      String error = null;
      int httpStatus = 0;
      long sentEpochMicros = 0;
      long sentNanos = 0;
      int promptTokens = 0;
      int promptTokensPlanned = 0;
      int maxTokens = 0;
      int outputTokens = 0;
      String outputTokensSource = "";
      long ttftMicros = 0;
      long e2eMicros = 0;
      double tpotMicros = Double.NaN;
      long[] itlMicros = new long[0];
      int[] chunkTokens = null;
      int fallbackParses = 0;
      int resends = 0;
      int items = 0;
      String inputHash = null;
      String answer = null;
      long queueMicros = -1;
      int cachedTokens = -1;
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "schemaVersion" -> version = p.getValueAsInt(-1);
          case "requestId" -> requestId = text(p, "");
          case "group" -> group = text(p, "");
          case "warmup" -> warmup = p.getValueAsBoolean();
          case "ok" -> ok = p.getValueAsBoolean();
          case "error" -> error = text(p, null);
          case "httpStatus" -> httpStatus = p.getValueAsInt();
          case "sentEpochMicros" -> sentEpochMicros = p.getValueAsLong();
          case "sentNanos" -> sentNanos = p.getValueAsLong();
          case "promptTokens" -> promptTokens = p.getValueAsInt();
          case "promptTokensPlanned" -> promptTokensPlanned = p.getValueAsInt();
          case "maxTokens" -> maxTokens = p.getValueAsInt();
          case "outputTokens" -> outputTokens = p.getValueAsInt();
          case "outputTokensSource" -> outputTokensSource = text(p, "");
          case "ttftMicros" -> ttftMicros = p.getValueAsLong();
          case "e2eMicros" -> e2eMicros = p.getValueAsLong();
          case "tpotMicros" -> tpotMicros = t.isNumeric() ? p.getDoubleValue() : Double.NaN;
          case "itlMicros" -> itlMicros = longs(p, t);
          case "chunkTokens" -> chunkTokens = ints(p, t);
          case "fallbackParses" -> fallbackParses = p.getValueAsInt(0);
          case "resends" -> resends = p.getValueAsInt(0);
          case "items" -> items = p.getValueAsInt(0);
          case "inputHash" -> inputHash = text(p, null);
          case "answer" -> answer = text(p, null);
          case "clientQueueMicros" -> queueMicros = p.getValueAsLong(-1);
          case "cachedTokens" -> cachedTokens = p.getValueAsInt(-1);
          default -> p.skipChildren();
        }
      }
      return new Line(version, new RequestResult(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros,
          sentNanos, promptTokens, promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros,
          e2eMicros, tpotMicros, itlMicros, chunkTokens, fallbackParses, resends, items, inputHash, answer,
          queueMicros, cachedTokens));
    }
  }

  /** A scalar as text ({@code null} is {@code nullValue}); an object or array is skipped and read as {@code nullValue}. */
  private static String text(JsonParser p, String nullValue) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return nullValue;
    }
    return t == JsonToken.VALUE_NULL ? nullValue : p.getText();
  }

  /** An array of integers (anything but an array: none). */
  private static long[] longs(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return new long[0];
    }
    long[] out = new long[64];
    int n = 0;
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.getValueAsLong();
      p.skipChildren();
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] ints(JsonParser p, JsonToken t) throws IOException {
    long[] values = longs(p, t);
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }
}
