package dev.llmbench.report.input;

import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whole {@code simulation.log} files for tests outside this package, written with {@link LogBytes}. */
public final class SimulationLogs {
  private SimulationLogs() {}

  /**
   * Writes a Gatling {@value SimulationLogReader#SUPPORTED_GATLING_VERSION} log with the rows the
   * streaming action logs for each request of a side file (E2E; TTFT and TPOT when it succeeded; a
   * warm-up row for a warm-up; no ITL rows, as by default), so the post-run cross-check finds the
   * result whole (it counts the rows; their times are made up).
   */
  public static void write(Path file, List<RequestResult> requests) throws IOException {
    LogBytes log = new LogBytes().runHeader(SimulationLogReader.SUPPORTED_GATLING_VERSION,
        "simulations.SyntheticSimulation", 1_700_000_000_000L, "", List.of("llm"));
    int t = 0;
    for (RequestResult r : requests) {
      List<String> group = List.of(r.group());
      if (r.warmup()) {
        log.request(group, "warm-up", t, t + 1, r.ok(), r.ok() ? "" : "failed");
      } else {
        if (r.ok() && r.ttftMicros() >= 0) {
          log.request(group, "TTFT", t, t + 1, true, "");
          if (!Double.isNaN(r.tpotMicros())) {
            log.request(group, "TPOT", t, t + 1, true, "");
          }
        }
        log.request(group, "E2E", t, t + 1, r.ok(), r.ok() ? "" : "failed");
      }
      t++;
    }
    Files.write(file, log.toByteArray());
  }
}
