package dev.llmbench.capacity;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.metrics.Slo;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.report.stats.OverSaturation;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One step of a capacity search, judged: the load it ran, what it measured, and whether it met the
 * objectives. A step <b>passes</b> when all of these hold:
 *
 * <ul>
 *   <li>for each objective ({@code -Dslo}: TTFT, TPOT, E2E), the chosen percentile
 *       ({@code -Dslo.percentile}) of that metric over the step's completed requests is at most the
 *       objective ({@link ServingMetrics#percentiles}: the same values as the result's distributions);
 *   <li>its error rate (failed / measured) is at most {@code -Dsearch.max.error.rate};
 *   <li>it was not over-saturated: for a rate step, the post-run rule of {@link OverSaturation} (in-flight
 *       requests and TTFT both rising to the step's end) did not flag it, since a server falling behind
 *       would miss the objectives in a longer step;
 *   <li>it was not stopped early (errors, or over-saturation seen while it ran);
 *   <li>it completed at least one request.
 * </ul>
 *
 * @param index the step's position in the search, from 1
 * @param load the rate (requests/s) or concurrency it ran at
 * @param group the Gatling group of its rows ({@code <profile>@rate=<load>})
 * @param planned measured requests planned
 * @param completed measured requests that succeeded
 * @param failed measured requests that failed (never sent included)
 * @param errorRate failed / measured
 * @param requestThroughput completed requests per second (as the result's)
 * @param outputThroughput output tokens per second (as the result's)
 * @param percentile the percentile compared with the objectives
 * @param measured that percentile of each objective's metric, ms, keyed {@code ttft}, {@code tpot},
 *     {@code e2el} (only the objectives given); NaN when the step had no such value
 * @param saturated whether over-saturation was found ({@code null} when not judged: a concurrency step,
 *     or too few requests)
 * @param stoppedEarly why the step was cut short, or null
 * @param passed whether it met every objective
 * @param misses why it did not, one phrase each (empty when it passed)
 */
public record StepVerdict(int index, double load, String group, int planned, long completed, long failed,
    double errorRate, double requestThroughput, double outputThroughput, double percentile,
    Map<String, Double> measured, Boolean saturated, String stoppedEarly, boolean passed, List<String> misses) {

  public StepVerdict {
    measured = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measured));
    misses = List.copyOf(misses);
  }

  /**
   * Judges a step from its rows.
   *
   * @param rows the step's rows (warm-ups are left out)
   * @param openModel whether its arrivals were scheduled at a finite rate (judged for over-saturation)
   * @param stoppedEarly why it was cut short, or null
   */
  public static StepVerdict judge(int index, double load, String group, int planned, List<RequestResult> rows, Slo slo,
      double percentile, double maxErrorRate, boolean openModel, String stoppedEarly) {
    GroupMetrics m = ServingMetrics.of(group, rows);
    Map<String, Double> at = ServingMetrics.percentiles(group, rows, percentile);
    Map<String, Double> measured = new LinkedHashMap<>();
    List<String> misses = new ArrayList<>();
    String p = "p" + CapacitySearch.loadName(percentile);
    objective(slo.ttftMs(), "ttft", p, at, measured, misses);
    objective(slo.tpotMs(), "tpot", p, at, measured, misses);
    objective(slo.e2elMs(), "e2el", p, at, measured, misses);
    long measuredCount = m.completed() + m.failed();
    // Requests planned but never handed out (a step stopped early) count as failed.
    long failed = m.failed() + Math.max(0, planned - measuredCount);
    double errorRate = ServingFormulas.errorRate(failed, Math.max(planned, measuredCount));
    if (errorRate > maxErrorRate) {
      misses.add(String.format(Locale.ROOT, "error rate %.1f %% > %.1f %%", errorRate * 100, maxErrorRate * 100));
    }
    if (m.completed() == 0) {
      misses.add("no request completed");
    }
    Boolean saturated = null;
    if (openModel) {
      Saturation s = OverSaturation.of(rows); // warm-ups left out there
      if (s != null) {
        saturated = s.saturated();
        if (s.saturated()) {
          misses.add(String.format(Locale.ROOT, "over-saturated from %.1f s (in-flight %+.2f/s, TTFT %+.1f ms/s)",
              s.sinceSec(), s.inFlight().perSecond(), s.ttftMs().perSecond()));
        }
      }
    }
    if (stoppedEarly != null) {
      misses.add("stopped early: " + stoppedEarly);
    }
    return new StepVerdict(index, load, group, planned, m.completed(), failed, errorRate, m.requestThroughput(),
        m.outputThroughput(), percentile, measured, saturated, stoppedEarly, misses.isEmpty(), misses);
  }

  private static void objective(Double bound, String key, String p, Map<String, Double> at,
      Map<String, Double> measured, List<String> misses) {
    if (bound == null) {
      return;
    }
    double value = at.get(key);
    measured.put(key, value);
    if (Double.isNaN(value)) {
      misses.add(p + " " + key + " not measured");
    } else if (value > bound) {
      misses.add(String.format(Locale.ROOT, "%s %s %.1f ms > %s ms", p, key, value, CapacitySearch.loadName(bound)));
    }
  }

  /** One line for the console: the load, pass or miss, and why. */
  public String line(CapacitySearch.Mode mode) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d %s=%s: %s", index, mode.wireName(),
        CapacitySearch.loadName(load), passed ? "met the objectives" : "missed (" + String.join("; ", misses) + ")"));
    measured.forEach((k, v) -> b.append(String.format(Locale.ROOT, ", p%s %s %.1f ms",
        CapacitySearch.loadName(percentile), k, v)));
    b.append(String.format(Locale.ROOT, ", %.2f req/s, %.0f output tok/s", requestThroughput, outputThroughput));
    return b.toString();
  }
}
