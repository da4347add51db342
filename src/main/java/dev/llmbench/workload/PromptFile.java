package dev.llmbench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.io.JsonLines;
import dev.llmbench.tokenizer.WordTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Prompts from a JSONL file, one object per line, as the reference harness's {@code prompts.jsonl}:
 *
 * <pre>
 * {"prompt": "Explain KV caching.", "max_tokens": 256, "temperature": 0}
 * </pre>
 *
 * {@code prompt} (string) is required; {@code max_tokens} (integer >= 1) defaults to
 * {@code defaultMaxTokens}; {@code temperature} is accepted and, as everywhere in this project,
 * requests are sent at temperature 0. Blank lines are skipped. Errors name the file and line.
 */
public final class PromptFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PromptFile() {}

  public static List<Ticket> read(Path file, int defaultMaxTokens) {
    return read(file, defaultMaxTokens, WordTokenizer::count);
  }

  /** As {@link #read(Path, int)}, each prompt's planned length counted by {@code count}. */
  public static List<Ticket> read(Path file, int defaultMaxTokens, ToIntFunction<String> count) {
    List<Ticket> tickets = new ArrayList<>();
    try {
      JsonLines.read(file, (lineNo, row) -> {
        if (!row.isObject()) {
          throw new ConfigException(file + ":" + lineNo + ": expected a JSON object");
        }
        JsonNode prompt = row.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
          throw new ConfigException(file + ":" + lineNo + ": field 'prompt' must be a string, got " + prompt);
        }
        int maxTokens = defaultMaxTokens;
        JsonNode mt = row.get("max_tokens");
        if (mt != null && !mt.isNull()) {
          if (!mt.isIntegralNumber() || !mt.canConvertToInt() || mt.asInt() < 1) {
            throw new ConfigException(file + ":" + lineNo + ": field 'max_tokens' must be an integer >= 1, got " + mt);
          }
          maxTokens = mt.asInt();
        }
        JsonNode temperature = row.get("temperature");
        if (temperature != null && !temperature.isNull() && !temperature.isNumber()) {
          throw new ConfigException(file + ":" + lineNo + ": field 'temperature' must be a number, got " + temperature);
        }
        String text = prompt.asText();
        tickets.add(new Ticket(tickets.size(), text, count.applyAsInt(text), maxTokens, 0, false, ""));
      });
    } catch (JsonLines.BadLine e) {
      throw new ConfigException(e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("cannot read prompt.file " + file + ": " + e.getMessage(), e);
    }
    if (tickets.isEmpty()) {
      throw new ConfigException("prompt.file " + file + " holds no prompt");
    }
    return tickets;
  }
}
