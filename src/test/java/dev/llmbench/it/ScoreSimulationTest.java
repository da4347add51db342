package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.PoolingApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.BaselineRow;
import dev.llmbench.report.baseline.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.ScoreSimulation;

/** The scoring runbook's simulation, at a short size, against the embedded emulator. */
class ScoreSimulationTest {
  @TempDir
  Path results;

  private static final Map<String, String> SHORT = Map.of("batch.sizes", "1,4", "num.labels", "2", "num.runs", "5",
      "warmup.runs", "1", "baseline.compare", "false");

  @Test
  void everyCellSendsItsRunsWithItsItemsAndRightAnswers() throws IOException {
    GatlingRun.Outcome run = GatlingRun.run(ScoreSimulation.class, SHORT, results.resolve("ok"));
    assertEquals(0, run.exitCode());
    List<RequestResult> measured = run.measured();
    assertEquals(10, measured.size(), "2 cells of 5 runs");
    assertEquals(Set.of("batch=1 labels=2", "batch=4 labels=2"),
        measured.stream().map(RequestResult::group).collect(Collectors.toSet()));
    for (RequestResult r : measured) {
      assertTrue(r.ok(), r.toString());
      assertEquals(r.group().startsWith("batch=1 ") ? 1 : 4, r.items(), r.toString());
      assertTrue(r.e2eMicros() > 0 && r.ttftMicros() == -1, "one answer, no first token: " + r);
    }
    assertEquals(2, run.requests().stream().filter(RequestResult::warmup).count(), "one warm-up per cell");
  }

  @Test
  void aWrongShapeIsAFailedRequestNamedSo() throws IOException {
    Map<String, String> props = new java.util.HashMap<>(SHORT);
    props.put("emulator.fault.rate.wrong-shape", "1");
    // Every cell measured nothing: the run fails, its results written.
    RuntimeException failed = assertThrows(RuntimeException.class,
        () -> GatlingRun.run(ScoreSimulation.class, props, results.resolve("shape")));
    assertTrue(String.valueOf(failed.getMessage()).contains("measured nothing"), String.valueOf(failed));
    for (RequestResult r : GatlingRun.measuredIn(results.resolve("shape"), ScoreSimulation.class)) {
      assertTrue(!r.ok() && r.error().startsWith("wrong shape: ") && r.error().contains("results for"), r.toString());
    }
    // Every cell failed: its row still stands, with its errors and no latency.
    String table = Files.readString(only(results.resolve("shape/reports/emulator")).resolve("pooling.csv"));
    assertTrue(table.contains("batch=4 labels=2,4,2,0,5,0,0,,,,,"), table);
  }

  @Test
  void badProbabilitiesAreAFailedRequestNamedSo() throws IOException {
    Map<String, String> props = new java.util.HashMap<>(SHORT);
    props.put("emulator.fault.rate.bad-probabilities", "1");
    assertThrows(RuntimeException.class,
        () -> GatlingRun.run(ScoreSimulation.class, props, results.resolve("probabilities")));
    for (RequestResult r : GatlingRun.measuredIn(results.resolve("probabilities"), ScoreSimulation.class)) {
      assertTrue(!r.ok() && r.error().startsWith("bad probabilities: "), r.toString());
    }
  }

  @Test
  void vllmsPoolingApisAreSentWithTheirItems() throws IOException {
    for (String backend : List.of("vllm", "rerank", "embeddings")) {
      Map<String, String> props = new java.util.HashMap<>(SHORT);
      props.put("backend", backend);
      GatlingRun.Outcome run = GatlingRun.run(ScoreSimulation.class, props, results.resolve(backend));
      assertEquals(Set.of("batch=1", "batch=4"),
          run.measured().stream().map(RequestResult::group).collect(Collectors.toSet()), backend);
      for (RequestResult r : run.measured()) {
        assertTrue(r.ok(), backend + ": " + r);
        assertEquals(r.group().equals("batch=1") ? 1 : 4, r.items(), backend + ": " + r);
      }
    }
  }

  /** Validity limits no run on these cores crosses: a client-bound run's regressions would be warnings. */
  private static final Map<String, String> LENIENT = Map.of("validity.loop.lag.ms", "60000",
      "validity.read.lag.ms", "60000", "validity.send.lag.ms", "60000", "validity.gc.pause.ms", "60000",
      "validity.cpu.share", "1");

