package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.CompareCommand;
import dev.llmbench.config.Props;
import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.tools.CompareRuns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One command, three targets: two emulators, one whose decode step takes twice as long, and a port where
 * nothing answers. The one that is down is skipped with a line, the two others run one after the other
 * with the same load, and their comparison names the faster one best at about twice the output throughput
 * (the emulators' own factor, within a tolerance, never wall-clock figures).
 */
class CompareRunsTest extends EmulatorRuns {
  private static final int STEP_US = 4000;

  private static LlmEmulator emulator(int stepMicros) {
    return new LlmEmulator(EmulatorConfig.fromProperties(Props.of(Map.of("emulator.port", "0",
        "emulator.decode.step.base.us", Integer.toString(stepMicros), "emulator.decode.step.per.seq.us", "0",
        "emulator.prefill.tps", "1000000")))).start();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theDownTargetIsSkippedAndTheOthersCompared() throws IOException {
    Path reports = results.resolve("reports");
    Map<String, String> load = randomLoad(12, 16, 48, 4, "baseline.compare", "false", "quiet", "true",
        "compare.health.timeout.sec", "1", "compare.reference", "fast", "cost.per.hour", "2.5");
    try (LlmEmulator fast = emulator(STEP_US); LlmEmulator slow = emulator(2 * STEP_US)) {
      load.put("compare.targets", "fast=" + fast.baseUrl() + ",gone=http://127.0.0.1:" + closedPort() + ",slow="
          + slow.baseUrl());
      load.put("llmbench.results.dir", results.resolve("gatling").toString());
      // Each run is a JVM of its own: the command hands it these properties, none of this JVM's is changed.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = CompareRuns.run(Props.of(load), reports, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      String said = out.toString(StandardCharsets.UTF_8);
      assertEquals(CompareCommand.OK, code, said + err.toString(StandardCharsets.UTF_8));
      assertTrue(said.contains("llm-serving-bench compare-run: SKIPPED gone: server at http://127.0.0.1:"), said);
      Path json;
      try (Stream<Path> s = Files.list(reports.resolve("summary"))) {
        json = s.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
      }
      JsonNode c = new ObjectMapper().readTree(json.toFile());
      assertEquals(2, c.get("runs").size(), c.toString());
      assertEquals("fast", c.get("reference").asText());
      double slowToFast = Double.NaN;
      for (JsonNode m : c.get("groups").get(0).get("metrics")) {
        if (m.get("metric").asText().equals("output_throughput")) {
          slowToFast = m.get("ratioToReference").get("slow").asDouble();
          assertEquals("fast", m.get("best").get(0).asText());
          assertEquals(0.5, m.get("ratioToReference").get("slow").asDouble(), 0.1);
        }
      }
      JsonNode cost = c.get("groups").get(0).get("costPerMillionOutputTokens");
      assertTrue(cost.get("fast").isNumber() && cost.get("slow").isNumber(), "one price for every framework: " + cost);
      assertEquals(1 / slowToFast, cost.get("slow").asDouble() / cost.get("fast").asDouble(), 1e-4,
          "the same price for fewer tokens: the cost in the inverse ratio of the throughputs (6 decimals in the JSON)");
    }
  }

  private record Ran(int code, String out, String err) {}

  private static Ran run(Map<String, String> props, Path reports) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CompareRuns.run(Props.of(props), reports, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Prices are checked before any run: the targets here are never asked, nothing is written. */
  @Test
  void theFormerNameIsReadAndABadOrConflictingPriceStopsBeforeAnyRun() {
    Path reports = results.resolve("reports");
    String targets = "vllm=http://127.0.0.1:1,sglang=http://127.0.0.1:2";
    Map<Map<String, String>, String> cases = new java.util.LinkedHashMap<>();
    cases.put(Map.of("compare.targets", targets, "compare.cost.per.hour", "vllm=2,tgi=3"),
        "-Dcompare.cost.per.hour names tgi, not a target; the targets are vllm, sglang");
    cases.put(Map.of("compare.targets", targets, "cost.per.hour", "2.5", "compare.cost.per.hour", "vllm=2.5"),
        "-Dcost.per.hour=2.5 and -Dcompare.cost.per.hour=vllm=2.5 (its former name) differ; give -Dcost.per.hour only");
    cases.put(Map.of("compare.targets", targets, "cost.per.hour", "cheap"),
        "-Dcost.per.hour must be a number of USD per hour, but was \"cheap\"");
    cases.forEach((props, expected) -> {
      Ran r = run(props, reports);
      assertEquals(CompareCommand.INPUT_ERROR, r.code(), props + r.err());
      assertEquals("llm-serving-bench compare-run: ERROR " + expected, r.err().strip(), props.toString());
      assertTrue(r.out().isEmpty(), "no target asked: " + r.out());
    });
    assertTrue(!Files.exists(reports), "nothing written");
    // The same prices under both names are one price, not a conflict: only the unreachable targets stop it.
    Ran same = run(Map.of("compare.targets", targets, "cost.per.hour", "vllm=2.5", "compare.cost.per.hour",
        "vllm=2.50", "compare.health.timeout.sec", "0"), reports);
    assertEquals(CompareRuns.TOO_FEW, same.code(), same.err());
  }
}
