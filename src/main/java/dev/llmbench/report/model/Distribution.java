package dev.llmbench.report.model;

/**
 * Summary statistics of one sample (a latency in milliseconds, or a count such as tokens per chunk),
 * as {@code bench_serving.py} computes them with numpy: mean, median, population standard deviation
 * (ddof=0) and linearly interpolated percentiles. An empty sample is all zeros, as bench_serving's
 * {@code np.mean(x or 0)} gives.
 *
 * @param count number of values
 * @param mean arithmetic mean
 * @param median middle value (mean of the two middle values for an even count)
 * @param std population standard deviation
 * @param p90 90th percentile
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record Distribution(long count, double mean, double median, double std, double p90, double p95, double p99,
    double max) {

  /** The statistics of an empty sample. */
  public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0, 0, 0);

  public Distribution {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    finite("mean", mean);
    finite("median", median);
    finite("std", std);
    finite("p90", p90);
    finite("p95", p95);
    finite("p99", p99);
    finite("max", max);
    if (std < 0) {
      throw new IllegalArgumentException("std must be >= 0, but was " + std);
    }
  }

  static void finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, but was " + value);
    }
  }
}
