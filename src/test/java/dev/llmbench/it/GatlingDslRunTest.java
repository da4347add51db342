package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.it.sims.HelperClosedSimulation;
import dev.llmbench.it.sims.HelperOpenSimulation;
import dev.llmbench.it.sims.PlainClosedSimulation;
import dev.llmbench.it.sims.PlainOpenSimulation;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.BaselineRow;
import dev.llmbench.report.baseline.Metric;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.RampSimulation;

/**
 * The library under Gatling's own DSL: a simulation of Gatling's injection profiles alone gets the
 * LLM rows, the side file, the result folder and the baseline verdict; and bench_serving's closed and
 * open loads written with Gatling's DSL and through the named helpers send the same requests.
 */
class GatlingDslRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validity limits no run on these cores crosses: the verdicts here are about the load, not the machine. */
  private static final String[] LENIENT = {"validity.loop.lag.ms", "60000", "validity.read.lag.ms", "60000",
      "validity.send.lag.ms", "60000", "validity.gc.pause.ms", "60000", "validity.cpu.share", "1"};

  @Test
  void gatlingsInjectionProfilesGetTheLlmRowsTheSideFileTheResultFolderAndTheBaselineVerdict() throws Exception {
    Path baselines = results.resolve("ramp-baselines");
    Map<String, String> props = with(randomLoad(8, 64, 16, 4, LENIENT), "baseline.dir", baselines.toString());
    GatlingRun.Outcome first = GatlingRun.run(RampSimulation.class,
        with(new HashMap<>(props), "baseline.update", "true", "baseline.reason", "test"), results.resolve("ramp-1"));
    assertEquals(0, first.exitCode());
    assertTrue(first.requests().size() >= 8, "the ramp and the closed step sent requests: " + first.requests().size());
    assertTrue(first.requests().stream().allMatch(RequestResult::ok), "every stream completed");
    assertEquals(Set.of("chat"), first.requests().stream().map(RequestResult::group).collect(Collectors.toSet()));
    String log = Files.readString(first.runFolder().resolve("simulation.log"), StandardCharsets.ISO_8859_1);
    for (String row : List.of("TTFT", "TPOT", "E2E")) {
      assertTrue(log.contains(row), "Gatling's log has the " + row + " rows");
    }
    assertFalse(log.contains("ITL"), "no per-token rows unless -Dgatling.itl.rows=true");
    JsonNode summary = JSON.readTree(only(results.resolve("ramp-1").resolve("reports").resolve("emulator"))
        .resolve("summary.json").toFile());
    assertEquals("chat", summary.path("groups").get(0).path("group").asText(), summary.toString());
    assertEquals(first.requests().size(), summary.path("groups").get(0).path("completed").asInt(), summary.toString());
    assertTrue(BaselineFiles.exists(baselines, "emulator", "ramp"), "the run became the baseline of its simulation");

    // The same simulation again is compared with it. A baseline made a hundred times worse than the
    // first run makes the verdict sure: no threshold does, since the p95 gate (20 %) holds whatever the
    // threshold, and two runs on shared noisy cores can differ by more.
    Baseline written = BaselineFiles.read(baselines, "emulator", "ramp");
    BaselineFiles.write(baselines, new Baseline(written.metadata(), written.rows().stream().map(r -> {
      double v = r.metric() == Metric.ERROR_RATE ? r.value()
          : r.metric().direction() == Metric.Direction.LOWER_IS_BETTER ? r.value() * 100 : r.value() / 100;
      return new BaselineRow(r.group(), r.metric(), v, 1, v, v, 0, 0);
    }).toList()));
    GatlingRun.Outcome second = GatlingRun.run(RampSimulation.class, new HashMap<>(props), results.resolve("ramp-2"));
    assertEquals(0, second.exitCode());
    JsonNode comparison = JSON.readTree(only(results.resolve("ramp-2").resolve("reports").resolve("emulator"))
        .resolve("comparison.json").toFile());
    assertEquals("no-regression", comparison.path("verdict").asText(), comparison.toString());
  }

  @Test
  void aPlainGatlingProfileAndTheNamedHelperSendTheSameLoad() throws IOException {
    Map<String, String> load = randomLoad(12, 48, 24, 3, LENIENT);
    GatlingRun.Outcome plain = GatlingRun.run(PlainClosedSimulation.class, load, results.resolve("plain"));
    GatlingRun.Outcome helper = GatlingRun.run(HelperClosedSimulation.class, load, results.resolve("helper"));
    assertEquals(0, plain.exitCode());
    assertEquals(0, helper.exitCode());
    assertEquals(12, plain.requests().size());
    assertEquals(plain.requests().size(), helper.requests().size(), "request counts");
    assertEquals(totals(plain.requests()), totals(helper.requests()), "prompt, planned and output token totals");
    assertEquals(0, plain.requests().stream().filter(r -> !r.ok()).count());
    assertEquals(0, helper.requests().stream().filter(r -> !r.ok()).count());
  }

  @Test
  void poissonArrivalsThroughGatlingsRandomizedProfileAndTheNamedHelperSendTheSameLoad() throws IOException {
    Map<String, String> load = randomLoad(16, 32, 16, 16, LENIENT);
    load.remove("max.concurrency");
    load.put("request.rate", "8");
    GatlingRun.Outcome plain = GatlingRun.run(PlainOpenSimulation.class, load, results.resolve("plain-open"));
    GatlingRun.Outcome helper = GatlingRun.run(HelperOpenSimulation.class, load, results.resolve("helper-open"));
    assertEquals(0, plain.exitCode());
    assertEquals(0, helper.exitCode());
    assertEquals(16, helper.requests().size());
    assertEquals(helper.requests().size(), plain.requests().size(), "request counts");
    assertEquals(totals(helper.requests()), totals(plain.requests()), "prompt, planned and output token totals");
    assertTrue(plain.requests().stream().allMatch(RequestResult::ok), "every plain stream completed");
    assertTrue(helper.requests().stream().allMatch(RequestResult::ok), "every helper stream completed");
  }

  private static List<Long> totals(List<RequestResult> rows) {
    List<Long> t = new ArrayList<>();
    t.add(rows.stream().mapToLong(RequestResult::promptTokens).sum());
    t.add(rows.stream().mapToLong(RequestResult::promptTokensPlanned).sum());
    t.add(rows.stream().mapToLong(RequestResult::outputTokens).sum());
    return t;
  }

  private static Path only(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
