package dev.llmbench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The history update (reports/history, trend plots, reports/index.html) that the nightly runner calls after its
 * runs. stub, replaced by the history branch at merge: only its entry point is here, so that the nightly branch
 * compiles on its own.
 */
public final class HistoryCommand {
  private HistoryCommand() {}

  /**
   * Updates the history of the result folders in {@code reports}, keeping {@code keepDays} days.
   *
   * @return 0 done, 2 bad input
   */
  public static int run(Path reports, Path baselines, int keepDays, boolean prune, Instant now, PrintStream out,
      PrintStream err) {
    return 0;
  }
}
