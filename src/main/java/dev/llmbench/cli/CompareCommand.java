package dev.llmbench.cli;

import dev.llmbench.report.compare.CompareException;
import dev.llmbench.report.compare.ComparisonFiles;
import dev.llmbench.report.compare.Comparisons;
import dev.llmbench.report.compare.FrameworkComparison;
import dev.llmbench.report.compare.ResultFiles;
import dev.llmbench.report.compare.ResultRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two or more result folders, one framework against the others
 * ({@code mvn -q compile exec:java@compare -Dexec.args="..."}):
 *
 * <pre>
 *   [--reference &lt;framework&gt;] [--cost.per.hour &lt;framework&gt;=&lt;usd&gt;,...] &lt;folder&gt; &lt;folder&gt; [more...]
 * </pre>
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
      + "[--cost.per.hour <framework>=<usd>,...] <result-folder> <result-folder> [more]\"";

  private CompareCommand() {}

  public static void main(String[] args) {
    Path reports = Path.of(System.getProperty("llmbench.reports.dir", "reports"));
    System.exit(run(args, reports, Instant.now(), System.out, System.err));
  }

  /** The command, with its environment passed in; returns the exit code. */
  public static int run(String[] args, Path reports, Instant now, PrintStream out, PrintStream err) {
    try {
      String reference = null;
      Map<String, Double> prices = new LinkedHashMap<>();
      List<ResultRun> results = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--reference" -> reference = value(args, ++i, "--reference");
          case "--cost.per.hour" -> prices.putAll(prices(value(args, ++i, "--cost.per.hour")));
          default -> {
            if (args[i].startsWith("--")) {
              throw new CompareException("unknown option \"" + args[i] + "\"; " + USAGE);
            }
            results.add(ResultFiles.read(ResultFiles.resolve(Path.of(args[i]))));
          }
        }
      }
      if (results.size() < 2) {
        throw new CompareException("a comparison needs at least two result folders, but got " + results.size()
            + "; " + USAGE);
      }
      FrameworkComparison c = Comparisons.of(results, reference, prices, now);
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

  /** {@code vllm=2.5,sglang=2.5}: USD per hour by framework, each a finite price of at least 0. */
  static Map<String, Double> prices(String list) throws CompareException {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CompareException("--cost.per.hour takes <framework>=<usd> pairs, but got \"" + pair + "\"");
      }
      String price = pair.substring(eq + 1).trim();
      double usd;
      try {
        usd = Double.parseDouble(price);
      } catch (NumberFormatException e) {
        throw new CompareException("--cost.per.hour for " + pair.substring(0, eq) + " must be a number of USD per hour,"
            + " but was \"" + price + "\"", e);
      }
      if (!Double.isFinite(usd) || usd < 0) {
        throw new CompareException("--cost.per.hour for " + pair.substring(0, eq) + " must be a finite price of at least"
            + " 0, but was " + price);
      }
      out.put(pair.substring(0, eq).trim(), usd);
    }
    return out;
  }
}
