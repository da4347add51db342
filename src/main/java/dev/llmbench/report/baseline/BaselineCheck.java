package dev.llmbench.report.baseline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the post-run step did about the baseline: compared, found none, or refused it. Missing and
 * refused baselines are not errors of the run (a new profile has no baseline yet; an ad-hoc run with
 * other parameters is not comparable): they are said in one line. A corrupt baseline is an input
 * error ({@link Kind#UNREADABLE}, {@link #failed()}), but it never stops the run's result from being
 * written.
 *
 * @param kind what happened
 * @param comparison the comparison when there was one, else null
 * @param message one line for the console and the page
 */
public record BaselineCheck(Kind kind, Comparison comparison, String message) {

  /** What happened. */
  public enum Kind {
    COMPARED("compared"),
    NO_BASELINE("no-baseline"),
    NOT_COMPARABLE("not-comparable"),
    /** The baseline exists but cannot be read: an input error (exit code 2), the run's results stand. */
    UNREADABLE("unreadable-baseline");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    /** As {@code comparison.json} writes it. */
    public String word() {
      return word;
    }
  }

  public BaselineCheck {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    if ((kind == Kind.COMPARED) != (comparison != null)) {
      throw new IllegalArgumentException("a comparison is there exactly when kind is COMPARED, but kind was " + kind);
    }
  }

  /** Whether a comparison found a regression. */
  public boolean regression() {
    return comparison != null && comparison.regression();
  }

  /** Whether the baseline could not be read. */
  public boolean failed() {
    return kind == Kind.UNREADABLE;
  }

  /**
   * Compares a run with {@code <dir>/<framework>/<profile>.*}, if there is a baseline.
   */
  public static BaselineCheck of(Path dir, CurrentRun run, List<String> clientBoundReasons, Thresholds t) {
    return of(dir, null, run, clientBoundReasons, t);
  }

  /**
   * Compares a run with the baseline in {@code file} when one is named ({@code -Dbaseline.file},
   * {@code BENCHMARK_BASELINE}), else with {@code <dir>/<framework>/<profile>.*}.
   */
  public static BaselineCheck of(Path dir, Path file, CurrentRun run, List<String> clientBoundReasons,
      Thresholds t) {
    String framework = run.framework();
    String profile = run.profile();
    Path csv = file != null ? file : BaselineFiles.csv(dir, framework, profile);
    Baseline baseline;
    try {
      baseline = file != null ? BaselineFiles.read(file) : BaselineFiles.read(dir, framework, profile);
    } catch (BaselineException e) {
      if (e.kind() == BaselineException.Kind.MISSING) {
        // A missing baseline is no failure (a new profile has none yet): say how to make one.
        String make = "Make this run the baseline with: " + updateCommand(dir, run.runFolder());
        return new BaselineCheck(Kind.NO_BASELINE, null, "no baseline " + csv + ": not compared. " + (file == null
            ? make : make + ", then copy " + BaselineFiles.csv(dir, framework, profile) + " and its .metadata.json "
                + "to " + file + " and " + BaselineFiles.metadataOf(file) + ", or point the variable at them"));
      }
      return new BaselineCheck(Kind.UNREADABLE, null, "ERROR " + e.getMessage());
    }
    try {
      Comparison c = Baselines.compare(baseline, csv.toString(), run, clientBoundReasons, t);
      return new BaselineCheck(Kind.COMPARED, c, c.verdictLine());
    } catch (BaselineException e) {
      if (e.kind() == BaselineException.Kind.MISMATCH) {
        return new BaselineCheck(Kind.NOT_COMPARABLE, null, e.getMessage() + ". Run with the baseline's settings, "
            + "or, if the change is meant, make this run the baseline with: "
            + updateCommand(dir, run.runFolder(), "<what changed>"));
      }
      return new BaselineCheck(Kind.UNREADABLE, null, "ERROR " + e.getMessage());
    }
  }

  /** The exact command that makes a run folder the first baseline (the standalone update). */
  public static String updateCommand(Path dir, Path runFolder) {
    return updateCommand(dir, runFolder, "first baseline");
  }

  /** The exact command that makes a run folder the baseline, with {@code reason}. */
  static String updateCommand(Path dir, Path runFolder, String reason) {
    String dirOption = dir.normalize().toString().equals(BaselineOptions.DEFAULT_DIR) ? ""
        : " -Dbaseline.dir=" + dir;
    return "mvn -q exec:java@baseline" + dirOption + " -Dexec.args=\"update --reason '" + reason + "' " + runFolder
        + "\"";
  }
}
