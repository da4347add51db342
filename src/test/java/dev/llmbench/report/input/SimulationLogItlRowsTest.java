package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.it.GatlingRun;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.stream.LlmMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * A real run with {@code -Dgatling.itl.rows=true}: one ITL row per token gap besides each request's
 * E2E, TTFT and TPOT rows, which Gatling's own reader reads as ours does, and which the post-run
 * step's cross-check counts. {@link SimulationLogRealRunTest} is the run without them.
 */
class SimulationLogItlRowsTest {
  @TempDir
  static Path results;

  private static GatlingRun.Outcome run;
  private static Path log;
  private static List<Object> records;

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of(BenchConfig.ITL_ROWS, "true",
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"), results);
    assertEquals(0, run.exitCode());
    log = run.runFolder().resolve("simulation.log");
    Recorder recorder = new Recorder();
    SimulationLogReader.read(log, recorder).requireComplete();
    records = recorder.records;
  }

  @Test
  void oneItlRowPerTokenGap() {
    assertTrue(run.requests().stream().allMatch(RequestResult::ok), "every stream completed");
    long gaps = run.measured().stream().mapToLong(r -> r.itlMicros().length).sum();
    assertTrue(gaps > 0, "the streams had more than one token");
    assertEquals(gaps, LogChecks.requests(records).stream().filter(r -> r.name().equals(LlmMetrics.ITL)).count());
    LogChecks.assertCountsMatchSideFile(records, run.requests(), true);
  }

  @Test
  void statsMatchGatlingsOwnReader() {
    LogChecks.assertStatsMatchGatling(log, records);
  }

  @Test
  void groupRowsCarryTheirRequestsTimes() {
    LogChecks.assertGroupsCarryTheirRequests(log, records);
  }

  /** The cross-check counts the ITL rows too: all of them agree, one missing does not. */
  @Test
  void crossCheckCountsTheItlRows() {
    assertEquals(List.of(), LogChecks.crossCheck(records, null, null).mismatches(run.requests()));
    List<String> oneShort = LogChecks.crossCheck(records, null, LlmMetrics.ITL).mismatches(run.requests());
    assertEquals(1, oneShort.size(), oneShort.toString());
    assertTrue(oneShort.get(0).contains("ITL rows"), oneShort.get(0));
  }
}
