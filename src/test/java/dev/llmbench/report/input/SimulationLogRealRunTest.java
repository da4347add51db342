package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.it.GatlingRun;
import dev.llmbench.llm.stream.LlmMetrics;
import dev.llmbench.requests.RequestResult;
import io.gatling.commons.util.GatlingVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * The reader on the log of a real Gatling run (the smoke simulation against the embedded emulator,
 * a fifth of the requests failing with HTTP 500), checked against the run's per-request side file
 * and against Gatling's own reader of the same log. A Gatling upgrade fails here first.
 */
class SimulationLogRealRunTest {
  @TempDir
  static Path results;

  private static GatlingRun.Outcome run;
  private static Path log;
  private static SimulationLogReader.Result result;
  private static List<Object> records;

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of(
        "emulator.fault.rate.http-500", "0.2",
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"), results);
    log = run.runFolder().resolve("simulation.log");
    Recorder recorder = new Recorder();
    result = SimulationLogReader.read(log, recorder);
    records = recorder.records;
  }

  @Test
  void supportedVersionIsTheGatlingWeBuildWith() {
    assertEquals(GatlingVersion.ThisVersion().fullVersion(), SimulationLogReader.SUPPORTED_GATLING_VERSION,
        "Gatling was upgraded: check its LogFileDataWriter for format changes, then update the reader");
  }

  @Test
  void readsTheWholeLog() throws IOException {
    result.requireComplete();
    assertEquals(Files.size(log), result.bytesRead());
    assertEquals(records.size(), result.records());
    RunHeader h = result.header();
    assertEquals("3.15.1", h.gatlingVersion());
    assertEquals(SmokeSimulation.class.getName(), h.simulationClassName());
    assertFalse(h.scenarios().isEmpty());
    assertEquals(1, h.assertions().size(), "the smoke simulation's one assertion");
    List<UserRecord> users = records.stream().filter(UserRecord.class::isInstance).map(UserRecord.class::cast)
        .toList();
    assertFalse(users.isEmpty());
    assertEquals(users.stream().filter(UserRecord::start).count(), users.stream().filter(u -> !u.start()).count(),
        "every user that started ended");
    long runEnd = h.startEpochMillis() + 10 * 60_000;
    for (RequestRecord r : LogChecks.requests(records)) {
      assertTrue(r.startEpochMillis() >= h.startEpochMillis() && r.endEpochMillis() <= runEnd, r::toString);
      assertTrue(r.responseTimeMillis() >= 0, r::toString);
    }
  }

  @Test
  void countsMatchTheSideFile() {
    assertTrue(run.requests().stream().anyMatch(r -> !r.ok()) && run.requests().stream().anyMatch(RequestResult::ok),
        "the run has both OK and failed requests");
    LogChecks.assertCountsMatchSideFile(records, run.requests(), false);
  }

  @Test
  void noItlRowsUnlessAskedFor() {
    assertTrue(LogChecks.requests(records).stream().noneMatch(r -> r.name().equals(LlmMetrics.ITL)),
        "without -Dgatling.itl.rows=true the token gaps are only in the side file");
    assertTrue(run.requests().stream().anyMatch(r -> r.itlMicros().length > 0), "the side file has the gaps");
  }

  @Test
  void groupRowsCarryTheirRequestsTimes() {
    LogChecks.assertGroupsCarryTheirRequests(log, records);
  }

  /** The post-run step's cross-check agrees with this log, and finds a row too many or too few. */
  @Test
  void crossCheckCountsWhatIsLoggedAndCatchesAMismatch() {
    assertEquals(List.of(), LogChecks.crossCheck(records, null, null).mismatches(run.requests()));
    assertEquals(1, LogChecks.crossCheck(records, LlmMetrics.ITL, null).mismatches(run.requests()).size(),
        "one ITL row where there should be none or one per gap");
    assertEquals(1, LogChecks.crossCheck(records, null, LlmMetrics.TTFT).mismatches(run.requests()).size(),
        "a TTFT row missing");
    assertEquals(1, LogChecks.crossCheck(records, null, LlmMetrics.E2E).mismatches(run.requests()).size(),
        "an E2E row missing");
  }

  @Test
  void statsMatchGatlingsOwnReader() {
    LogChecks.assertStatsMatchGatling(log, records);
  }

  /** Cut the real log at seeded random offsets: each prefix reads as the records before the cut. */
  @Test
  void truncatedRealLog() throws IOException {
    byte[] full = Files.readAllBytes(log);
    Random random = new Random(20_261_124);
    int headerEnd = LogChecks.headerLength(full, results);
    List<Integer> cuts = new ArrayList<>(List.of(headerEnd, headerEnd + 1, full.length - 1, full.length / 2));
    for (int i = 0; i < 20; i++) {
      cuts.add(headerEnd + random.nextInt(full.length - headerEnd));
    }
    for (int cut : cuts) {
      LogChecks.assertPrefixReads(full, cut, records, results);
    }
  }
}
