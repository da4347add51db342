package dev.llmbench.report.baseline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Making runs the baseline: what the standalone {@code update} command and {@code -Dbaseline.update=true}
 * at the end of a run share.
 */
public final class BaselineUpdate {
  private BaselineUpdate() {}

  /**
   * Refuses a run that cannot be a baseline: a partial result (its figures may miss requests), or a
   * client-bound run (its figures measure the load generator, and every later comparison would be
   * against them).
   *
   * @param problems why the run's result is partial; empty when it is whole
   * @param clientBoundReasons why its validity verdict is client-bound; empty when it is valid
   * @throws BaselineException {@code USAGE}, naming the run folder and the problems or reasons
   */
  public static void requireBaselineWorthy(Path runFolder, List<String> problems, List<String> clientBoundReasons)
      throws BaselineException {
    if (!problems.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.USAGE, runFolder + " is a partial result and cannot be a "
          + "baseline: " + String.join("; ", problems));
    }
    if (!clientBoundReasons.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.USAGE, runFolder + " is a client-bound run and cannot be a "
          + "baseline: " + String.join("; ", clientBoundReasons) + "; run it again where the load generator keeps up "
          + "(README: Measurement validity)");
    }
  }

  /** Writes a baseline from runs and says what it did (which file, how many runs, what it replaced). */
  public static String write(Path dir, List<Baselines.Run> runs, String reason, Instant now, Thresholds t)
      throws IOException, BaselineException {
    Baseline baseline = Baselines.create(runs, reason, now, t);
    BaselineMetadata m = baseline.metadata();
    String replaced = "";
    if (BaselineFiles.exists(dir, m.framework(), m.profile())) {
      try {
        BaselineMetadata old = BaselineFiles.read(dir, m.framework(), m.profile()).metadata();
        replaced = "; it replaces the baseline of " + old.timestampUtc() + " (commit " + old.commit() + ", reason: "
            + old.reason() + ")";
      } catch (BaselineException e) {
        replaced = "; it replaces an unreadable baseline (" + e.getMessage() + ")";
      }
    }
    Path csv = BaselineFiles.write(dir, baseline);
    return "baseline written: " + csv + " and " + BaselineFiles.metadata(dir, m.framework(), m.profile()) + " from "
        + runs.size() + " run" + (runs.size() == 1 ? "" : "s") + ", reason: " + m.reason() + replaced
        + ". Review and commit it: git add " + csv.getParent();
  }
}
