package dev.llmbench.report.stats;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.Histogram;
import java.util.Arrays;

/**
 * A sample of doubles collected one by one and sorted once, however many statistics are taken of it.
 *
 * <p>Why not a {@code List<Double>}: a full run has a value per token gap (half a million for 2,000
 * requests of 256 tokens). Boxed, each costs an object, and each statistic (distribution, histogram)
 * sorted its own copy; the post-run work then cost a third of the load's CPU. Here the values stay in
 * one primitive array, sorted in place the first time a statistic needs the order.
 */
final class Values {
  private double[] values = new double[16];
  private int size;
  private boolean sorted = true;

  void add(double v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    if (size > 0 && v < values[size - 1]) {
      sorted = false;
    }
    values[size++] = v;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The values in ascending order; the array is shared, not to be changed. */
  double[] sorted() {
    if (values.length != size) {
      values = Arrays.copyOf(values, size);
    }
    if (!sorted) {
      Arrays.sort(values);
      sorted = true;
    }
    return values;
  }

  /** {@link Numpy}'s statistics of the sample. */
  Distribution distribution() {
    return Numpy.distributionOfSorted(sorted());
  }

  /** The sample's histogram ({@link ServingMetrics#histogram}). */
  Histogram histogram() {
    return ServingMetrics.histogramOfSorted(sorted());
  }

  /** {@link Numpy#percentile} of the sample; NaN when it is empty. */
  double percentile(double p) {
    return size == 0 ? Double.NaN : Numpy.percentile(sorted(), p);
  }
}
