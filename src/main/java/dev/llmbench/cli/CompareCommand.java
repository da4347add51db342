package dev.llmbench.cli;

import dev.llmbench.config.Props;
import dev.llmbench.report.compare.CompareException;
import dev.llmbench.report.compare.ComparisonFiles;
import dev.llmbench.report.compare.Comparisons;
import dev.llmbench.report.compare.FrameworkComparison;
import dev.llmbench.report.compare.HourlyPrices;
import dev.llmbench.report.compare.ResultFiles;
import dev.llmbench.report.compare.ResultRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares two or more result folders, one framework against the others
 * ({@code mvn -q compile exec:java@compare -Dexec.args="..."}):
 *
 * <pre>
 *   [--reference &lt;framework&gt;] [--cost.per.hour &lt;usd&gt; | &lt;framework&gt;=&lt;usd&gt;,...] &lt;folder&gt; &lt;folder&gt; [more...]
 * </pre>
 *
 * {@code --cost.per.hour} is one price for every framework or a price per framework ({@link HourlyPrices});
 * without it, {@code -Dcost.per.hour} (a system property, as {@code -Dllmbench.reports.dir} is one) gives it,
 * the name {@code exec:java@compare-run} takes; both given and different is an input error.
 *
 * A folder is a result folder {@code reports/<framework>/<profile>-<ts>}, or a framework folder
 * {@code reports/<framework>}, which stands for its newest result. The reference (default: the first
 * folder's framework) is what the ratios are to. Writes {@code reports/summary/comparison-<ts>.{json,md,html}}
 * ({@code -Dllmbench.reports.dir} moves {@code reports}) and prints the Markdown. Exit codes: {@value #OK}
 * written (differences in the settings are listed, not refused: comparing frameworks is the point);
 * {@value #INPUT_ERROR} usage or input error, with one line saying which: fewer than two folders, a folder that
 * is not a result, an unknown reference, a bad price.
 */
public final class CompareCommand {
  public static final int OK = 0;
  public static final int INPUT_ERROR = 2;

  static final String USAGE = "usage: mvn -q compile exec:java@compare -Dexec.args=\"[--reference <framework>] "
      + "[--cost.per.hour <usd>|<framework>=<usd>,...] <result-folder> <result-folder> [more]\"";

  private CompareCommand() {}

  /** The system property that prices the servers when {@code --cost.per.hour} is not given. */
  public static final String COST_PER_HOUR = "cost.per.hour";

  public static void main(String[] args) {
    Props system = Props.system();
    Path reports = Path.of(system.string("llmbench.reports.dir", "reports"));
    System.exit(run(args, system.raw(COST_PER_HOUR), reports, Instant.now(), System.out, System.err));
  }

  /** The command, with its environment passed in and no {@code -Dcost.per.hour}; returns the exit code. */
  public static int run(String[] args, Path reports, Instant now, PrintStream out, PrintStream err) {
    return run(args, null, reports, now, out, err);
  }

  /**
   * The command, with its environment passed in; returns the exit code.
   *
   * @param costPerHourProperty {@code -Dcost.per.hour}'s value, or null when not set
   */
  public static int run(String[] args, String costPerHourProperty, Path reports, Instant now, PrintStream out,
      PrintStream err) {
    try {
      String reference = null;
      String costPerHour = null;
      List<ResultRun> results = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--reference" -> reference = value(args, ++i, "--reference");
          case "--cost.per.hour" -> {
            if (costPerHour != null) {
              throw new CompareException("--cost.per.hour is given twice; give every price in one list");
            }
            costPerHour = value(args, ++i, "--cost.per.hour");
          }
          default -> {
            if (args[i].startsWith("--")) {
              throw new CompareException("unknown option \"" + args[i] + "\"; " + USAGE);
            }
            results.add(ResultFiles.read(ResultFiles.resolve(Path.of(args[i]))));
          }
        }
      }
      HourlyPrices prices = prices(costPerHour, costPerHourProperty);
      if (results.size() < 2) {
        throw new CompareException("a comparison needs at least two result folders, but got " + results.size()
            + "; " + USAGE);
      }
      FrameworkComparison c = Comparisons.of(results, reference,
          prices == null ? Map.of() : prices.of(results), now);
      List<Path> files = ComparisonFiles.write(reports, c, now);
      for (Path f : files) {
        out.println("llm-serving-bench compare: wrote " + f);
      }
      if (!c.differences().isEmpty()) {
        out.println("llm-serving-bench compare: WARNING not apples to apples: " + String.join("; ", c.differences()));
      }
      return OK;
    } catch (CompareException | IllegalArgumentException e) {
      err.println("llm-serving-bench compare: ERROR " + e.getMessage());
      return INPUT_ERROR;
    } catch (IOException e) {
      err.println("llm-serving-bench compare: ERROR writing the comparison failed: " + e.getMessage());
      return INPUT_ERROR;
    }
  }

  private static String value(String[] args, int i, String option) throws CompareException {
    if (i >= args.length) {
      throw new CompareException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  /** {@code --cost.per.hour}, else {@code -Dcost.per.hour}, else null; both, and different, is an error. */
  static HourlyPrices prices(String option, String property) throws CompareException {
    HourlyPrices fromOption = option == null ? null : HourlyPrices.parse("--cost.per.hour", option);
    HourlyPrices fromProperty = property == null ? null : HourlyPrices.parse("-D" + COST_PER_HOUR, property);
    if (fromOption != null && fromProperty != null && !fromOption.equals(fromProperty)) {
      throw new CompareException("--cost.per.hour " + option + " and -D" + COST_PER_HOUR + "=" + property
          + " differ; give the prices once");
    }
    return fromOption != null ? fromOption : fromProperty;
  }
}
