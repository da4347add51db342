package dev.llmbench.report.stats;

import dev.llmbench.report.model.Distribution;
import java.util.Arrays;

/**
 * The sample statistics {@code bench_serving.py} takes from numpy, with numpy's definitions: mean,
 * median ({@code np.median}: the mean of the two middle values for an even count), population
 * standard deviation ({@code np.std}, ddof=0, two-pass) and percentiles ({@code np.percentile}'s
 * default method "linear": virtual index {@code (n - 1) * p / 100}, interpolated between the two
 * closest ranks exactly as numpy's {@code _lerp}). Every statistic of an empty sample is 0, as
 * bench_serving's {@code np.mean(x or 0)} gives.
 */
public final class Numpy {
  private Numpy() {}

  /** {@code np.mean}; 0 for an empty sample. */
  public static double mean(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** {@code np.std} with ddof=0: the square root of the mean squared deviation from the mean. */
  public static double std(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double mean = mean(values);
    double sum = 0;
    for (double v : values) {
      double d = v - mean;
      sum += d * d;
    }
    return Math.sqrt(sum / values.length);
  }

  /** {@code np.median} of an ascending sample. */
  public static double median(double[] sorted) {
    int n = sorted.length;
    if (n == 0) {
      return 0;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * {@code np.percentile(x, p)} of an ascending sample, method "linear".
   *
   * @param p the percentile, 0 to 100
   */
  public static double percentile(double[] sorted, double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], but was " + p);
    }
    int n = sorted.length;
    if (n == 0) {
      return 0;
    }
    double q = p / 100;
    double virtual = (n - 1) * q;
    int previous = (int) Math.floor(virtual);
    int next = Math.min(previous + 1, n - 1);
    double gamma = virtual - previous;
    double a = sorted[previous];
    double b = sorted[next];
    double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  /** {@code np.max}; 0 for an empty sample. */
  public static double max(double[] sorted) {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  /** All the statistics of a sample (in any order; the array is not changed). */
  public static Distribution distribution(double[] values) {
    if (values.length == 0) {
      return Distribution.EMPTY;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return distributionOfSorted(sorted);
  }

  /** All the statistics of an ascending sample. */
  public static Distribution distributionOfSorted(double[] sorted) {
    if (sorted.length == 0) {
      return Distribution.EMPTY;
    }
    return new Distribution(sorted.length, mean(sorted), median(sorted), std(sorted), percentile(sorted, 90),
        percentile(sorted, 95), percentile(sorted, 99), max(sorted));
  }
}
