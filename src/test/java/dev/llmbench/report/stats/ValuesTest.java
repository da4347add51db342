package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A sample sorted once: the same statistics as Numpy's of the values in any order. */
class ValuesTest {
  @Test
  void statisticsAreNumpysOfTheValuesAddedInAnyOrder() {
    SplittableRandom random = new SplittableRandom(7);
    double[] raw = new double[10_001]; // past several doublings of the array
    Values v = new Values();
    for (int i = 0; i < raw.length; i++) {
      raw[i] = random.nextInt(5_000) / 1_000.0;
      v.add(raw[i]);
    }
    assertEquals(Numpy.distribution(raw), v.distribution());
    double[] sorted = raw.clone();
    Arrays.sort(sorted);
    assertEquals(ServingMetrics.histogramOfSorted(sorted), v.histogram());
    assertEquals(Numpy.percentile(sorted, 99), v.percentile(99));
    assertArrayEquals(sorted, v.sorted());
    assertSame(v.sorted(), v.sorted(), "sorted once, then shared");
  }

  @Test
  void valuesAddedInOrderAreTakenAsTheyAre() {
    Values v = new Values();
    for (double d : new double[] {1, 1, 2, 3.5}) {
      v.add(d);
    }
    assertArrayEquals(new double[] {1, 1, 2, 3.5}, v.sorted());
    assertEquals(1.5, Numpy.median(v.sorted()));
  }

  @Test
  void anEmptySampleHasTheEmptyStatisticsAndNoPercentile() {
    Values v = new Values();
    assertTrue(v.isEmpty());
    assertEquals(0, v.size());
    assertEquals(Numpy.distribution(new double[0]), v.distribution());
    assertTrue(Double.isNaN(v.percentile(50)));
  }

  /** The median by selection is Numpy's of the sorted values: odd and even sizes, many equal values, any order. */
  @Test
  void theMedianBySelectionIsNumpysMedian() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 1; n <= 300; n++) {
      for (int spread : new int[] {2, 50, 1_000_000}) { // from mostly equal values to mostly distinct
        double[] raw = new double[n];
        Values v = new Values();
        for (int i = 0; i < n; i++) {
          raw[i] = random.nextInt(spread) / 1_000.0;
          v.add(raw[i]);
        }
        double[] sorted = raw.clone();
        Arrays.sort(sorted);
        assertEquals(Numpy.median(sorted), v.median(), "n=" + n + " spread=" + spread);
      }
    }
    Values ascending = new Values();
    for (double d : new double[] {1, 2, 2, 7}) {
      ascending.add(d);
    }
    assertEquals(2.0, ascending.median(), "already in order: taken from the sorted values");
    assertTrue(Double.isNaN(new Values().median()), "no values, no median");
  }

  @Test
  void selectionPutsTheKthSmallestInItsPlace() {
    SplittableRandom random = new SplittableRandom(3);
    double[] a = new double[5_000];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(100);
    }
    double[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int k : new int[] {0, 1, 2_499, 2_500, 4_999}) {
      double[] b = a.clone();
      Values.select(b, 0, b.length - 1, k);
      assertEquals(sorted[k], b[k], "k=" + k);
      for (int i = 0; i < k; i++) {
        assertTrue(b[i] <= b[k], "before k: " + i);
      }
      for (int i = k + 1; i < b.length; i++) {
        assertTrue(b[i] >= b[k], "after k: " + i);
      }
    }
  }

  /** The radix sort orders as {@code Arrays.sort}: signs, zeros, infinities, NaN, equal values, one shared digit. */
  @Test
  void theRadixSortOrdersAsArraysSort() {
    SplittableRandom random = new SplittableRandom(17);
    double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};
    for (int n : new int[] {0, 1, 2, 3, 100, 70_001}) {
      double[] mixed = new double[n];
      double[] gaps = new double[n]; // token gaps: non-negative whole microseconds in milliseconds
      double[] equal = new double[n];
      for (int i = 0; i < n; i++) {
        mixed[i] = random.nextInt(10) == 0 ? special[random.nextInt(special.length)] : random.nextDouble(-1e6, 1e6);
        gaps[i] = random.nextInt(300_000) / 1_000.0;
        equal[i] = 4.25;
      }
      for (double[] a : new double[][] {mixed, gaps, equal}) {
        double[] expected = a.clone();
        Arrays.sort(expected);
        double[] actual = a.clone();
        Values.radixSort(actual);
        assertArrayEquals(expected, actual, "n=" + n);
      }
    }
  }

  @Test
  void aLargeSampleIsSortedByTheRadixSort() {
    SplittableRandom random = new SplittableRandom(5);
    double[] raw = new double[Values.RADIX_MIN + 1];
    Values v = new Values();
    for (int i = 0; i < raw.length; i++) {
      raw[i] = random.nextInt(50_000) / 1_000.0;
      v.add(raw[i]);
    }
    double[] sorted = raw.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, v.sorted());
    assertEquals(Numpy.distribution(raw), v.distribution());
  }
}
