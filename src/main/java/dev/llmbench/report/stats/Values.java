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

  /**
   * {@link Numpy#median} of the sample, NaN when it is empty; the values must not be NaN. Unsorted, it is
   * found by selection (linear time) instead of a sort, and the order of the values is then lost: the
   * per-second medians of a run's timeline ({@link ClientTimeline}) cover every token gap, and sorting each
   * second's gaps cost as much of the post-run step's CPU as sorting the run's (a sixth of it at 1,000
   * streams). No library in the stack selects (Commons Math 3's {@code KthSelector} would be a dependency
   * for this alone).
   */
  double median() {
    if (size == 0) {
      return Double.NaN;
    }
    if (sorted) {
      return Numpy.median(sorted());
    }
    int k = size / 2;
    select(values, 0, size - 1, k);
    double upper = values[k];
    if (size % 2 == 1) {
      return upper;
    }
    double lower = values[0]; // the largest of the lower half, which selection left below k
    for (int i = 1; i < k; i++) {
      lower = Math.max(lower, values[i]);
    }
    return (lower + upper) / 2;
  }

  /**
   * Puts the {@code k}-th smallest of {@code a[lo..hi]} at {@code k}, the smaller ones before it and the
   * larger after (Hoare's selection, median-of-three pivots; equal values stop both scans, so a sample
   * of many equal gaps splits evenly).
   */
  static void select(double[] a, int lo, int hi, int k) {
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < a[lo]) {
        swap(a, lo, mid);
      }
      if (a[hi] < a[lo]) {
        swap(a, lo, hi);
      }
      if (a[hi] < a[mid]) {
        swap(a, mid, hi);
      }
      double pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      // Now a[lo..j] <= pivot <= a[i..hi], and any values between j and i equal the pivot.
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** {@link Numpy#percentile} of the sample; NaN when it is empty. */
  double percentile(double p) {
    return size == 0 ? Double.NaN : Numpy.percentile(sorted(), p);
  }
}
