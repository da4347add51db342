package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.Stress;
import dev.llmbench.llm.run.StressConfig;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.telemetry.MetricsScraper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.StressSimulation;

/**
 * The stress scenarios at a short size against the embedded emulator: a healthy server passes every
 * check, and each emulator fault makes the check that watches for it fail, with the run: an
 * out-of-memory answer named with its remedies, wrong shapes, answers that change under concurrency,
 * a decode time that drifts, memory that grows, errors.
 */
class StressSimulationTest {
  @TempDir
  Path results;

  /**
   * Small sizes; windows of 2 s over a 12 s sustained run. A 12 s run's slope in percent per minute is
   * that of a 5 min run magnified 25 times, its noise too: the drift bound is raised to match, and the
   * drift fault (600 %/min) is far beyond it.
   */
  private static final Map<String, String> SHORT = Map.ofEntries(Map.entry("stress.batch.sizes", "10,20"),
      Map.entry("stress.runs", "2"), Map.entry("stress.concurrency", "2,4"), Map.entry("stress.duration", "12s"),
      Map.entry("stress.window.sec", "2"), Map.entry("stress.scrape.sec", "1"),
      Map.entry("stress.drift.max.pct.per.min", "100"), Map.entry("baseline.compare", "false"),
      Map.entry("validity.loop.lag.ms", "60000"), Map.entry("validity.read.lag.ms", "60000"),
      Map.entry("validity.send.lag.ms", "60000"), Map.entry("validity.gc.pause.ms", "60000"),
      Map.entry("validity.cpu.share", "1"));

  @Test
  void aHealthyServerPassesEveryScenario() throws IOException {
    GatlingRun.Outcome run = GatlingRun.run(StressSimulation.class, SHORT, results.resolve("healthy"));
    assertEquals(0, run.exitCode());
    String checks = checks("healthy");
    assertTrue(checks.contains("Stress verdict: PASS"), checks);
    assertTrue(!checks.contains("FAIL "), checks);
    for (String line : List.of("large-batch batch=20  failed requests", "concurrent c=4 score  score consistency",
        "concurrent c=4 generate  answer agreement", "sustained  p95 drift", "sustained  memory growth",
        "sustained  KV-cache growth")) {
      assertTrue(checks.lines().anyMatch(l -> l.startsWith("PASS") && l.contains(line)), line + " in " + checks);
    }
    JsonNode json = new ObjectMapper().readTree(resultFolder("healthy").resolve(Stress.CHECKS_JSON).toFile());
    assertEquals("PASS", json.get("verdict").asText());
    assertEquals(checks.lines().count() - 1, json.get("checks").size(), "one object per line but the verdict's");
    // Copies of one input were in flight together, and the server's /metrics was read through the run.
    List<RequestResult> c4 = run.measured().stream().filter(r -> r.group().equals("concurrent c=4 score")).toList();
    assertEquals(4 * 4, c4.size(), "4 distinct inputs, each sent by the 4 users at once");
    assertEquals(4, c4.stream().map(RequestResult::inputHash).distinct().count());
    List<MetricsScraper.Scrape> scrapes = MetricsScraper.read(run.runFolder().resolve(Stress.METRICS_FILE));
    assertTrue(scrapes.size() >= 10 && scrapes.stream().allMatch(MetricsScraper.Scrape::ok), scrapes.size() + "");
  }

  @Test
  void anOutOfMemoryAnswerIsNamedWithItsRemediesAndAWrongShapeFails() throws IOException {
    Map<String, String> props = with(Map.of("scenario", "large-batch", "stress.batch.sizes", "5,200",
        // 200 items of 96 tokens are over the emulator's memory; every answer of the others lacks an item
        "emulator.fault.oom.above.tokens", "10000", "emulator.fault.rate.wrong-shape", "1"));
    assertThrows(RuntimeException.class, () -> GatlingRun.run(StressSimulation.class, props, results.resolve("oom")));
    String checks = checks("oom");
    assertTrue(failed(checks, "large-batch batch=200  OOM").contains("remedies: reduce the batch size"), checks);
    assertTrue(failed(checks, "large-batch batch=5  wrong answers").contains("wrong shape"), checks);
    assertTrue(checks.contains("Stress verdict: FAIL"), checks);
  }

