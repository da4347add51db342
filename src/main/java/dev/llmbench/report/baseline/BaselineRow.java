package dev.llmbench.report.baseline;

import java.util.Comparator;
import java.util.Objects;

/**
 * One metric of one group of a baseline: its value and how much it moves.
 *
 * @param group the group (profile, matrix configuration or rate step) as the run named it
 * @param metric the metric
 * @param value the mean of the metric over the baseline's runs
 * @param runs how many runs the baseline was taken from, at least 1
 * @param runMin the smallest value among the runs
 * @param runMax the largest value among the runs
 * @param runSd the run-to-run standard deviation (ddof=1), 0 for one run
 * @param se the standard error of {@code value}: the larger of {@code runSd / sqrt(runs)} and the runs'
 *     bootstrap standard errors combined ({@code sqrt(sum se_i^2) / runs})
 */
public record BaselineRow(String group, Metric metric, double value, int runs, double runMin, double runMax,
    double runSd, double se) {

  /** By group, then in the order of {@link Metric}. */
  public static final Comparator<BaselineRow> ORDER =
      Comparator.comparing(BaselineRow::group).thenComparing(BaselineRow::metric);

  public BaselineRow {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(metric, "metric");
    String where = "group '" + group + "' metric " + metric.key() + ": ";
    if (runs < 1) {
      throw new IllegalArgumentException(where + "runs must be >= 1, but was " + runs);
    }
    for (double v : new double[] {value, runMin, runMax, runSd, se}) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(where + "value, run_min, run_max, run_sd and se must be finite and >= 0, "
            + "but were " + value + ", " + runMin + ", " + runMax + ", " + runSd + ", " + se);
      }
    }
    if (runMin > runMax) {
      throw new IllegalArgumentException(where + "run_min " + runMin + " is above run_max " + runMax);
    }
  }

  /**
   * The relative noise one comparison must allow for this metric: the baseline's own uncertainty
   * ({@code se}) and the spread a single new run has from run to run ({@code runSd}), both relative to
   * the value and added in quadrature; 0 when the value is 0.
   */
  public double relativeNoise() {
    return value > 0 ? Math.sqrt(se * se + runSd * runSd) / value : 0;
  }
}
