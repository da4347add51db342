package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.emulator.SubwordTokenizer;
import dev.llmbench.llm.run.Target;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.tokenizer.WordTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simulations.ServingSimulation;

/**
 * Prompts sized in the served model's tokens, against the emulator counting with its subword
 * tokenizer (words are not tokens there): each way of sizing plans what the server counts, and the
 * prompts of words (a prompt file counted by the word tokenizer) are caught by the WARN.
 */
class PromptSizingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path work;

  private record Run(GatlingRun.Outcome outcome, JsonNode sizing, String console) {}

  private Run run(String name, Map<String, String> extra) throws IOException {
    Map<String, String> props = new HashMap<>(Map.of(
        "emulator.tokenizer", "subword",
        "profile", "random-256-256",
        "num.prompts", "12",
        "random.input.len", "96",
        "random.output.len", "4",
        "max.concurrency", "4",
        "baseline.compare", "false"));
    props.putAll(extra);
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    GatlingRun.Outcome o;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      o = GatlingRun.run(ServingSimulation.class, props, work.resolve(name));
    } finally {
      System.setOut(out);
    }
    String console = captured.toString(StandardCharsets.UTF_8);
    out.print(console);
    assertEquals(0, o.exitCode(), console);
    File[] folders = work.resolve(name).resolve("reports").resolve("emulator").toFile().listFiles(File::isDirectory);
    assertEquals(1, folders.length, "one result folder");
    JsonNode summary = MAPPER.readTree(folders[0].toPath().resolve("summary.json").toFile());
    return new Run(o, summary.path("promptSizing"), console);
  }

  /** Every measured request: the server's count, less its template, is the planned one. */
  private static void assertExact(Run r, int overhead) {
    List<RequestResult> measured = r.outcome().requests().stream().filter(q -> !q.warmup()).toList();
    assertEquals(12, measured.size());
    for (RequestResult q : measured) {
      assertTrue(q.ok(), q.error());
      assertEquals(q.promptTokensPlanned() + overhead, q.promptTokens(), "request " + q.requestId());
    }
    assertEquals(0.0, r.sizing().path("deviation").asDouble(-1), r.sizing().toString());
    assertTrue(r.sizing().path("warning").isNull(), r.sizing().toString());
    assertFalse(r.console().contains("WARN input tokens"), r.console());
  }

  @ParameterizedTest
  @CsvSource({"openai, 0", "openai-chat, " + SubwordTokenizer.CHAT_TEMPLATE_TOKENS})
  void aTokenizerFileGivesTheExactLength(String backend, int overhead) throws IOException {
    Path model = Files.createDirectories(work.resolve("model-" + backend));
    Files.writeString(model.resolve("tokenizer.json"), SubwordTokenizer.get().huggingFaceJson());
    Run r = run("file-" + backend, Map.of("backend", backend, "tokenizer", model.toString()));
    assertEquals("tokenizer-file", r.sizing().path("method").asText());
    assertEquals(overhead, r.sizing().path("templateOverheadTokens").asInt(-1));
    assertTrue(r.console().contains("llm-serving-bench: prompts sized by the tokenizer file ("
        + model.toAbsolutePath()), r.console());
    assertExact(r, overhead);
  }

  @ParameterizedTest
  @CsvSource({"openai, 0", "openai-chat, " + SubwordTokenizer.CHAT_TEMPLATE_TOKENS})
  void theServersTokenizeGivesTheExactLength(String backend, int overhead) throws IOException {
    Run r = run("tokenize-" + backend, Map.of("backend", backend));
    assertEquals("server-tokenize", r.sizing().path("method").asText());
    assertTrue(r.console().contains("llm-serving-bench: prompts sized by the server's /tokenize ("), r.console());
    assertExact(r, overhead);
  }

  @Test
  void withoutTokenizeTheDefaultVocabularyIsUsedWithANote() throws IOException {
    Run r = run("default", Map.of("backend", "openai-chat", "emulator.tokenize.endpoint", "false"));
    assertEquals("default-vocabulary", r.sizing().path("method").asText());
    assertTrue(r.console().contains("llm-serving-bench: NOTE the server at http://127.0.0.1:"), r.console());
    assertTrue(r.console().contains("has no usable /tokenize (llama.cpp's shape: HTTP 404; vLLM's shape: HTTP 404) and "
        + "no -Dtokenizer was given: prompts are words of the default vocabulary"), r.console());
    // Within 5 % as the check counts it; here exact, as the emulator keeps those words whole.
    assertTrue(Math.abs(r.sizing().path("deviation").asDouble(1)) <= 0.05, r.sizing().toString());
    assertExact(r, SubwordTokenizer.CHAT_TEMPLATE_TOKENS);
  }

  @Test
  void promptsOfWordsAreCaughtByTheWarning() throws IOException {
    // The old way: prompts of the word tokenizer's words, planned as one token a word (a prompt file is
    // still counted so); the subword server counts three tokens a word.
    Random random = new Random(1);
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      jsonl.append(MAPPER.createObjectNode().put("prompt", WordTokenizer.prompt(50, random)).put("max_tokens", 4))
          .append('\n');
    }
    Path file = Files.writeString(work.resolve("words.jsonl"), jsonl);
    Run r = run("words", Map.of("backend", "openai", "prompt.file", file.toString()));
    assertEquals("word-tokenizer", r.sizing().path("method").asText());
    assertTrue(r.sizing().path("deviation").asDouble() > 1.9, "about three tokens a word: " + r.sizing());
    assertTrue(r.sizing().path("warning").asText()
        .startsWith("WARN input tokens differ from the plan by more than 5 %"), r.sizing().toString());
    assertTrue(r.console().contains("WARN input tokens differ from the plan by more than 5 %: 600 planned, "),
        r.console());
  }

  /** Bad input: one line naming the path and what to give, and no request sent. */
  @ParameterizedTest
  @CsvSource({"missing.json, does not exist or is not a readable file",
      "notes.txt, is not a HuggingFace tokenizer.json", "empty-folder, is a folder without a tokenizer.json"})
  void aTokenizerThatIsNotOneStopsTheRunBeforeAnyLoad(String name, String what) throws Exception {
    Path path = work.resolve(name);
    if (name.equals("notes.txt")) {
      Files.writeString(path, "not a tokenizer");
    } else if (name.equals("empty-folder")) {
      Files.createDirectories(path);
    }
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int sent = -1;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        GatlingRun.run(ServingSimulation.class, Map.of("emulator.tokenizer", "subword", "tokenizer", path.toString(),
            "num.prompts", "4"), work.resolve("bad-" + name));
      } catch (Exception e) {
        // Gatling reports the crash its own way; what matters is the line before it.
      }
      // No run at all when the property is refused before the emulator starts: nothing was sent.
      Target target = LastRun.targetOrNull();
      sent = target == null ? 0 : target.emulator().groundTruth().all().size();
    } finally {
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    String line = text.lines().filter(l -> l.startsWith("llm-serving-bench: ERROR tokenizer ")).findFirst().orElse("");
    assertTrue(line.contains(path.toAbsolutePath() + "") && line.contains(what)
        && line.endsWith("give the served model's tokenizer.json or the model folder holding it"), text);
    assertEquals(0, sent, "no request reached the server");
  }
}
