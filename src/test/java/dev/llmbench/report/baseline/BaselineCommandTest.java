package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.cli.BaselineCommand;
import dev.llmbench.config.Props;
import dev.llmbench.report.MachineMetadata;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.input.SimulationLogs;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone command's exit codes (0 no regression, 1 regression, 2 usage or input error, 3 not
 * comparable) and messages, on run folders: the committed real Gatling 3.15.1 run (one of its six
 * measured requests failed, so its error rate is above the gate) and made-up runs.
 */
class BaselineCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path work;

  private Path baselines;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    baselines = work.resolve("baselines");
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return BaselineCommand.run(args, Props.of(Map.of("baseline.dir", baselines.toString())), Map.of(), Path.of("."), NOW,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A copy of the committed real run, with a run description. */
  private Path fixtureRun(String name, long seed) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    for (String file : List.of(RequestLogWriter.FILE_NAME, "simulation.log")) {
      try (InputStream in = PostRun.class.getResourceAsStream("input/gatling-3.15.1/" + file)) {
        Files.copy(in, dir.resolve(file));
      }
    }
    describe(dir, "fixture", "random-128-8", "llm-serving-bench/emulated-8b", Map.of("seed", seed, "numPrompts", 6));
    return dir;
  }

  /** A made-up run's side file, a simulation.log that agrees with it, and its description: a whole result. */
  private Path syntheticRun(SyntheticRun r) throws IOException {
    Path dir = partialRun(r);
    SimulationLogs.write(dir.resolve("simulation.log"), r.results());
    return dir;
  }

  /** A made-up run's side file and description, with no simulation.log: a partial result. */
  private Path partialRun(SyntheticRun r) throws IOException {
    Path dir = Files.createDirectories(work.resolve(r.runId()));
    try (RequestLogWriter w = new RequestLogWriter(dir.resolve(RequestLogWriter.FILE_NAME))) {
      for (RequestResult q : r.results()) {
        w.add(q);
      }
    }
    Map<String, Object> params = new HashMap<>();
    r.parameters().forEach((k, v) -> params.put(k, Long.parseLong(v)));
    describe(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE, r.model(), params);
    return dir;
  }

  private static void describe(Path dir, String framework, String profile, String model, Map<String, Object> params)
      throws IOException {
    ObjectNode run = JSON.createObjectNode();
    run.put("schemaVersion", 1);
    run.put("startedAt", "2026-03-01T11:00:00Z");
    run.put("framework", framework);
    run.put("profile", profile);
    run.put("backend", "openai-chat");
    run.put("model", model);
    run.put("targetUrl", "http://127.0.0.1:8000");
    params.forEach((k, v) -> run.set(k, JSON.valueToTree(v)));
    JSON.writeValue(dir.resolve("llm-run.json").toFile(), run);
  }

  @Test
  void withoutABaselineTheCommandSaysInOneLineHowToCreateOne() throws IOException {
    Path run = fixtureRun("run-a", 1);
    assertEquals(BaselineCommand.INPUT_ERROR, run("compare", run.toString()));
    String message = err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.contains("mvn -q exec:java@baseline -Dbaseline.dir=" + baselines
        + " -Dexec.args=\"update --reason 'first baseline' " + run + "\""), message);
  }

  @Test
  void anUpdateNeedsAReasonAndACompleteResult() throws IOException {
    Path run = fixtureRun("run-a", 1);
    assertEquals(BaselineCommand.INPUT_ERROR, run("update", run.toString()));
    assertTrue(err().contains("needs a reason"), err());
    Path partial = partialRun(SyntheticRun.calm(1));
    assertEquals(BaselineCommand.INPUT_ERROR, run("update", "--reason", "why", partial.toString()));
    assertTrue(err().contains("partial result") && err().contains("simulation.log"), err());
    assertFalse(Files.exists(baselines), "nothing written");
  }

  @Test
  void aClientBoundRunCannotBeTheBaseline() throws IOException {
    Path run = syntheticRun(SyntheticRun.calm(1));
    // The self-monitor's figures, with an event-loop lag four times the default limit: client-bound.
    ValidityThresholds limits = ValidityThresholds.DEFAULTS;
    long lagMicros = Math.round(limits.loopLagMs() * 1000 * 4);
    long wall = 10_000_000_000L;
    MonitorFigures starved = new MonitorFigures(wall, wall / 10, 2, 0.5, 10_000, 4, 4_000, 100, lagMicros,
        lagMicros + 1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    ObjectNode description = (ObjectNode) JSON.readTree(run.resolve("llm-run.json").toFile());
    description.set("monitor", JSON.valueToTree(ValidityJson.monitor(starved)));
    description.set("validity", JSON.valueToTree(Map.of("strict", false, "thresholds",
        ValidityJson.thresholds(limits))));
    JSON.writeValue(run.resolve("llm-run.json").toFile(), description);

    assertEquals(BaselineCommand.INPUT_ERROR, run("update", "--reason", "why", run.toString()), out() + err());
    String message = err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.startsWith("llm-serving-bench baseline: ERROR " + run + " is a client-bound run and cannot be "
        + "a baseline: event-loop timer lag p99"), message);
    assertFalse(Files.exists(baselines), "nothing written");
  }

  @Test
  void updateThenCompareTheRealRunWhoseErrorRateFailsTheGate() throws IOException {
    Path run = fixtureRun("run-a", 1);
    assertEquals(BaselineCommand.OK, run("update", "--reason", "first real run", run.toString()));
    assertTrue(out().contains("baseline written: " + BaselineFiles.csv(baselines, "fixture", "random-128-8")), out());
    JsonNode meta = JSON.readTree(BaselineFiles.metadata(baselines, "fixture", "random-128-8").toFile());
    assertEquals("first real run", meta.get("reason").asText());
    assertEquals(List.of("run-a"), List.of(meta.get("runs").get(0).asText()));

    assertEquals(BaselineCommand.REGRESSION, run("compare", run.toString()));
    assertTrue(out().contains("metric ") && out().contains("| baseline |"), "the table: " + out());
    assertTrue(out().lines().anyMatch(l -> l.startsWith("error_rate") && l.endsWith("REGRESSION")), out());
    assertTrue(out().lines().anyMatch(l -> l.startsWith("mean_ttft_ms") && l.endsWith("OK")), "the same run: " + out());
  }

  @Test
  void otherLoadParametersGiveTheMismatchCode() throws IOException {
    assertEquals(BaselineCommand.OK, run("update", "--reason", "r", fixtureRun("run-a", 1).toString()));
    assertEquals(BaselineCommand.MISMATCH, run("compare", fixtureRun("run-b", 2).toString()));
    String message = err().strip();
    assertTrue(message.startsWith("llm-serving-bench baseline: NOT COMPARED: not comparable with baseline"), message);
    assertTrue(message.contains("seed was \"1\", is \"2\""), message);
  }

  @Test
  void aBaselineWithNoGroupOfTheRunGivesTheMismatchCode() throws Exception {
    Baseline b = SyntheticRun.baselineOf(Thresholds.DEFAULTS, SyntheticRun.calm(1));
    BaselineFiles.write(baselines, new Baseline(b.metadata(), b.rows().stream().map(r -> new BaselineRow("elsewhere",
        r.metric(), r.value(), r.runs(), r.runMin(), r.runMax(), r.runSd(), r.se())).toList()));
    assertEquals(BaselineCommand.MISMATCH, run("compare", syntheticRun(SyntheticRun.calm(7)).toString()), out() + err());
    String message = err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.startsWith("llm-serving-bench baseline: NOT COMPARED: not comparable with baseline")
        && message.contains("no group and metric in common"), message);
    assertFalse(out().contains("no regression"), out());
  }

  @Test
  void aCorruptBaselineIsAnInputError() throws IOException {
    Path run = fixtureRun("run-a", 1);
    assertEquals(BaselineCommand.OK, run("update", "--reason", "r", run.toString()));
    Path meta = BaselineFiles.metadata(baselines, "fixture", "random-128-8");
    Files.writeString(meta, Files.readString(meta).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 7"));
    assertEquals(BaselineCommand.INPUT_ERROR, run("compare", run.toString()));
    assertTrue(err().contains(meta + " has schemaVersion 7; this tool reads 1"), err());
  }

  @Test
  void aSteadyServerPassesAndASlowerOneFails() throws Exception {
    Thresholds t = Thresholds.DEFAULTS;
    // Made-up runs on this machine's hardware, as the command reads it for the current run.
    SortedMap<String, String> here = Baselines.hardware(MachineMetadata.of(JSON.createObjectNode(), NOW, Path.of(".")));
    BaselineFiles.write(baselines, SyntheticRun.baselineOf(t, SyntheticRun.calm(1).withHardware(here),
        SyntheticRun.calm(2).withHardware(here), SyntheticRun.calm(3).withHardware(here)));
    assertEquals(BaselineCommand.OK, run("compare", syntheticRun(SyntheticRun.calm(7)).toString()), out() + err());
    assertTrue(out().contains("no regression against baseline"), out());
    assertFalse(out().contains("WARNING"), out());
    Path slower = syntheticRun(SyntheticRun.calm(8).scaled(1 + t.regressionPct() * 3 / 100));
    assertEquals(BaselineCommand.REGRESSION, run("compare", slower.toString()));
    assertTrue(out().contains("REGRESSION against baseline"), out());

    // The same slower run against a baseline from another machine: said, but not called a regression.
    BaselineFiles.write(baselines, SyntheticRun.baselineOf(t, SyntheticRun.calm(1), SyntheticRun.calm(2)));
    assertEquals(BaselineCommand.OK, run("compare", slower.toString()));
    assertTrue(out().contains("WARNING hardware differs") && out().contains("NOT JUDGED"), out());
  }

  @Test
  void aServerOfOtherHardwareByItsLabelIsNotJudged() throws Exception {
    Thresholds t = Thresholds.DEFAULTS;
    SortedMap<String, String> here = new TreeMap<>(
        Baselines.hardware(MachineMetadata.of(JSON.createObjectNode(), NOW, Path.of("."))));
    here.put("server", "8x H100 80GB");
    BaselineFiles.write(baselines, SyntheticRun.baselineOf(t, SyntheticRun.calm(1).withHardware(here),
        SyntheticRun.calm(2).withHardware(here), SyntheticRun.calm(3).withHardware(here)));
    SyntheticRun slower = SyntheticRun.calm(8).scaled(1 + t.regressionPct() * 3 / 100);

    // The same label: the same server, so a slower run is a regression.
    Path same = labelled(syntheticRun(slower.withRunId("same-server")), "8x H100 80GB");
    assertEquals(BaselineCommand.REGRESSION, run("compare", same.toString()), out() + err());

    // Another label, or none: the server may not be the baseline's, so the slowdown is not called one.
    Path other = labelled(syntheticRun(slower.withRunId("other-server")), "8x A100 40GB");
    assertEquals(BaselineCommand.OK, run("compare", other.toString()), out() + err());
    assertTrue(out().contains("WARNING hardware differs: server was \"8x H100 80GB\" for the baseline, is "
        + "\"8x A100 40GB\" now") && out().contains("NOT JUDGED"), out());
    Path unlabelled = syntheticRun(slower.withRunId("unlabelled"));
    assertEquals(BaselineCommand.OK, run("compare", unlabelled.toString()), out() + err());
    assertTrue(out().contains("server was \"8x H100 80GB\" for the baseline, is \"(not recorded)\" now"), out());
  }

  /** Adds {@code -Dserver.hardware}'s record to a run folder's llm-run.json, as the simulation writes it. */
  private static Path labelled(Path run, String serverHardware) throws IOException {
    ObjectNode description = (ObjectNode) JSON.readTree(run.resolve("llm-run.json").toFile());
    description.put("serverHardware", serverHardware);
    JSON.writeValue(run.resolve("llm-run.json").toFile(), description);
    return run;
  }

  @Test
  void aPartialResultIsComparedButNeverARegression() throws Exception {
    Thresholds t = Thresholds.DEFAULTS;
    SortedMap<String, String> here = Baselines.hardware(MachineMetadata.of(JSON.createObjectNode(), NOW, Path.of(".")));
    BaselineFiles.write(baselines, SyntheticRun.baselineOf(t, SyntheticRun.calm(1).withHardware(here),
        SyntheticRun.calm(2).withHardware(here), SyntheticRun.calm(3).withHardware(here)));
    // Slower beyond doubt, and ten times the error-rate gate failed: with the log whole, a regression.
    SyntheticRun scaled = SyntheticRun.calm(8).scaled(1 + t.regressionPct() * 3 / 100);
    SyntheticRun slower = scaled.withFailed((int) Math.round(scaled.requests() * t.errorRateGate() * 10));
    assertEquals(BaselineCommand.REGRESSION, run("compare", syntheticRun(slower).toString()), out() + err());
    assertTrue(out().lines().anyMatch(l -> l.startsWith("error_rate") && l.endsWith("REGRESSION")), out());

    Path cut = partialRun(slower.withRunId("slower-no-log"));
    assertEquals(BaselineCommand.OK, run("compare", cut.toString()), out() + err());
    assertFalse(out().contains("| REGRESSION"), out());
    assertTrue(out().lines().anyMatch(l -> l.startsWith("error_rate") && l.endsWith("WARN (partial result)")), out());
    assertTrue(out().contains("llm-serving-bench: WARNING partial result, no regression is called: simulation.log "
        + "is missing"), out());
    assertTrue(out().contains("llm-serving-bench: NOT JUDGED: partial result (simulation.log is missing"), out());

    // The same through the post-run step: comparison.json says partial, and nothing fails.
    PostRun.Outcome o = PostRun.process(cut, work.resolve("reports"), Path.of("."), NOW,
        new BaselineOptions(baselines, true, false, null, t));
    assertFalse(o.baseline().regression());
    JsonNode c = JSON.readTree(o.resultFolder().resolve("comparison.json").toFile());
    assertEquals("partial", c.get("verdict").asText());
    assertTrue(c.get("partialProblems").get(0).asText().startsWith("simulation.log is missing"), c.toString());
  }

  @Test
  void badUsageIsAnInputError() {
    assertEquals(BaselineCommand.INPUT_ERROR, run());
    assertTrue(err().contains("usage:"), err());
    assertEquals(BaselineCommand.INPUT_ERROR, run("frobnicate"));
    assertTrue(err().contains("unknown command \"frobnicate\""), err());
    assertEquals(BaselineCommand.INPUT_ERROR, run("compare", work.resolve("nope").toString()));
    assertTrue(err().contains("is not a folder"), err());
  }

  @Test
  void theResultFolderHoldsTheComparisonWrittenWithIt() throws Exception {
    Thresholds t = Thresholds.DEFAULTS;
    BaselineOptions options = new BaselineOptions(baselines, true, false, null, t);
    Path run = syntheticRun(SyntheticRun.calm(7));
    PostRun.Outcome none = PostRun.process(run, work.resolve("reports"), Path.of("."), NOW, options);
    JsonNode noBaseline = JSON.readTree(none.resultFolder().resolve("comparison.json").toFile());
    assertEquals("no-baseline", noBaseline.get("status").asText());
    assertTrue(noBaseline.get("message").asText().contains("exec:java@baseline"), noBaseline.toString());

    // On this machine's hardware: against another machine the verdict would be other-hardware (not judged).
    SortedMap<String, String> here = Baselines.hardware(MachineMetadata.of(JSON.createObjectNode(), NOW, Path.of(".")));
    BaselineFiles.write(baselines, SyntheticRun.baselineOf(t, SyntheticRun.calm(1).withHardware(here),
        SyntheticRun.calm(2).withHardware(here)));
    PostRun.Outcome o = PostRun.process(run, work.resolve("reports"), Path.of("."), NOW, options);
    JsonNode c = JSON.readTree(o.resultFolder().resolve("comparison.json").toFile());
    assertEquals("compared", c.get("status").asText());
    assertEquals("no-regression", c.get("verdict").asText());
    assertFalse(c.get("otherHardware").asBoolean(), c.toString());
    assertEquals(Metric.values().length - 3, c.get("metrics").size(),
        "all but IPS, which a generation group has not, and goodput, which a run without -Dslo has not");
    assertEquals("test baseline", c.get("baseline").get("reason").asText());
    String html = Files.readString(o.resultFolder().resolve("index.html"));
    assertTrue(html.contains("<h2>Baseline comparison</h2>") && html.contains("p99_ttft_ms"), "the page's section");
    assertTrue(PostRun.resultBlock(o).contains("no regression against baseline"), PostRun.resultBlock(o));
  }
}
