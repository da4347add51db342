package dev.llmbench.cli;

import dev.llmbench.config.Props;
import dev.llmbench.report.GatlingReportsOnly;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.ShardMerge;
import dev.llmbench.report.baseline.BaselineOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Merges the run folders of one run's shards into one run folder and its result ({@link ShardMerge},
 * docs/scaling-out.md):
 * <pre>
 *   mvn -q compile exec:java@merge -Dexec.args="&lt;shard-0 run folder&gt; &lt;shard-1 run folder&gt; ..."
 * </pre>
 * It writes {@code <shard-0 run folder>-merged/} (its {@code simulation.log} merged from the shards'), renders
 * its Gatling report with Gatling's reports-only mode ({@link GatlingReportsOnly}; a failure is a WARN line,
 * not a failed merge), and then runs the post-run step on it, as
 * {@code exec:java@post-run} does ({@code reports/<framework>/<profile>-<ts>/}, the baseline verdict).
 * Exit codes: 0 done, 1 a regression against the baseline (or a run the post-run step fails), 2 the
 * shards do not belong together (a missing shard, a duplicate index, a difference: one line naming
 * the shard and the difference) or cannot be read; then nothing is written.
 */
public final class MergeCommand {
  private MergeCommand() {}

  public static void main(String[] args) {
    int code = run(args, Props.system(), System.getenv(), Path.of("."), Instant.now(), System.out, System.err);
    if (code != PostRunCommand.OK) {
      System.exit(code);
    }
  }

  /** The command, with its environment passed in; returns the exit code. */
  public static int run(String[] args, Props props, Map<String, String> env, Path projectDir, Instant now,
      PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("llm-serving-bench merge: ERROR pass the run folders of every shard, e.g. -Dexec.args=\""
          + "target/gatling/a target/gatling/b target/gatling/c\"");
      return PostRunCommand.INPUT_ERROR;
    }
    Path merged;
    try {
      BaselineOptions.from(props, env); // a bad baseline option fails before anything is written
      List<Path> folders = Arrays.stream(args).map(Path::of).toList();
      merged = ShardMerge.merge(folders);
    } catch (ShardMerge.MergeException | IOException | RuntimeException e) {
      err.println("llm-serving-bench merge: ERROR " + e.getMessage());
      return PostRunCommand.INPUT_ERROR;
    }
    out.println("llm-serving-bench merge: " + args.length + " shards merged into " + merged);
    // The merged run is whole without Gatling's report (our result is made from the side file): a report that
    // cannot be rendered is a warning, and the merge stands.
    try {
      out.println("llm-serving-bench merge: Gatling report " + GatlingReportsOnly.render(merged));
    } catch (GatlingReportsOnly.RenderException | IOException | RuntimeException e) {
      err.println("llm-serving-bench merge: WARN no merged Gatling report: " + e.getMessage());
    }
    return PostRunCommand.run(new String[] {merged.toString()}, props, env, projectDir, now, out, err);
  }
}
