package dev.llmbench.workload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.io.JsonLines;
import dev.llmbench.sampling.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Conversation datasets in the formats users already have ({@code -Ddataset.name}, {@code -Ddataset.path}),
 * read into {@link Ticket}s:
 *
 * <ul>
 *   <li>{@code sharegpt}: a JSON array of {@code {"conversations": [{"from": "human", "value": ...},
 *       {"from": "gpt", "value": ...}, ...]}}, as bench_serving's {@code sample_sharegpt_requests}: rows of
 *       fewer than two turns are skipped; the first turn is the prompt; the second turn's length in tokens is
 *       the output length unless one is fixed; a row whose prompt or output is under {@value #MIN_TOKENS}
 *       tokens, whose prompt is over {@value #MAX_PROMPT_TOKENS} or whose prompt + output is over
 *       {@value #MAX_TOTAL_TOKENS} is skipped (bench_serving's and vLLM's {@code is_valid_sequence} bounds).
 *       Errors name the element index.
 *   <li>{@code custom}: JSONL of {@code {"prompt": string, "output_tokens": integer?}}, vLLM's
 *       {@code CustomDataset} rows (its {@code prompt} column) with an optional length of their own; without
 *       one, the fixed output length or {@value #DEFAULT_OUTPUT_TOKENS} (vLLM's {@code --custom-output-len}).
 *   <li>{@code messages}: JSONL of OpenAI chat requests' {@code {"messages": [{"role", "content"}, ...],
 *       "max_tokens": integer?}}: the messages are sent as they are (to a text API: their contents, one a
 *       line); their planned length is the sum of their contents' tokens.
 * </ul>
 *
 * As the reference tools sample, the usable rows are shuffled with the run's seed and the first
 * {@code num.prompts} taken (all of them without it). Lengths are counted by the run's prompt counter
 * ({@code PromptTokens#count}: the {@code -Dtokenizer} file when given, else the word tokenizer, which is
 * exact against the embedded emulator). JSONL errors name the file and line.
 */
public final class Dataset {
  /** bench_serving's and vLLM's bounds on a ShareGPT pair, in tokens. */
  static final int MIN_TOKENS = 4;
  static final int MAX_PROMPT_TOKENS = 1024;
  static final int MAX_TOTAL_TOKENS = 2048;
  /** vLLM's {@code --custom-output-len} default, and this project's prompt file's. */
  static final int DEFAULT_OUTPUT_TOKENS = 256;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The formats, by their {@code -Ddataset.name}. */
  public enum Format {
    SHAREGPT, CUSTOM, MESSAGES;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format a name gives, or null for a name of another part's dataset (prefix, trace, ...). */
    public static Format of(String name) {
      for (Format f : values()) {
        if (f.wireName().equals(name)) {
          return f;
        }
      }
      return null;
    }

    /**
     * The format of a file, from its first non-blank character and first row: a JSON array is ShareGPT;
     * a JSONL row with {@code messages} is {@code messages}, with {@code prompt} {@code custom}.
     */
    public static Format infer(Path file) {
      String first;
      try (var lines = Files.lines(file)) {
        first = lines.map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new ConfigException("cannot read dataset.path " + file + ": " + e.getMessage(), e);
      }
      if (first.startsWith("[")) {
        return SHAREGPT;
      }
      if (first.startsWith("{")) {
        try {
          JsonNode row = MAPPER.readTree(first);
          if (row.has("messages")) {
            return MESSAGES;
          }
          if (row.has("prompt")) {
            return CUSTOM;
          }
          if (row.has("conversations")) {
            return SHAREGPT; // a pretty-printed array whose first line is an element's
          }
        } catch (JsonProcessingException e) {
          // a pretty-printed JSON file: not JSONL
        }
      }
      throw new ConfigException("cannot tell the format of dataset.path " + file + " from its first line; give "
          + "-Ddataset.name=sharegpt|custom|messages");
    }
  }

  /**
   * The run's choice of dataset, as read from the properties.
   *
   * @param format the format
   * @param path the file
   * @param fixedOutputTokens every request's output length, or null for each row's own
   */
  public record Settings(Format format, Path path, Integer fixedOutputTokens) {}

  /**
   * A dataset read and sampled.
   *
   * @param tickets the requests, in sampled order
   * @param sha256 the file's SHA-256, hex: what identifies the data in the run's record
   * @param usableRows rows that passed the format's filters, before sampling
   */
  public record Loaded(List<Ticket> tickets, String sha256, int usableRows) {}

  private Dataset() {}

  /**
   * Reads {@code s.path()}, keeps its usable rows, shuffles them with {@code seed} and takes the first
   * {@code numPrompts} (all when null).
   */
  public static Loaded load(Settings s, Integer numPrompts, long seed, ToIntFunction<String> count) {
    List<Ticket> rows = switch (s.format()) {
      case SHAREGPT -> shareGpt(s.path(), s.fixedOutputTokens(), count);
      case CUSTOM -> custom(s.path(), s.fixedOutputTokens(), count);
      case MESSAGES -> messages(s.path(), s.fixedOutputTokens(), count);
    };
    if (rows.isEmpty()) {
      throw new ConfigException("dataset.path " + s.path() + " holds no usable " + s.format().wireName() + " row"
          + (s.format() == Format.SHAREGPT ? " (a pair needs prompt and output of at least " + MIN_TOKENS
              + " tokens, a prompt of at most " + MAX_PROMPT_TOKENS + " and both together at most "
              + MAX_TOTAL_TOKENS + ")" : ""));
    }
    List<Ticket> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, Seeds.random(seed));
    int n = numPrompts == null ? shuffled.size() : Math.min(numPrompts, shuffled.size());
    List<Ticket> tickets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Ticket t = shuffled.get(i);
      tickets.add(new Ticket(i, t.prompt(), t.inputTokens(), t.outputTokens(), 0, false, "", t.messagesJson()));
    }
    return new Loaded(List.copyOf(tickets), sha256(s.path()), rows.size());
  }

  /** ShareGPT's JSON array, read element by element: a real file is hundreds of megabytes. */
  static List<Ticket> shareGpt(Path file, Integer fixedOutput, ToIntFunction<String> count) {
    List<Ticket> out = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new ConfigException(file + ": a ShareGPT file must be a JSON array of conversations");
      }
      int index = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
        if (t == null) {
          throw new ConfigException(file + ": element " + index + ": the array ends early");
        }
        JsonNode row = p.readValueAsTree();
        String where = file + ": element " + index;
        JsonNode turns = row == null ? null : row.get("conversations");
        if (turns == null || !turns.isArray()) {
          throw new ConfigException(where + ": field 'conversations' must be an array, got " + turns);
        }
        if (turns.size() < 2) {
          continue; // bench_serving: conversations of fewer than two turns are left out
        }
        String prompt = turnText(turns.get(0), where + ": conversations[0]");
        String reply = turnText(turns.get(1), where + ": conversations[1]");
        int promptTokens = count.applyAsInt(prompt);
        int outputTokens = fixedOutput != null ? fixedOutput : count.applyAsInt(reply);
        if (promptTokens < MIN_TOKENS || outputTokens < MIN_TOKENS || promptTokens > MAX_PROMPT_TOKENS
            || promptTokens + outputTokens > MAX_TOTAL_TOKENS) {
          continue; // too short or too long, as bench_serving filters
        }
        out.add(new Ticket(out.size(), prompt, promptTokens, outputTokens, 0, false, ""));
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read dataset.path " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static String turnText(JsonNode turn, String where) {
    JsonNode value = turn == null ? null : turn.get("value");
    if (value == null || !value.isTextual()) {
      throw new ConfigException(where + ": field 'value' must be a string, got " + value);
    }
    return value.asText();
  }

  static List<Ticket> custom(Path file, Integer fixedOutput, ToIntFunction<String> count) {
    List<Ticket> out = new ArrayList<>();
    jsonl(file, (lineNo, row) -> {
      String where = file + ":" + lineNo;
      JsonNode prompt = row.get("prompt");
      if (prompt == null || !prompt.isTextual()) {
        throw new ConfigException(where + ": field 'prompt' must be a string, got " + prompt);
      }
      Integer own = positiveInt(row, "output_tokens", where);
      int output = fixedOutput != null ? fixedOutput : own != null ? own : DEFAULT_OUTPUT_TOKENS;
      String text = prompt.asText();
      out.add(new Ticket(out.size(), text, count.applyAsInt(text), output, 0, false, ""));
    });
    return out;
  }

  static List<Ticket> messages(Path file, Integer fixedOutput, ToIntFunction<String> count) {
    List<Ticket> out = new ArrayList<>();
    jsonl(file, (lineNo, row) -> {
      String where = file + ":" + lineNo;
      JsonNode messages = row.get("messages");
      if (messages == null || !messages.isArray() || messages.isEmpty()) {
        throw new ConfigException(where + ": field 'messages' must be a non-empty array, got " + messages);
      }
      List<String> contents = new ArrayList<>();
      int tokens = 0;
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        JsonNode role = m.get("role");
        JsonNode content = m.get("content");
        if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
          throw new ConfigException(where + ": messages[" + i + "] must have string 'role' and 'content', got " + m);
        }
        contents.add(content.asText());
        tokens += count.applyAsInt(content.asText()); // as the server counts: each message's content
      }
      Integer own = positiveInt(row, "max_tokens", where);
      int output = fixedOutput != null ? fixedOutput : own != null ? own : DEFAULT_OUTPUT_TOKENS;
      out.add(new Ticket(out.size(), String.join("\n", contents), tokens, output, 0, false, "", messages.toString()));
    });
    return out;
  }

  private static Integer positiveInt(JsonNode row, String field, String where) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      throw new ConfigException(where + ": field '" + field + "' must be an integer >= 1, got " + v);
    }
    return v.asInt();
  }

  private static void jsonl(Path file, JsonLines.Row each) {
    try {
      JsonLines.read(file, (lineNo, row) -> {
        if (!row.isObject()) {
          throw new ConfigException(file + ":" + lineNo + ": expected a JSON object");
        }
        each.accept(lineNo, row);
      });
    } catch (JsonLines.BadLine e) {
      throw new ConfigException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read dataset.path " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's SHA-256 in hex. */
  public static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new ConfigException("cannot read dataset.path " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
