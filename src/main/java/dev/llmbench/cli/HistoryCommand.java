package dev.llmbench.cli;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.baseline.Thresholds;
import dev.llmbench.report.history.History;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Updates the history of the results ({@code mvn -q compile exec:java@history}): prunes result folders
 * older than {@code -Dhistory.days} (30) unless {@code -Dhistory.prune=false}, writes
 * {@code reports/history/<framework>/<profile>.csv} and its trend plots, and {@code reports/index.html}
 * (docs/history.md). {@code -Dllmbench.reports.dir} moves {@code reports}, {@code -Dbaseline.dir}
 * {@code baselines}; {@code -Dregression.threshold} (or {@code REGRESSION_THRESHOLD}) is the half-width of
 * the baseline bands, as the comparisons apply it.
 *
 * <p>Exit codes: {@value #OK} written; {@value #WRITE_ERROR} a file could not be written or a folder deleted
 * (one line says which); {@value #INPUT_ERROR} bad input, one line saying what and how to fix it (the
 * reports folder is missing, a property is invalid). A corrupt result folder is no error: it is named and
 * skipped.
 */
public final class HistoryCommand {
  public static final int OK = 0;
  public static final int WRITE_ERROR = 1;
  public static final int INPUT_ERROR = 2;
  public static final int DEFAULT_DAYS = 30;
  private static final String NAME = "llm-serving-bench history: ";

  private HistoryCommand() {}

  public static void main(String[] args) {
    int code;
    try {
      Props system = Props.system();
      Path reports = Path.of(system.string("llmbench.reports.dir", "reports"));
      Path baselines = Path.of(system.string("baseline.dir", BaselineOptions.DEFAULT_DIR));
      int days = system.integer("history.days", DEFAULT_DAYS, 1, 36_500);
      boolean prune = system.bool("history.prune", true);
      code = run(reports, baselines, days, prune, Instant.now(), System.out, System.err);
    } catch (ConfigException e) {
      System.err.println(NAME + "ERROR " + e.getMessage());
      code = INPUT_ERROR;
    }
    System.exit(code);
  }

  /**
   * The command, with its environment passed in; returns the exit code. Called by the nightly command
   * after each run.
   *
   * @param reports the reports folder ({@code reports})
   * @param baselines the baselines folder, for the bands on the plots (a missing one draws no band)
   * @param keepDays days of results kept, at least 1
   * @param prune whether older result folders are deleted
   */
  public static int run(Path reports, Path baselines, int keepDays, boolean prune, Instant now, PrintStream out,
      PrintStream err) {
    if (reports == null || !Files.isDirectory(reports)) {
      err.println(NAME + "ERROR no reports folder " + reports + "; run a benchmark first, or point "
          + "-Dllmbench.reports.dir at the folder that holds reports/<framework>/");
      return INPUT_ERROR;
    }
    if (keepDays < 1) {
      err.println(NAME + "ERROR history.days must be >= 1, but was " + keepDays + "; set -Dhistory.days=30 or more");
      return INPUT_ERROR;
    }
    double regressionPct;
    try {
      regressionPct = Thresholds.from(Props.system(), System.getenv()).regressionPct();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println(NAME + "ERROR " + e.getMessage());
      return INPUT_ERROR;
    }
    try {
      History.Outcome o = History.update(reports, baselines, keepDays, prune, regressionPct, now, out);
      out.println(NAME + o.kept().size() + " result folder(s) of the last " + keepDays + " days, "
          + (prune ? o.pruned().size() + " pruned" : o.pruned().size() + " older kept (-Dhistory.prune=false)")
          + ", " + o.corrupt().size() + " skipped; wrote " + o.csvs().size() + " CSV(s), " + o.plots().size()
          + " plot(s) and " + o.page());
      return OK;
    } catch (IOException | UncheckedIOException e) {
      err.println(NAME + "ERROR writing the history failed: " + e.getMessage());
      return WRITE_ERROR;
    }
  }
}
