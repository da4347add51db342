package dev.llmbench.workload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSONL prompt files: fields, defaults, and errors that name file and line. */
class PromptFileTest {

  @TempDir
  Path dir;

  private Path file(String content) throws IOException {
    Path f = dir.resolve("prompts.jsonl");
    Files.writeString(f, content, UTF_8);
    return f;
  }

  private ConfigException error(String content) throws IOException {
    Path f = file(content);
    return assertThrows(ConfigException.class, () -> PromptFile.read(f, 64));
  }

  @Test
  void readsPromptsWithDefaultAndOwnMaxTokensSkippingBlankLines() throws IOException {
    Path f = file("{\"prompt\": \"Explain KV caching.\", \"max_tokens\": 256, \"temperature\": 0}\n"
        + "\n   \n"
        + "{\"prompt\": \"two words\"}\n"
        + "{\"prompt\": \"null max\", \"max_tokens\": null, \"temperature\": 0.7}\n");
    List<Ticket> tickets = PromptFile.read(f, 64);
    assertEquals(3, tickets.size());
    assertEquals("Explain KV caching.", tickets.get(0).prompt());
    assertEquals(3, tickets.get(0).inputTokens());
    assertEquals(256, tickets.get(0).outputTokens());
    assertEquals(64, tickets.get(1).outputTokens(), "default max_tokens");
    assertEquals(2, tickets.get(1).inputTokens());
    assertEquals(64, tickets.get(2).outputTokens(), "null max_tokens: default");
    for (int i = 0; i < tickets.size(); i++) {
      assertEquals(i, tickets.get(i).index(), "indexes skip blank lines");
    }
  }

  @Test
  void badJsonNamesFileAndLine() throws IOException {
    ConfigException e = error("{\"prompt\": \"ok\"}\n\n{\"prompt\": \"oops\"\n");
    assertTrue(e.getMessage().contains("prompts.jsonl:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void nonObjectLineIsRejected() throws IOException {
    ConfigException e = error("[\"prompt\"]\n");
    assertTrue(e.getMessage().contains("prompts.jsonl:1:"), e.getMessage());
    assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
  }

  @Test
  void missingOrNonStringPromptNamesTheField() throws IOException {
    ConfigException missing = error("{\"prompt\": \"ok\"}\n{\"text\": \"no prompt\"}\n");
    assertTrue(missing.getMessage().contains("prompts.jsonl:2:"), missing.getMessage());
    assertTrue(missing.getMessage().contains("'prompt'"), missing.getMessage());
    ConfigException number = error("{\"prompt\": 5}\n");
    assertTrue(number.getMessage().contains("prompts.jsonl:1:") && number.getMessage().contains("got 5"),
        number.getMessage());
  }

  @Test
  void nonIntegerMaxTokensNamesFieldLineAndValue() throws IOException {
    ConfigException text = error("{\"prompt\": \"a\"}\n{\"prompt\": \"b\", \"max_tokens\": \"abc\"}\n");
    assertEquals(dir.resolve("prompts.jsonl") + ":2: field 'max_tokens' must be an integer >= 1, got \"abc\"",
        text.getMessage());
    ConfigException fraction = error("{\"prompt\": \"b\", \"max_tokens\": 2.5}\n");
    assertTrue(fraction.getMessage().contains(":1: field 'max_tokens'") && fraction.getMessage().contains("2.5"),
        fraction.getMessage());
    ConfigException zero = error("{\"prompt\": \"b\", \"max_tokens\": 0}\n");
    assertTrue(zero.getMessage().contains("got 0"), zero.getMessage());
  }

  @Test
  void maxTokensBeyondIntRangeIsRejectedNotWrapped() throws IOException {
    // 2^32 + 1 would wrap to 1 as an int.
    ConfigException e = error("{\"prompt\": \"b\", \"max_tokens\": 4294967297}\n");
    assertTrue(e.getMessage().contains("4294967297"), e.getMessage());
  }

  @Test
  void nonNumericTemperatureIsRejected() throws IOException {
    ConfigException e = error("{\"prompt\": \"b\", \"temperature\": \"hot\"}\n");
    assertTrue(e.getMessage().contains(":1: field 'temperature'"), e.getMessage());
  }

  @Test
  void emptyFileIsAnError() throws IOException {
    ConfigException e = error("\n  \n");
    assertTrue(e.getMessage().contains("holds no prompt"), e.getMessage());
    assertTrue(e.getMessage().contains("prompts.jsonl"), e.getMessage());
  }

  @Test
  void missingFileIsAConfigExceptionWithCause() {
    Path missing = dir.resolve("absent.jsonl");
    ConfigException e = assertThrows(ConfigException.class, () -> PromptFile.read(missing, 64));
    assertTrue(e.getMessage().contains("absent.jsonl"), e.getMessage());
    assertTrue(e.getCause() instanceof IOException);
  }
}
