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
      if (size >= RADIX_MIN) {
        radixSort(values);
      } else {
        Arrays.sort(values);
      }
      sorted = true;
    }
    return values;
  }

  /** From this size on, {@link #radixSort} is faster than {@code Arrays.sort} (its counts cost 1 MiB a sort). */
  static final int RADIX_MIN = 1 << 16;

  /**
   * Sorts ascending in the order of {@code Arrays.sort(double[])} (-0.0 before 0.0, NaN last, as the
   * canonical NaN), by a least-significant-digit radix sort of the values' bits in four 16-bit digits,
   * skipping a digit all the values share.
   *
   * <p>Why: the post-run step sorts every token gap of a run once (ITL's percentiles, histogram and CDF),
   * and in the C1-compiled Gatling JVM {@code Arrays.sort} of 1.15 million gap-like values took 65 ms, this 26 ms;
   * the sort was then about a quarter of the step's Java time. It costs two {@code long} arrays as long
   * as the values while it runs.
   */
  static void radixSort(double[] a) {
    int n = a.length;
    long[] keys = new long[n];
    long[] spare = new long[n];
    int[][] counts = new int[4][65_537];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToLongBits(a[i]);
      // Flipping the sign bit of a positive value and every bit of a negative one orders the keys, read
      // as unsigned numbers, as the values.
      long key = bits ^ ((bits >> 63) | Long.MIN_VALUE);
      keys[i] = key;
      counts[0][(int) (key & 0xFFFF) + 1]++;
      counts[1][(int) ((key >>> 16) & 0xFFFF) + 1]++;
      counts[2][(int) ((key >>> 32) & 0xFFFF) + 1]++;
      counts[3][(int) (key >>> 48) + 1]++;
    }
    for (int digit = 0; digit < 4; digit++) {
      int shift = 16 * digit;
      int[] start = counts[digit];
      if (n == 0 || start[(int) ((keys[0] >>> shift) & 0xFFFF) + 1] == n) {
        continue; // every key has this digit: the order stays
      }
      for (int d = 0; d < 65_536; d++) {
        start[d + 1] += start[d];
      }
      for (int i = 0; i < n; i++) {
        long key = keys[i];
        spare[start[(int) ((key >>> shift) & 0xFFFF)]++] = key;
      }
      long[] sortedSoFar = spare;
      spare = keys;
      keys = sortedSoFar;
    }
    for (int i = 0; i < n; i++) {
      long key = keys[i];
      a[i] = Double.longBitsToDouble(key ^ (((~key) >> 63) | Long.MIN_VALUE));
    }
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
