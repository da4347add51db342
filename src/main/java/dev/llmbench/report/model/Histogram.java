package dev.llmbench.report.model;

import java.util.Arrays;

/**
 * Counts of a sample in equal-width bins from its minimum to its 99th percentile, plus the count
 * above that (outliers would otherwise squash every other bin into one).
 *
 * @param lower the lower edge of the first bin
 * @param binWidth the width of each bin (0 when every value up to p99 is the same)
 * @param counts values per bin
 * @param above values above the last bin
 */
public record Histogram(double lower, double binWidth, long[] counts, long above) {
  /** Bins a histogram has when there are values. */
  public static final int BINS = 20;

  public static final Histogram EMPTY = new Histogram(0, 0, new long[0], 0);

  public Histogram {
    counts = counts.clone();
    if (binWidth < 0 || above < 0 || Arrays.stream(counts).anyMatch(c -> c < 0)) {
      throw new IllegalArgumentException("histogram widths and counts must be >= 0");
    }
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  public long total() {
    return Arrays.stream(counts).sum() + above;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && h.lower == lower && h.binWidth == binWidth && h.above == above
        && Arrays.equals(h.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + Double.hashCode(lower);
  }

  @Override
  public String toString() {
    return "Histogram[lower=" + lower + ", binWidth=" + binWidth + ", counts=" + Arrays.toString(counts) + ", above="
        + above + "]";
  }
}