  @Test
  void answersThatChangeUnderConcurrencyFail() throws IOException {
    Map<String, String> props = with(Map.of("scenario", "concurrent", "emulator.fault.rate.nondeterministic", "1"));
    assertThrows(RuntimeException.class, () -> GatlingRun.run(StressSimulation.class, props,
        results.resolve("nondeterministic")));
    String checks = checks("nondeterministic");
    failed(checks, "concurrent c=4 score  score consistency");
    failed(checks, "concurrent c=4 generate  answer agreement");
    assertTrue(checks.lines().anyMatch(l -> l.startsWith("PASS") && l.contains("c=4 score  error rate")),
        "no errors, only other answers: " + checks);
  }

  @Test
  void driftMemoryGrowthAndErrorsFailTheSustainedScenario() throws IOException {
    Map<String, String> props = with(Map.of("scenario", "sustained", "emulator.fault.drift.pct.per.min", "600",
        "emulator.fault.memory.growth.mb.per.min", "600", "emulator.fault.rate.http-500", "0.2"));
    assertThrows(RuntimeException.class, () -> GatlingRun.run(StressSimulation.class, props,
        results.resolve("sustained")));
    String checks = checks("sustained");
    failed(checks, "sustained  p50 drift");
    failed(checks, "sustained  memory growth");
    failed(checks, "sustained  error rate");
  }

  @Test
  void theScenariosFlagsAreValidatedLoudly() {
    StressConfig all = StressConfig.from(Props.of(Map.of()));
    assertEquals(StressConfig.SCENARIOS, all.scenarios());
    assertEquals(List.of(50, 100, 200), all.batchSizes());
    assertEquals(List.of(2, 4, 8, 16), all.concurrency());
    assertEquals(Duration.ofMinutes(5), all.duration());
    assertEquals(Duration.ofSeconds(90), StressConfig.from(Props.of(Map.of("stress.duration", "90s"))).duration());
    ConfigException scenario = assertThrows(ConfigException.class,
        () -> StressConfig.from(Props.of(Map.of("scenario", "soak"))));
    assertTrue(scenario.getMessage().contains("large-batch|concurrent|sustained|all"), scenario.getMessage());
    ConfigException typo = assertThrows(ConfigException.class,
        () -> StressConfig.from(Props.of(Map.of("stress.durations", "5m"))));
    assertTrue(typo.getMessage().startsWith("unknown property stress.durations"), typo.getMessage());
    ConfigException duration = assertThrows(ConfigException.class,
        () -> StressConfig.from(Props.of(Map.of("stress.duration", "five minutes"))));
    assertTrue(duration.getMessage().contains("such as 300, 90s, 5m or 1h"), duration.getMessage());
  }

  private static Map<String, String> with(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(SHORT);
    all.putAll(more);
    return all;
  }

  /** The result folder's stress-checks.txt. */
  private String checks(String run) throws IOException {
    return Files.readString(resultFolder(run).resolve(Stress.CHECKS_FILE));
  }

  private Path resultFolder(String run) throws IOException {
    try (Stream<Path> s = Files.list(results.resolve(run).resolve("reports").resolve("emulator"))) {
      List<Path> folders = s.filter(Files::isDirectory).toList();
      assertEquals(1, folders.size(), folders.toString());
      return folders.get(0);
    }
  }

  /** The FAIL line of a check, which must be there. */
  private static String failed(String checks, String check) {
    return checks.lines().filter(l -> l.startsWith("FAIL") && l.contains(check)).findFirst()
        .orElseThrow(() -> new AssertionError("no FAIL line for " + check + " in:\n" + checks));
  }
}
