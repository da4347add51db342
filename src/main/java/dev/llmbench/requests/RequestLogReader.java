package dev.llmbench.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.io.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
      JsonLines.read(file, (lineNo, n) -> {
        int version = n.path("schemaVersion").asInt(-1);
        if (version != RequestLogWriter.SCHEMA_VERSION) {
          throw new IOException(file + ":" + lineNo + ": schemaVersion " + version + "; this tool reads "
              + RequestLogWriter.SCHEMA_VERSION);
        }
        rows.add(parse(n));
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

  private static RequestResult parse(JsonNode n) {
    JsonNode itl = n.path("itlMicros");
    long[] itlMicros = new long[itl.size()];
    for (int i = 0; i < itlMicros.length; i++) {
      itlMicros[i] = itl.get(i).asLong();
    }
    int[] chunkTokens = null;
    if (n.has("chunkTokens")) {
      JsonNode ct = n.get("chunkTokens");
      chunkTokens = new int[ct.size()];
      for (int i = 0; i < chunkTokens.length; i++) {
        chunkTokens[i] = ct.get(i).asInt();
      }
    }
    JsonNode tpot = n.path("tpotMicros");
    return new RequestResult(n.path("requestId").asText(), n.path("group").asText(""), n.path("warmup").asBoolean(),
        n.path("ok").asBoolean(), n.path("error").isNull() ? null : n.path("error").asText(null),
        n.path("httpStatus").asInt(), n.path("sentEpochMicros").asLong(), n.path("sentNanos").asLong(),
        n.path("promptTokens").asInt(),
        n.path("promptTokensPlanned").asInt(), n.path("maxTokens").asInt(), n.path("outputTokens").asInt(),
        n.path("outputTokensSource").asText(), n.path("ttftMicros").asLong(), n.path("e2eMicros").asLong(),
        tpot.isNumber() ? tpot.asDouble() : Double.NaN, itlMicros, chunkTokens, n.path("fallbackParses").asInt(0),
        n.path("resends").asInt(0), n.path("items").asInt(0), text(n, "inputHash"), text(n, "answer"),
        n.path("clientQueueMicros").asLong(-1), n.path("cachedTokens").asInt(-1));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
