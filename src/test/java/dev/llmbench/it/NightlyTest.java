package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.Props;
import dev.llmbench.tools.Nightly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The nightly command end to end, with tiny configs whose runs are smoke runs against the embedded emulator,
 * each in a JVM of its own: a clean night, then the same night against a baseline no run can meet (a
 * regression, exit 1), a night where one run cannot reach its server (exit 3, the next run still runs), and
 * configs that are wrong (exit 2, one line, no run). The history step is a recorder, so the test sees it called
 * after the runs with the night's options.
 */
class NightlyTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validity limits no run on these cores crosses: a client-bound run would be refused as the baseline. */
  private static final String LENIENT = """
      "validity.loop.lag.ms": "60000", "validity.read.lag.ms": "60000", "validity.send.lag.ms": "60000",
      "validity.gc.pause.ms": "60000", "validity.cpu.share": "1", "quiet": "true\"""";

  /** One call of the history step. */
  private record HistoryCall(Path reports, Path baselines, int keepDays, boolean prune) {}

  private record Night(int code, String out, String err, List<HistoryCall> history) {}

  private static Night night(Path config, Path reports, String... more) {
    Map<String, String> props = new HashMap<>(Map.of("nightly.config", config.toString(),
        "llmbench.results.dir", results.resolve("gatling").toString()));
    with(props, more);
    List<HistoryCall> calls = new ArrayList<>();
    Nightly.HistoryStep recorder = (r, b, days, prune, now, o, e) -> {
      calls.add(new HistoryCall(r, b, days, prune));
      return 0;
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Nightly.run(Props.of(props), reports, recorder, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Night(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), calls);
  }

  private static Path config(String name, String json) throws IOException {
    return Files.writeString(Files.createDirectories(results.resolve("configs")).resolve(name + ".json"), json);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The night's summary JSON: the newest reports/summary/nightly-*.json. */
  private static JsonNode summary(Path reports) throws IOException {
    try (Stream<Path> s = Files.list(reports.resolve("summary"))) {
      Path newest = s.filter(p -> p.getFileName().toString().matches("nightly-.*\\.json"))
          .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElseThrow();
      assertTrue(Files.exists(Path.of(newest.toString().replaceFirst("\\.json$", ".md"))), "the Markdown beside it");
      return JSON.readTree(newest.toFile());
    }
  }

  @Test
  void aCleanNightThenTheSameNightAgainstABaselineNoRunMeetsIsARegression() throws Exception {
    Path reports = results.resolve("clean-reports");
    Path baselines = results.resolve("clean-baselines");
    // The stress entry would fail (nothing listens there): skipped without -Dnightly.stress, the night is clean.
    Path config = config("clean", """
        {"properties": {%s},
         "entries": [
           {"name": "smoke", "simulation": "simulations.SmokeSimulation"},
           {"name": "never", "simulation": "SmokeSimulation", "stress": true,
            "properties": {"target.url": "http://127.0.0.1:%d"}}]}
        """.formatted(LENIENT, closedPort()));
    Night first = night(config, reports, "baseline.dir", baselines.toString(), "baseline.update", "true",
        "baseline.reason", "nightly test", "history.days", "7");
    assertEquals(Nightly.CLEAN, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("llm-serving-bench nightly: SKIPPED never: a stress entry"), first.out());
    assertEquals(List.of(new HistoryCall(reports, baselines, 7, true)), first.history(), "called once, after the runs");
    JsonNode night1 = summary(reports);
    assertEquals(0, night1.get("exitCode").asInt());
    assertEquals(1, night1.get("runs").size(), "the stress entry did not run");
    JsonNode smoke = night1.get("runs").get(0);
    assertEquals("ok", smoke.get("verdict").asText(), smoke.toString());
    Path folder = Path.of(smoke.get("resultFolder").asText());
    assertTrue(Files.exists(folder.resolve("summary.json")), folder.toString());
    assertTrue(first.out().contains(folder.toString()), "the table names the folder");

    EmulatorRuns.twiceAsGoodBaseline(baselines, "emulator", "smoke");

    Night second = night(config, reports, "baseline.dir", baselines.toString());
    assertEquals(Nightly.REGRESSION, second.code(), second.out() + second.err());
    assertEquals(1, second.history().size(), "the history is updated whatever the verdicts");
    JsonNode night2 = summary(reports);
    JsonNode regressed = night2.get("runs").get(0);
    assertEquals("REGRESSION", regressed.get("verdict").asText(), regressed.toString());
    assertNotNull(regressed.get("exitCode").numberValue(), "it ran");
    Path folder2 = Path.of(regressed.get("resultFolder").asText());
    assertEquals("regression", JSON.readTree(folder2.resolve("comparison.json").toFile()).get("verdict").asText());
    try (Stream<Path> s = Files.list(reports.resolve("summary"))) {
      assertEquals(4, s.filter(p -> p.getFileName().toString().startsWith("nightly-")).count(),
          "each night its own .md and .json, none replaced");
    }
  }

  @Test
  void aRunThatCannotReachItsServerFailsTheNightButTheNextStillRuns() throws Exception {
    Path reports = results.resolve("failed-reports");
    Path config = config("failed", """
        {"properties": {%s},
         "entries": [
           {"name": "down", "simulation": "simulations.SmokeSimulation",
            "properties": {"target.url": "http://127.0.0.1:%d", "health.timeout.sec": "1"}},
           {"name": "after", "simulation": "simulations.SmokeSimulation"}]}
        """.formatted(LENIENT, closedPort()));
    Night n = night(config, reports, "baseline.dir", results.resolve("no-baselines").toString());
    assertEquals(Nightly.RUN_FAILED, n.code(), n.out() + n.err());
    assertEquals(1, n.history().size());
    JsonNode runs = summary(reports).get("runs");
    assertEquals(2, runs.size(), runs.toString());
    assertEquals("FAILED", runs.get(0).get("verdict").asText(), runs.toString());
    assertTrue(runs.get(0).get("resultFolder").isNull(), runs.toString());
    assertTrue(runs.get(0).get("why").asText().startsWith("no result folder, exit code "), runs.toString());
    assertEquals("ok", runs.get(1).get("verdict").asText(), runs.toString());
    assertTrue(Files.isDirectory(Path.of(runs.get(1).get("resultFolder").asText())), runs.toString());
  }

  @Test
  void aBadConfigOrOptionIsOneLineBeforeAnyRun() throws IOException {
    Path reports = results.resolve("bad-reports");
    String good = "{\"entries\": [{\"name\": \"smoke\", \"simulation\": \"simulations.SmokeSimulation\"}]}";
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("{\"entries\": [], \"target\": \"http://x\"}", new String[] {"unknown key \"target\""});
    cases.put("{\"entries\": [{\"name\": \"a\", \"simulation\": \"simulations.SmokeSimulation\", \"propertes\": {}}]}",
        new String[] {"entry a: unknown key \"propertes\""});
    cases.put("{\"entries\": [{\"name\": \"a\", \"simulation\": \"simulations.NoSuchSimulation\"}]}",
        new String[] {"simulation simulations.NoSuchSimulation is not on the test classpath"});
    cases.put("{\"entries\": [{\"name\": \"a\", \"simulation\": \"simulations.SmokeSimulation\","
        + " \"properties\": {\"num.prompt\": 4}}]}", new String[] {"entry a: unknown property num.prompt"});
    cases.put("{\"entries\": [{\"name\": \"a\", \"simulation\": \"SmokeSimulation\"},"
        + " {\"name\": \"a\", \"simulation\": \"SmokeSimulation\"}]}", new String[] {"entry a is listed twice"});
    cases.put("{\"entries\": [", new String[] {"is not valid JSON"});
    cases.put(good, new String[] {"size must be one of smoke, full, but was \"huge\"", "size", "huge"});
    cases.put(good + " ", new String[] {"unknown option -Dnightly.strss", "nightly.strss", "true"});
    cases.put(good + "  ", new String[] {"history.days must be", "history.days", "0"});
    int i = 0;
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String[] expected = c.getValue();
      String[] more = java.util.Arrays.copyOfRange(expected, 1, expected.length);
      Night n = night(config("bad" + i++, c.getKey()), reports, more);
      assertEquals(Nightly.BAD_CONFIG, n.code(), c.getKey() + n.out() + n.err());
      assertEquals(1, n.err().strip().lines().count(), n.err());
      assertTrue(n.err().startsWith("llm-serving-bench nightly: ERROR "), n.err());
      assertTrue(n.err().contains(expected[0]), expected[0] + " in " + n.err());
      assertTrue(n.out().isEmpty(), "no run: " + n.out());
      assertTrue(n.history().isEmpty(), "no history update");
    }
    Night missing = night(results.resolve("configs").resolve("none.json"), reports);
    assertEquals(Nightly.BAD_CONFIG, missing.code());
    assertTrue(missing.err().contains("none.json does not exist"), missing.err());
    assertFalse(Files.exists(reports), "nothing written");
  }
}
