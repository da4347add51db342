package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.tokenizer.WordTokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each dataset format read from its committed sample, the expected rows worked out here from the sample
 * itself (bench_serving's rules applied to its rows), and malformed input named by file and line or element.
 */
class DatasetTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long SEED = 7;

  @TempDir
  Path dir;

  static Path sample(String name) {
    try {
      return Path.of(DatasetTest.class.getResource("/datasets/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Dataset.Loaded load(Dataset.Format f, String file, Integer fixed, Integer n, long seed) {
    return Dataset.load(new Dataset.Settings(f, sample(file), fixed), n, seed, WordTokenizer::count);
  }

  /** The sample's pairs that bench_serving keeps: two turns or more, lengths within its bounds. */
  private static List<String[]> keptPairs(Integer fixed) throws IOException {
    List<String[]> kept = new ArrayList<>();
    for (JsonNode row : MAPPER.readTree(sample("sharegpt-sample.json").toFile())) {
      JsonNode turns = row.get("conversations");
      if (turns.size() < 2) {
        continue;
      }
      String prompt = turns.get(0).get("value").asText();
      int in = WordTokenizer.count(prompt);
      int out = fixed != null ? fixed : WordTokenizer.count(turns.get(1).get("value").asText());
      if (in >= Dataset.MIN_TOKENS && out >= Dataset.MIN_TOKENS && in <= Dataset.MAX_PROMPT_TOKENS
          && in + out <= Dataset.MAX_TOTAL_TOKENS) {
        kept.add(new String[] {prompt, Integer.toString(in), Integer.toString(out)});
      }
    }
    return kept;
  }

  @Test
  void shareGptKeepsTheFirstTurnAsPromptAndTheReplysLengthAsOutput() throws IOException {
    List<String[]> kept = keptPairs(null);
    int rows = MAPPER.readTree(sample("sharegpt-sample.json").toFile()).size();
    assertTrue(kept.size() < rows, "the sample has rows the filters drop");
    Dataset.Loaded all = load(Dataset.Format.SHAREGPT, "sharegpt-sample.json", null, null, SEED);
    assertEquals(kept.size(), all.usableRows());
    assertEquals(kept.size(), all.tickets().size());
    Set<String> expected = kept.stream().map(k -> String.join("|", k)).collect(Collectors.toSet());
    Set<String> got = all.tickets().stream()
        .map(t -> t.prompt() + "|" + t.inputTokens() + "|" + t.outputTokens()).collect(Collectors.toSet());
    assertEquals(expected, got);
    for (int i = 0; i < all.tickets().size(); i++) {
      assertEquals(i, all.tickets().get(i).index());
      assertNull(all.tickets().get(i).messagesJson());
    }
  }

  @Test
  void aFixedOutputLengthReplacesTheReplysAndSamplingIsSeeded() throws IOException {
    int fixed = Dataset.MIN_TOKENS * 8;
    Dataset.Loaded d = load(Dataset.Format.SHAREGPT, "sharegpt-sample.json", fixed, null, SEED);
    assertEquals(keptPairs(fixed).size(), d.tickets().size());
    assertTrue(d.tickets().stream().allMatch(t -> t.outputTokens() == fixed));
    int n = d.tickets().size() - 2;
    Dataset.Loaded first = load(Dataset.Format.SHAREGPT, "sharegpt-sample.json", null, n, SEED);
    Dataset.Loaded again = load(Dataset.Format.SHAREGPT, "sharegpt-sample.json", null, n, SEED);
    assertEquals(n, first.tickets().size());
    assertEquals(first.tickets(), again.tickets(), "same seed, same rows in the same order");
    boolean anyOther = false;
    for (long seed = SEED + 1; seed < SEED + 20 && !anyOther; seed++) {
      anyOther = !load(Dataset.Format.SHAREGPT, "sharegpt-sample.json", null, n, seed).tickets()
          .equals(first.tickets());
    }
    assertTrue(anyOther, "another seed samples another order");
  }

  @Test
  void shareGptBoundsDropTooLongPrompts() throws IOException {
    String tooLong = "word ".repeat(Dataset.MAX_PROMPT_TOKENS + 1).trim();
    String fits = "word ".repeat(Dataset.MAX_PROMPT_TOKENS).trim();
    String reply = "a reply of enough words";
    Path file = dir.resolve("bounds.json");
    Files.writeString(file, MAPPER.writeValueAsString(List.of(
        conv(tooLong, reply), conv(fits, reply), conv(fits, "word ".repeat(Dataset.MAX_TOTAL_TOKENS).trim()))));
    Dataset.Loaded d = Dataset.load(new Dataset.Settings(Dataset.Format.SHAREGPT, file, null), null, SEED,
        WordTokenizer::count);
    assertEquals(1, d.tickets().size());
    assertEquals(Dataset.MAX_PROMPT_TOKENS, d.tickets().get(0).inputTokens());
  }

  private static Object conv(String human, String gpt) {
    return java.util.Map.of("conversations", List.of(java.util.Map.of("from", "human", "value", human),
        java.util.Map.of("from", "gpt", "value", gpt)));
  }

  @Test
  void customRowsTakeTheirOwnOutputLengthOrTheDefault() throws IOException {
    List<JsonNode> rows = rows("custom-sample.jsonl");
    Dataset.Loaded d = load(Dataset.Format.CUSTOM, "custom-sample.jsonl", null, null, SEED);
    assertEquals(rows.size(), d.tickets().size());
    for (JsonNode row : rows) {
      String prompt = row.get("prompt").asText();
      Ticket t = d.tickets().stream().filter(x -> x.prompt().equals(prompt)).findFirst().orElseThrow();
      assertEquals(WordTokenizer.count(prompt), t.inputTokens());
      assertEquals(row.has("output_tokens") ? row.get("output_tokens").asInt() : Dataset.DEFAULT_OUTPUT_TOKENS,
          t.outputTokens(), prompt);
    }
    int fixed = Dataset.DEFAULT_OUTPUT_TOKENS / 2;
    assertTrue(load(Dataset.Format.CUSTOM, "custom-sample.jsonl", fixed, null, SEED).tickets().stream()
        .allMatch(t -> t.outputTokens() == fixed));
  }

  @Test
  void messagesRowsAreSentAsTheyAreAndCountedByTheirContents() throws IOException {
    List<JsonNode> rows = rows("messages-sample.jsonl");
    Dataset.Loaded d = load(Dataset.Format.MESSAGES, "messages-sample.jsonl", null, null, SEED);
    assertEquals(rows.size(), d.tickets().size());
    for (JsonNode row : rows) {
      Ticket t = d.tickets().stream().filter(x -> x.messagesJson().equals(row.get("messages").toString()))
          .findFirst().orElseThrow();
      int tokens = 0;
      for (JsonNode m : row.get("messages")) {
        tokens += WordTokenizer.count(m.get("content").asText());
      }
      assertEquals(tokens, t.inputTokens());
      assertEquals(row.has("max_tokens") ? row.get("max_tokens").asInt() : Dataset.DEFAULT_OUTPUT_TOKENS,
          t.outputTokens());
    }
  }

  private static List<JsonNode> rows(String name) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(sample(name))) {
      if (!line.isBlank()) {
        rows.add(MAPPER.readTree(line));
      }
    }
    return rows;
  }

  @Test
  void theFormatIsInferredFromTheFile() {
    assertEquals(Dataset.Format.SHAREGPT, Dataset.Format.infer(sample("sharegpt-sample.json")));
    assertEquals(Dataset.Format.CUSTOM, Dataset.Format.infer(sample("custom-sample.jsonl")));
    assertEquals(Dataset.Format.MESSAGES, Dataset.Format.infer(sample("messages-sample.jsonl")));
  }

  @Test
  void theHashIsTheFilesSha256() throws Exception {
    Path file = sample("custom-sample.jsonl");
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    assertEquals(expected, load(Dataset.Format.CUSTOM, "custom-sample.jsonl", null, null, SEED).sha256());
  }

  @Test
  void malformedRowsAreNamedByLineOrElement() throws IOException {
    Path custom = dir.resolve("bad-custom.jsonl");
    Files.writeString(custom, "{\"prompt\": \"fine row here\"}\n\n{\"prompt\": 42}\n");
    ConfigException c = assertThrows(ConfigException.class,
        () -> Dataset.load(new Dataset.Settings(Dataset.Format.CUSTOM, custom, null), null, SEED, WordTokenizer::count));
    assertTrue(c.getMessage().startsWith(custom + ":3: field 'prompt'"), c.getMessage());
    assertEquals(1, c.getMessage().lines().count());

    Path json = dir.resolve("bad-json.jsonl");
    Files.writeString(json, "{\"prompt\": \"fine\"}\n{\"prompt\": \"cut\n");
    ConfigException j = assertThrows(ConfigException.class,
        () -> Dataset.load(new Dataset.Settings(Dataset.Format.CUSTOM, json, null), null, SEED, WordTokenizer::count));
    assertTrue(j.getMessage().startsWith(json + ":2: not valid JSON"), j.getMessage());

    Path messages = dir.resolve("bad-messages.jsonl");
    Files.writeString(messages, "{\"messages\": [{\"content\": \"no role\"}]}\n");
    ConfigException m = assertThrows(ConfigException.class, () -> Dataset.load(
        new Dataset.Settings(Dataset.Format.MESSAGES, messages, null), null, SEED, WordTokenizer::count));
    assertTrue(m.getMessage().startsWith(messages + ":1: messages[0]"), m.getMessage());

    Path share = dir.resolve("bad-sharegpt.json");
    Files.writeString(share, "[" + MAPPER.writeValueAsString(conv("a prompt of words", "a reply of words"))
        + ", {\"conversations\": [{\"from\": \"human\"}, {\"from\": \"gpt\", \"value\": \"x\"}]}]");
    ConfigException s = assertThrows(ConfigException.class, () -> Dataset.load(
        new Dataset.Settings(Dataset.Format.SHAREGPT, share, null), null, SEED, WordTokenizer::count));
    assertTrue(s.getMessage().startsWith(share + ": element 1: conversations[0]: field 'value'"), s.getMessage());
    assertNotEquals("", s.getMessage());
  }
}
