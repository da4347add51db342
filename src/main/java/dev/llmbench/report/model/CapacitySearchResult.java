package dev.llmbench.report.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A capacity search's result as the run folder's {@code capacity.json} gives it (written by
 * {@code dev.llmbench.capacity.SearchResult}, read by {@code report.input.CapacityFile}, whose Javadoc
 * lists the file's fields): the highest load that met the objectives, the bracket around it, how many
 * steps back it on either side, and every step. The report shows it; it judges nothing again.
 *
 * @param search what was searched: {@value #RATE} (requests/s) or {@value #CONCURRENCY} (streams)
 * @param answer the highest load that passed; null when none did
 * @param failedAt the lowest load that failed (the bracket's upper end); null when none did
 * @param bracketShare {@code (failedAt - answer) / answer}; null without both ends
 * @param stop why the search ended ({@code converged}, {@code max_passed}, {@code min_failed},
 *     {@code max_steps}); null when the run ended first
 * @param passedAtOrBelow steps that passed at or below the answer
 * @param failedAbove steps that failed above it
 * @param tolerance the bracket's width the search aimed for, as a share of its lower end
 * @param headline the answer in one phrase, as the console prints it
 * @param steps every step, in the order it ran
 */
public record CapacitySearchResult(String search, Double answer, Double failedAt, Double bracketShare, String stop,
    int passedAtOrBelow, int failedAbove, double tolerance, String headline, List<Step> steps) {

  /** A search of request rates. */
  public static final String RATE = "rate";
  /** A search of streams in flight. */
  public static final String CONCURRENCY = "concurrency";

  public CapacitySearchResult {
    if (!RATE.equals(search) && !CONCURRENCY.equals(search)) {
      throw new IllegalArgumentException("search must be " + RATE + " or " + CONCURRENCY + ", got " + search);
    }
    Objects.requireNonNull(headline, "headline");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
  }

  /** The load's name with its unit, as a column heads it: {@code rate (req/s)} or {@code concurrency}. */
  public String loadLabel() {
    return RATE.equals(search) ? "rate (req/s)" : "concurrency";
  }

  /**
   * One step of the search, judged.
   *
   * @param step its position in the search, from 1
   * @param load the rate (requests/s) or concurrency it ran at
   * @param group the Gatling group of its rows ({@code <profile>@rate=<load>})
   * @param passed whether it met every objective
   * @param planned measured requests planned
   * @param completed measured requests that succeeded
   * @param failed measured requests that failed (those never sent included)
   * @param errorRate failed / measured (0..1)
   * @param requestThroughput completed requests per second
   * @param outputThroughput output tokens per second
   * @param percentile the percentile compared with the objectives (99 for p99)
   * @param measuredMs that percentile of each objective's metric, ms, keyed {@code ttft}, {@code tpot},
   *     {@code e2el} (only the objectives given, in that order); null when the step had no such value
   * @param saturated whether over-saturation was found; null when not judged
   * @param stoppedEarly why the step was cut short, or null
   * @param misses why it did not pass, one phrase each (empty when it passed)
   */
  public record Step(int step, double load, String group, boolean passed, long planned, long completed, long failed,
      double errorRate, double requestThroughput, double outputThroughput, double percentile,
      Map<String, Double> measuredMs, Boolean saturated, String stoppedEarly, List<String> misses) {
    public Step {
      Objects.requireNonNull(group, "group");
      measuredMs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(measuredMs, "measuredMs")));
      misses = List.copyOf(Objects.requireNonNull(misses, "misses"));
    }
  }
}
