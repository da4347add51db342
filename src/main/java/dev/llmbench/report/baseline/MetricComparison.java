package dev.llmbench.report.baseline;

import java.util.Objects;

/**
 * One metric of one group, compared with its baseline. Changes are in percent of the baseline value,
 * signed as the values move ({@code +12} means the current value is 12 % higher, which is worse for a
 * latency and better for a throughput). NaN where a figure is undefined (a baseline value of 0).
 *
 * @param group the group
 * @param metric the metric
 * @param baseline the baseline value
 * @param current this run's value
 * @param changePct {@code (current - baseline) / baseline × 100}
 * @param changeCiLowPct lower end of the confidence interval of the change
 * @param changeCiHighPct upper end of the confidence interval of the change
 * @param currentCiLow lower end of the bootstrap interval of the current value
 * @param currentCiHigh upper end of the bootstrap interval of the current value
 * @param baselineRuns runs the baseline value was taken from
 * @param baselineRunMin smallest run value of the baseline
 * @param baselineRunMax largest run value of the baseline
 * @param baselineRunSd run-to-run standard deviation of the baseline
 * @param status the verdict
 * @param note why, in words (which rule decided), "" when OK
 */
public record MetricComparison(String group, Metric metric, double baseline, double current, double changePct,
    double changeCiLowPct, double changeCiHighPct, double currentCiLow, double currentCiHigh, int baselineRuns,
    double baselineRunMin, double baselineRunMax, double baselineRunSd, Status status, String note) {

  public MetricComparison {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(note, "note");
  }
}
