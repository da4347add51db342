package dev.llmbench.cli;

import dev.llmbench.config.Props;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.model.Validity;
import dev.llmbench.requests.RequestLogWriter;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The standalone post-run command: rebuilds the result folder of one or more Gatling run folders
 * ({@link PostRun#process}), each compared with its baseline ({@code -Dbaseline.*}):
 *
 * <pre>
 *   mvn -q exec:java@post-run -Dexec.args="target/gatling/&lt;run-folder&gt; [more run folders]"
 * </pre>
 *
 * With no argument it takes the newest run folder in {@code target/gatling}. Exit codes: {@value #OK}
 * done, {@value #REGRESSION} a regression against the baseline, a client-bound run that was made with
 * {@code validity.strict=true}, a run its circuit breaker stopped or whose accuracy gate failed (it fails, as it
 * did when it ran),
 * {@value #INPUT_ERROR} bad input (no such folder, not a run of this project, unreadable files, an
 * unreadable baseline), with one line saying which and why. With several run folders, each is processed
 * however the others went, and the worst code is the command's (2 over 1 over 0).
 */
public final class PostRunCommand {
  public static final int OK = 0;
  public static final int REGRESSION = 1;
  public static final int INPUT_ERROR = 2;

  private PostRunCommand() {}

  public static void main(String[] args) {
    int code = run(args, Props.system(), System.getenv(), Path.of("."), Instant.now(), System.out, System.err);
    // exec:java runs this in Maven's JVM: only a failure ends it here, success lets Maven finish its build.
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * The command, with its environment passed in; returns the exit code. Every run folder is processed,
   * a bad one too, each failure with its own line, and the command exits with the worst run's code.
   */
  public static int run(String[] args, Props props, Map<String, String> env, Path projectDir, Instant now,
      PrintStream out, PrintStream err) {
    BaselineOptions options;
    List<Path> runs;
    try {
      options = BaselineOptions.from(props, env);
      runs = args.length == 0 ? List.of(newestRunFolder(Path.of("target", "gatling")))
          : Arrays.stream(args).map(Path::of).toList();
    } catch (IOException | RuntimeException e) {
      return error(err, e.getMessage());
    }
    Path reports = Path.of(props.string("llmbench.reports.dir", "reports"));
    int worst = OK;
    for (Path run : runs) {
      int code;
      try {
        if (!Files.isDirectory(run)) {
          throw new IOException(run + " is not a folder; pass a Gatling run folder such as target/gatling/<run>");
        }
        PostRun.Outcome o = PostRun.process(run, reports, projectDir, now, options);
        out.print(PostRun.resultBlock(o));
        code = exitCode(o);
      } catch (IOException | RuntimeException e) {
        // With several folders, the line names the one it is about.
        String message = String.valueOf(e.getMessage());
        code = error(err, message.startsWith(run.toString()) ? message : run + ": " + message);
      }
      // The codes grow with severity: bad input (2) wins over a regression (1), which wins over done (0).
      worst = Math.max(worst, code);
    }
    return worst;
  }

  /**
   * A run's exit code by its baseline comparison (null: none was asked for) and its validity verdict
   * under {@code validity.strict}; its result block said why.
   */
  private static int exitCode(PostRun.Outcome o) {
    BaselineCheck baseline = o.baseline();
    if (baseline != null && baseline.failed()) {
      return INPUT_ERROR;
    }
    // A strict run that was client-bound failed when it ran; rebuilt, it fails again (its result block says so).
    Validity v = o.summary().validity();
    boolean strictClientBound = v != null && v.strict() && v.clientBound();
    // A run its circuit breaker stopped failed as it ran, too.
    boolean stopped = v != null && v.server() != null && v.server().tripped();
    // And so did a run whose accuracy gate failed (docs/accuracy.md).
    boolean inaccurate = o.summary().accuracy() != null && !o.summary().accuracy().passed();
    return strictClientBound || stopped || inaccurate || baseline != null && baseline.regression() ? REGRESSION : OK;
  }

  private static int error(PrintStream err, String message) {
    err.println("llm-serving-bench post-run: ERROR " + message);
    return INPUT_ERROR;
  }

  /** The newest folder of {@code results} that holds a side file (the commands' default run folder). */
  static Path newestRunFolder(Path results) throws IOException {
    File[] dirs = results.toFile().listFiles(f -> f.isDirectory() && new File(f, RequestLogWriter.FILE_NAME).isFile());
    if (dirs == null || dirs.length == 0) {
      throw new IOException("no run folder with " + RequestLogWriter.FILE_NAME + " in " + results
          + "; run a simulation first, or pass a run folder");
    }
    Iterator<File> newest = Arrays.stream(dirs).sorted(Comparator.comparing(File::lastModified).reversed()).iterator();
    return newest.next().toPath();
  }
}
