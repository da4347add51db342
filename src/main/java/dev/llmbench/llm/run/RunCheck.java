package dev.llmbench.llm.run;

import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A check a simulation adds to its run's verdict (the stress scenarios' pass/fail checks), judged once
 * the run's files are in Gatling's run folder and its result folder is written. A failed check fails
 * the run (non-zero exit), after its lines are printed and written.
 */
@FunctionalInterface
public interface RunCheck {

  /**
   * What the check found.
   *
   * @param lines one line per check, for the console (the check writes its own file into the result folder)
   * @param failed whether one failed
   * @param summary one line for the failure's message
   */
  record Result(List<String> lines, boolean failed, String summary) {
    public Result {
      lines = List.copyOf(lines);
    }
  }

  /**
   * Judges the run.
   *
   * @param runFolder Gatling's run folder, with the side files ({@code llm-requests.jsonl}, and those
   *     attached with {@link RunFiles#attach})
   * @param resultFolder the result folder the post-run step wrote
   * @param requests the side file's rows, warm-ups included, as the post-run step read them
   */
  Result judge(Path runFolder, Path resultFolder, List<RequestResult> requests) throws IOException;
}
