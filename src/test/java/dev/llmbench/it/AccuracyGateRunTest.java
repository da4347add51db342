package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.accuracy.Gsm8k;
import dev.llmbench.emulator.Gsm8kAnswers;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.metrics.Wilson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The accuracy gate in real runs on the embedded emulator's GSM8K mode ({@code emulator.accuracy}): it
 * passes at an emulated 95 % and fails at 50 % with a threshold of 0.8, the load running and its results
 * written either way; {@code accuracy.skip=true} skips it. The expected score is the emulator's own rule
 * ({@link Gsm8kAnswers#answersRight}) over the questions asked.
 */
class AccuracyGateRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Few questions keep the runs short; enough that 95 % and 50 % land on either side of 0.8. */
  private static final int QUESTIONS = 40;
  private static final double THRESHOLD = 0.8;

  private static Map<String, String> gated(double emulated, String... more) {
    Map<String, String> props = randomLoad(4, 16, 8, 2, "accuracy", "gsm8k",
        "accuracy.questions", Integer.toString(QUESTIONS), "accuracy.threshold", Double.toString(THRESHOLD),
        "accuracy.concurrency", "8", "emulator.accuracy", Double.toString(emulated));
    return with(props, more);
  }

  /** How many of the first questions the emulator answers right at {@code share}: its own rule. */
  private static int expectedCorrect(double share) {
    return (int) Gsm8k.test().subList(0, QUESTIONS).stream()
        .filter(item -> Gsm8kAnswers.answersRight(item.question(), share)).count();
  }

  private static JsonNode summary(String name) throws IOException {
    return JSON.readTree(resultFolder(name).resolve("summary.json").toFile());
  }

  @Test
  void theGatePassesAtAnEmulated95Percent() throws IOException {
    int expected = expectedCorrect(0.95);
    assertTrue((double) expected / QUESTIONS >= THRESHOLD, "the emulator's share is above the threshold");
    GatlingRun.Outcome run = GatlingRun.run(ServingSimulation.class, gated(0.95), results.resolve("pass"));
    assertEquals(0, run.exitCode());
    assertEquals(4, run.measured().size(), "the load ran");

    JsonNode accuracy = summary("pass").path("accuracy");
    assertEquals("gsm8k", accuracy.path("benchmark").asText(), accuracy.toString());
    assertEquals(QUESTIONS, accuracy.path("questions").asInt());
    assertEquals(expected, accuracy.path("correct").asInt(), "every reply scored as the emulator meant it");
    assertEquals(0, accuracy.path("invalid").asInt());
    assertEquals(0, accuracy.path("errors").asInt());
    Wilson.Interval ci = Wilson.interval95(expected, QUESTIONS);
    assertEquals(ci.low(), accuracy.path("ci95Low").asDouble(), 1e-6); // summary.json rounds to 6 places
    assertEquals(ci.high(), accuracy.path("ci95High").asDouble(), 1e-6);
    assertTrue(accuracy.path("passed").asBoolean());
    assertTrue(Files.readString(resultFolder("pass").resolve("index.html")).contains("accuracy gate passed: gsm8k"));
    JsonNode described = JSON.readTree(run.runFolder().resolve("llm-run.json").toFile());
    assertEquals(expected, described.path("accuracy").path("correct").asInt(), "llm-run.json records it");
  }

  @Test
  void theGateFailsAtAnEmulated50PercentAfterTheResultsAreWritten() throws IOException {
    int expected = expectedCorrect(0.5);
    assertTrue((double) expected / QUESTIONS < THRESHOLD, "the emulator's share is below the threshold");
    Path dir = results.resolve("fail");
    LlmSimulation.AccuracyGateFailedException e = assertThrows(LlmSimulation.AccuracyGateFailedException.class,
        () -> GatlingRun.run(ServingSimulation.class, gated(0.5), dir));
    assertTrue(e.getMessage().startsWith("accuracy gate FAILED: gsm8k "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" < threshold 0.80 over " + QUESTIONS + " questions"), e.getMessage());

    // The load still ran, and its figures are written, flagged.
    assertEquals(4, GatlingRun.measuredIn(dir, ServingSimulation.class).size());
    JsonNode s = summary("fail");
    assertFalse(s.path("groups").isEmpty(), "the performance figures are written");
    JsonNode accuracy = s.path("accuracy");
    assertEquals(expected, accuracy.path("correct").asInt(), accuracy.toString());
    assertFalse(accuracy.path("passed").asBoolean());
    String page = Files.readString(resultFolder("fail").resolve("index.html"));
    assertTrue(page.contains("<pre class=\"block client-bound\">accuracy gate FAILED: gsm8k"), "the page says so, in red");
  }

  @Test
  void theSkipSwitchSkipsTheGate() throws IOException {
    // An emulator that answers nothing right: the gate would fail were it asked.
    GatlingRun.Outcome run = GatlingRun.run(ServingSimulation.class, gated(0.0, "accuracy.skip", "true"),
        results.resolve("skip"));
    assertEquals(0, run.exitCode());
    assertFalse(summary("skip").has("accuracy"), "no gate, no accuracy");
    assertEquals(run.requests().size(), run.target().emulator().groundTruth().finishedCount(),
        "the emulator served the load's requests alone: no question was asked");
  }
}
