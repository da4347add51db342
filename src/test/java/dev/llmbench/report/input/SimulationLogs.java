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
   * Writes a Gatling {@value SimulationLogReader#SUPPORTED_GATLING_VERSION} log with one E2E row per
   * measured request of a side file, so the post-run cross-check finds the result whole (it counts
   * the rows; their times are made up).
   */
  public static void write(Path file, List<RequestResult> requests) throws IOException {
    LogBytes log = new LogBytes().runHeader(SimulationLogReader.SUPPORTED_GATLING_VERSION,
        "simulations.SyntheticSimulation", 1_700_000_000_000L, "", List.of("llm"));
    int t = 0;
    for (RequestResult r : requests) {
      if (!r.warmup()) {
        log.request(List.of(r.group()), "E2E", t, t + 1, r.ok(), r.ok() ? "" : "failed");
        t++;
      }
    }
    Files.write(file, log.toByteArray());
  }
}
