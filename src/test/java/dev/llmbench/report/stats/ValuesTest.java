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
}
