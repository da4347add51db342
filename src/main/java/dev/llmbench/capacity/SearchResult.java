package dev.llmbench.capacity;

import dev.llmbench.report.input.CapacityFile;
import dev.llmbench.report.model.CapacitySearchResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a capacity search found: the highest load that met the objectives, the bracket around it, how
 * many steps back it on either side, and every step.
 *
 * @param mode what was searched
 * @param answer the highest load that passed; null when none did
 * @param failedAt the lowest load that failed (the bracket's upper end); null when none did
 * @param stop why the search ended; null when the run ended first (cut short)
 * @param passedAtOrBelow steps that passed at or below the answer
 * @param failedAbove steps that failed above it
 * @param tolerance the bracket's width the search aimed for, as a share of its lower end
 * @param steps every step, in the order it ran
 */
public record SearchResult(CapacitySearch.Mode mode, Double answer, Double failedAt, CapacitySearch.Stop stop,
    int passedAtOrBelow, int failedAbove, double tolerance, List<StepVerdict> steps) {

  /** The run folder's file the post-run step reads. */
  public static final String JSON_FILE = CapacityFile.FILE_NAME;

  public SearchResult {
    steps = List.copyOf(steps);
  }

  /** The bracket's width as a share of the answer; null without both ends. */
  public Double bracketShare() {
    return answer == null || failedAt == null ? null : (failedAt - answer) / answer;
  }

  /** The result in a few lines for the console: the answer with its bracket and backing, then each step. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("llm-serving-bench: capacity " + headline());
    for (StepVerdict s : steps) {
      lines.add("llm-serving-bench:   " + s.line(mode));
    }
    return lines;
  }

  /** The answer in one phrase, e.g. {@code rate=13.7 req/s met the objectives; rate=14.4 did not (...)} */
  public String headline() {
    String unit = mode == CapacitySearch.Mode.RATE ? " req/s" : " streams";
    String backing = String.format(Locale.ROOT, "(%d step%s passed at or below, %d failed above)", passedAtOrBelow,
        passedAtOrBelow == 1 ? "" : "s", failedAbove);
    String why = stop == null ? "the run ended before the search did" : switch (stop) {
      case CONVERGED -> String.format(Locale.ROOT, "converged within %.0f %%", tolerance * 100);
      case MAX_PASSED -> "the highest load allowed (-Dsearch.max) met the objectives: the capacity is at least that";
      case MIN_FAILED -> "even the lowest load allowed (-Dsearch.min) missed the objectives";
      case MAX_STEPS -> "stopped after -Dsearch.max.steps steps, before the bracket was within the tolerance";
    };
    if (answer == null) {
      return mode.wireName() + ": no load met the objectives" + (failedAt == null ? "" : ", down to "
          + CapacitySearch.loadName(failedAt) + unit) + " " + backing + "; " + why;
    }
    return mode.wireName() + "=" + CapacitySearch.loadName(answer) + unit + " met the objectives"
        + (failedAt == null ? "" : ", " + CapacitySearch.loadName(failedAt) + unit + " did not") + " " + backing + "; "
        + why;
  }

  /** The result as the report reads it ({@code capacity.json}'s content). */
  public CapacitySearchResult model() {
    List<CapacitySearchResult.Step> rows = new ArrayList<>();
    for (StepVerdict s : steps) {
      Map<String, Double> measured = new LinkedHashMap<>();
      s.measured().forEach((k, v) -> measured.put(k, v == null || v.isNaN() ? null : v));
      rows.add(new CapacitySearchResult.Step(s.index(), s.load(), s.group(), s.passed(), s.planned(), s.completed(),
          s.failed(), s.errorRate(), s.requestThroughput(), s.outputThroughput(), s.percentile(), measured,
          s.saturated(), s.stoppedEarly(), s.misses()));
    }
    return new CapacitySearchResult(mode.wireName(), answer, failedAt, bracketShare(),
        stop == null ? null : stop.name().toLowerCase(Locale.ROOT), passedAtOrBelow, failedAbove, tolerance,
        headline(), rows);
  }

  /**
   * Writes the result as JSON ({@value #JSON_FILE}'s form, {@link CapacityFile}) to {@code file},
   * atomically. The post-run step copies it into the result folder, with the steps' table beside it.
   */
  public void writeJson(Path file) throws IOException {
    CapacityFile.write(model(), file);
  }
}
