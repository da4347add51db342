package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.requests.RequestLogReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on a committed log of a real Gatling 3.15.1 run (smoke simulation, 6 requests of 8
 * tokens plus a warm-up, HTTP 500 on a third of them), with that run's side file: a fixture per
 * Gatling version, so a reader change that misreads an old log fails here even without a new run.
 */
class SimulationLogFixtureTest {
  private static final String DIR = "gatling-3.15.1/";

  @TempDir
  static Path tmp;

  private static Path log;
  private static SimulationLogReader.Result result;
  private static List<Object> records;

  @BeforeAll
  static void read() throws IOException, URISyntaxException {
    log = Path.of(SimulationLogFixtureTest.class.getResource(DIR + "simulation.log").toURI());
    Recorder recorder = new Recorder();
    result = SimulationLogReader.read(log, recorder).requireComplete();
    records = recorder.records;
  }

  @Test
  void headerAndSize() {
    RunHeader h = result.header();
    assertEquals("3.15.1", h.gatlingVersion());
    assertEquals("simulations.SmokeSimulation", h.simulationClassName());
    assertEquals(1_795_528_665_894L, h.startEpochMillis());
    assertEquals("", h.runDescription());
    assertEquals(List.of("random-128-8 warm-up", "random-128-8"), h.scenarios());
    assertEquals(1, h.assertions().size());
    assertEquals(1406, result.bytesRead());
    assertEquals(56, result.records());
  }

  @Test
  void countsMatchTheSideFile() throws IOException, URISyntaxException {
    Path side = Path.of(SimulationLogFixtureTest.class.getResource(DIR + "llm-requests.jsonl").toURI());
    LogChecks.assertCountsMatchSideFile(records, RequestLogReader.read(side).requests(), true);
  }

  @Test
  void statsMatchGatlingsOwnReader() {
    LogChecks.assertStatsMatchGatling(log, records);
  }

  @Test
  void truncatedAtEveryOffset() throws IOException {
    byte[] full = Files.readAllBytes(log);
    int headerEnd = LogChecks.headerLength(full, tmp);
    for (int cut = headerEnd; cut <= full.length; cut++) {
      LogChecks.assertPrefixReads(full, cut, records, tmp);
    }
  }
}
