package dev.llmbench.cli;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineException;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.baseline.BaselineUpdate;
import dev.llmbench.report.baseline.Baselines;
import dev.llmbench.report.baseline.Comparison;
import dev.llmbench.report.baseline.CurrentRun;
import dev.llmbench.report.render.ComparisonFormats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The standalone baseline command ({@code mvn -q compile exec:java@baseline -Dexec.args="..."}):
 *
 * <pre>
 *   compare [run-folder]                        compare a Gatling run folder (default: the newest) with its baseline
 *   update --reason "why" run-folder [more...]  make one or more runs of one profile the baseline
 * </pre>
 *
 * Properties: {@code -Dbaseline.dir} (baselines), {@code -Dregression.threshold} (or
 * {@code REGRESSION_THRESHOLD}), {@code -Dregression.confidence}, {@code -Dregression.bootstrap.*}.
 * Nothing is written by {@code compare}. Exit codes: {@value #OK} no regression, or not judged
 * (client-bound, other hardware, partial result), or baseline written; {@value #REGRESSION} regression;
 * {@value #INPUT_ERROR} usage or input error (a missing baseline: one line with the command that
 * creates one; an unreadable baseline; an update from a partial or client-bound run);
 * {@value #MISMATCH} not comparable (other load parameters or model, or no group in common).
 */
public final class BaselineCommand {
  public static final int OK = 0;
  public static final int REGRESSION = 1;
  public static final int INPUT_ERROR = 2;
  public static final int MISMATCH = 3;

  static final String USAGE = "usage: mvn -q compile exec:java@baseline -Dexec.args=\"compare [target/gatling/<run>]\" | "
      + "-Dexec.args=\"update --reason 'why' target/gatling/<run> [more runs of the same profile]\"";

  private BaselineCommand() {}

  public static void main(String[] args) {
    int code = run(args, Props.system(), System.getenv(), Path.of("."), Instant.now(), System.out, System.err);
    System.exit(code);
  }

  /** The command, with its environment passed in; returns the exit code. */
  public static int run(String[] args, Props props, Map<String, String> env, Path projectDir, Instant now,
      PrintStream out, PrintStream err) {
    try {
      BaselineOptions options = BaselineOptions.from(props, env);
      if (args.length == 0) {
        throw new BaselineException(BaselineException.Kind.USAGE, "no command; " + USAGE);
      }
      return switch (args[0]) {
        case "compare" -> compare(List.of(args).subList(1, args.length), options, projectDir, now, out);
        case "update" -> update(List.of(args).subList(1, args.length), options, projectDir, now, out);
        default -> throw new BaselineException(BaselineException.Kind.USAGE, "unknown command \"" + args[0] + "\"; "
            + USAGE);
      };
    } catch (BaselineException e) {
      err.println("llm-serving-bench baseline: " + (e.kind() == BaselineException.Kind.MISMATCH ? "NOT COMPARED: "
          : "ERROR ") + e.getMessage());
      return e.kind() == BaselineException.Kind.MISMATCH ? MISMATCH : INPUT_ERROR;
    } catch (IOException | ConfigException | IllegalArgumentException e) {
      err.println("llm-serving-bench baseline: ERROR " + e.getMessage());
      return INPUT_ERROR;
    }
  }

  private static int compare(List<String> args, BaselineOptions options, Path projectDir, Instant now, PrintStream out)
      throws IOException, BaselineException {
    if (args.size() > 1) {
      throw new BaselineException(BaselineException.Kind.USAGE, "compare takes one run folder, but got " + args.size()
          + "; " + USAGE);
    }
    Path runFolder = args.isEmpty() ? PostRunCommand.newestRunFolder(Path.of("target", "gatling"))
        : folder(args.get(0));
    PostRun.Analysis a = PostRun.analyse(runFolder, projectDir, now);
    CurrentRun current = a.current();
    String csv = BaselineFiles.csv(options.dir(), current.framework(), current.profile()).toString();
    Baseline baseline;
    try {
      baseline = BaselineFiles.read(options.dir(), current.framework(), current.profile());
    } catch (BaselineException e) {
      if (e.kind() == BaselineException.Kind.MISSING) {
        throw new BaselineException(e.kind(), e.getMessage() + "; create it with: "
            + BaselineCheck.updateCommand(options.dir(), runFolder), e);
      }
      throw e;
    }
    Comparison c = Baselines.compare(baseline, csv, current, a.clientBoundReasons(), options.thresholds());
    ComparisonFormats.console(new BaselineCheck(BaselineCheck.Kind.COMPARED, c, c.verdictLine())).forEach(out::println);
    return c.regression() ? REGRESSION : OK;
  }

  private static int update(List<String> args, BaselineOptions options, Path projectDir, Instant now, PrintStream out)
      throws IOException, BaselineException {
    String reason = options.reason();
    List<Path> folders = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--reason")) {
        if (i + 1 >= args.size()) {
          throw new BaselineException(BaselineException.Kind.USAGE, "--reason needs a value; " + USAGE);
        }
        reason = args.get(++i);
      } else {
        folders.add(folder(args.get(i)));
      }
    }
    if (folders.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.USAGE, "update needs at least one run folder; " + USAGE);
    }
    List<Baselines.Run> runs = new ArrayList<>();
    for (Path f : folders) {
      PostRun.Analysis a = PostRun.analyse(f, projectDir, now);
      BaselineUpdate.requireBaselineWorthy(f, a.problems(), a.clientBoundReasons());
      runs.add(a.baselineRun());
    }
    out.println("llm-serving-bench baseline: " + BaselineUpdate.write(options.dir(), runs, reason, now,
        options.thresholds()));
    return OK;
  }

  private static Path folder(String arg) throws BaselineException {
    Path p = Path.of(arg);
    if (!Files.isDirectory(p)) {
      throw new BaselineException(BaselineException.Kind.USAGE, arg + " is not a folder; pass a Gatling run folder "
          + "such as target/gatling/<run>");
    }
    return p;
  }
}