  @Test
  void eachCellsStatusAgainstTheBaselineIsInTheTableAndARegressionFailsTheRun() throws Exception {
    Path baselines = results.resolve("baselines");
    Map<String, String> props = new java.util.HashMap<>(SHORT);
    props.putAll(LENIENT);
    props.remove("baseline.compare");
    props.put("baseline.dir", baselines.toString());

    // No baseline yet: the run passes, its table says so, and the update makes it the baseline.
    Map<String, String> update = new java.util.HashMap<>(props);
    update.putAll(Map.of("baseline.update", "true", "baseline.reason", "first scoring baseline"));
    GatlingRun.Outcome first = GatlingRun.run(ScoreSimulation.class, update, results.resolve("first"));
    assertEquals(0, first.exitCode());
    assertEquals(List.of("no baseline", "no baseline"), statuses(only(results.resolve("first/reports/emulator"))));
    Baseline written = BaselineFiles.read(baselines, "emulator", "score-smoke");
    assertEquals("first scoring baseline", written.metadata().reason());
    assertEquals(2 * 7, written.rows().size(), "per cell: req/s, IPS, mean/p50/p95/p99 latency, error rate");
    assertTrue(written.rows().stream().noneMatch(r -> r.metric().key().contains("ttft")), "no TTFT for one answer");

    // By hand: batch=1's figures as measured but noisy (5 runs, 50 % spread): never a regression;
    // batch=4's twice as good as the emulator can be, without noise: surely one.
    List<BaselineRow> graded = written.rows().stream().map(r -> {
      if (r.group().startsWith("batch=1 ")) {
        double sd = r.value() / 2;
        return new BaselineRow(r.group(), r.metric(), r.value(), 5, r.value() - sd, r.value() + sd, sd,
            sd / Math.sqrt(5));
      }
      double v = r.metric() == Metric.ERROR_RATE ? r.value()
          : r.metric().direction() == Metric.Direction.LOWER_IS_BETTER ? r.value() / 2 : r.value() * 2;
      return new BaselineRow(r.group(), r.metric(), v, 1, v, v, 0, 0);
    }).toList();
    BaselineFiles.write(baselines, new Baseline(written.metadata(), graded));

    RuntimeException failed = assertThrows(RuntimeException.class,
        () -> GatlingRun.run(ScoreSimulation.class, props, results.resolve("second")));
    assertTrue(String.valueOf(failed.getMessage()).contains("REGRESSION") || String.valueOf(failed.getCause())
        .contains("REGRESSION"), String.valueOf(failed));
    Path folder = only(results.resolve("second/reports/emulator"));
    List<String> statuses = statuses(folder);
    assertTrue(!statuses.get(0).equals("REGRESSION") && !statuses.get(0).startsWith("no "), statuses.toString());
    assertEquals("REGRESSION", statuses.get(1));
    JsonNode table = new ObjectMapper().readTree(folder.resolve("summary.json").toFile()).get("poolingTable");
    assertEquals(statuses, List.of(table.get(0).get("status").asText(), table.get(1).get("status").asText()),
        "summary.json says what pooling.csv says");
    assertEquals(4, table.get(1).get("batch").asInt());
    assertTrue(table.get(1).get("items_per_second").asDouble() > 0);
    String page = Files.readString(folder.resolve("index.html"));
    assertTrue(page.contains("<h2>Scoring table</h2>") && page.contains("REGRESSION"), "the page's table");

    // The runbook's BENCHMARK_BASELINE (here its property): a CSV anywhere, its metadata beside it.
    Path elsewhere = Files.createDirectories(results.resolve("elsewhere"));
    Files.copy(BaselineFiles.csv(baselines, "emulator", "score-smoke"), elsewhere.resolve("cpu-baseline.csv"));
    Files.copy(BaselineFiles.metadata(baselines, "emulator", "score-smoke"),
        elsewhere.resolve("cpu-baseline.metadata.json"));
    Map<String, String> named = new java.util.HashMap<>(props);
    named.put("baseline.dir", results.resolve("empty").toString());
    named.put("baseline.file", elsewhere.resolve("cpu-baseline.csv").toString());
    assertThrows(RuntimeException.class, () -> GatlingRun.run(ScoreSimulation.class, named, results.resolve("third")));
    assertEquals("REGRESSION", statuses(only(results.resolve("third/reports/emulator"))).get(1));
  }

  /** The status column of a result folder's pooling.csv, in the cells' order. */
  private static List<String> statuses(Path folder) throws IOException {
    try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(Files.newBufferedReader(folder.resolve("pooling.csv")))) {
      return parser.getRecords().stream().map(r -> r.get("status")).toList();
    }
  }

  private static Path only(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @Test
  void quietPrintsTheFinalTableAlone() throws IOException {
    Map<String, String> props = new java.util.HashMap<>(SHORT);
    props.put("quiet", "true");
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream console = System.out;
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, GatlingRun.run(ScoreSimulation.class, props, results.resolve("quiet")).exitCode());
    } finally {
      System.setOut(console);
    }
    String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(out.contains("BENCHMARK RESULTS - Profile: score-smoke") && out.contains("Batch | Labels |"), out);
    for (String chatter : List.of("against embedded emulator", "per-request results in", "Validity: valid",
        "Results in ")) {
      assertTrue(!out.contains(chatter), "quiet, yet printed \"" + chatter + "\": " + out);
    }
  }

  @Test
  void theRunbooksFlagsAreValidatedLoudly() {
    ScoreConfig standard = ScoreConfig.from(Props.of(Map.of("profile", "standard")));
    assertEquals(PoolingApi.SGLANG_SCORE, standard.api());
    assertTrue(standard.batchSizes().size() * standard.numLabels().size() > 1);
    ConfigException profile = assertThrows(ConfigException.class,
        () -> ScoreConfig.from(Props.of(Map.of("profile", "huge"))));
    assertTrue(profile.getMessage().contains("smoke") && profile.getMessage().contains("standard"),
        profile.getMessage());
    ConfigException sizes = assertThrows(ConfigException.class,
        () -> ScoreConfig.from(Props.of(Map.of("batch.sizes", "1,x"))));
    assertTrue(sizes.getMessage().startsWith("batch.sizes must be"), sizes.getMessage());
    ConfigException backend = assertThrows(ConfigException.class,
        () -> ScoreConfig.from(Props.of(Map.of("backend", "openai-chat"))));
    assertTrue(backend.getMessage().contains("not a scoring API"), backend.getMessage());
    ConfigException labels = assertThrows(ConfigException.class,
        () -> ScoreConfig.from(Props.of(Map.of("num.labels", "99"))));
    assertTrue(labels.getMessage().contains("label.token.ids"), labels.getMessage());
  }
}
