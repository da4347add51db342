package dev.llmbench.report.model;

import java.util.List;
import java.util.Locale;

/**
 * How the run's prompts were sized and whether the server counted them as planned: the server's
 * prompt tokens ({@code usage.prompt_tokens} of the completed measured requests, less the template's
 * overhead the run measured before its load for each of them) against the planned ones. A difference
 * above {@value #TOLERANCE_PERCENT} % gives a warning: the run's input lengths are not the profile's.
 *
 * @param method how the prompts were built ({@code tokenizer-file}, {@code server-tokenize},
 *     {@code default-vocabulary}, {@code word-tokenizer}), or {@code unknown} for a run that did not record it
 * @param templateOverheadTokens what the server adds to every prompt (a chat template, a BOS token),
 *     null when it gave no count for the tiny prompt: the figures are then not compared
 * @param requests completed measured requests compared
 * @param plannedTokens their prompt tokens as planned
 * @param serverTokens their prompt tokens as the server counted them, the overhead taken off; null when unknown
 */
public record PromptSizing(String method, Integer templateOverheadTokens, long requests, long plannedTokens,
    Long serverTokens) {
  public static final int TOLERANCE_PERCENT = 5;

  /** From the groups' totals: {@code total_input_tokens} is the server's figure where it sent one. */
  public static PromptSizing of(String method, Integer overhead, List<GroupMetrics> groups) {
    long requests = 0;
    long planned = 0;
    long server = 0;
    for (GroupMetrics g : groups) {
      requests += g.completed();
      planned += g.totalInputTokensPlanned();
      server += g.totalInputTokens();
    }
    return new PromptSizing(method, overhead, requests, planned,
        overhead == null ? null : server - (long) overhead * requests);
  }

  /** (server − planned) / planned, or null when there is nothing to compare. */
  public Double deviation() {
    return serverTokens == null || plannedTokens == 0 ? null : (serverTokens - plannedTokens) / (double) plannedTokens;
  }

  public boolean warn() {
    Double d = deviation();
    return d != null && Math.abs(d) > TOLERANCE_PERCENT / 100.0;
  }

  /** One line for the console and the result page: the comparison, and a warning when it is off. */
  public String line() {
    Double d = deviation();
    if (requests == 0) {
      return "Input tokens: no request completed, nothing to compare (prompts sized by " + method + ")";
    }
    if (d == null) {
      return String.format(Locale.ROOT, "Input tokens: %d planned (prompts sized by %s); the server's count is "
          + "unknown (no usage figure for the tiny prompt before the load)", plannedTokens, method);
    }
    String figures = String.format(Locale.ROOT, "%d planned, %d counted by the server (less %d template tokens "
        + "per request), %+.1f %%", plannedTokens, serverTokens, templateOverheadTokens, d * 100);
    return warn()
        ? "WARN input tokens differ from the plan by more than " + TOLERANCE_PERCENT + " %: " + figures
            + " (prompts sized by " + method + "); give -Dtokenizer=<the model's tokenizer.json> for exact lengths"
        : "Input tokens: " + figures + " (prompts sized by " + method + ")";
  }
}
