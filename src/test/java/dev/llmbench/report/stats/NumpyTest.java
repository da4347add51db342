package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbench.report.model.Distribution;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * numpy's statistics on hand-made samples. Expected values are worked out by hand in the comments
 * and were checked once with numpy 2.4 ({@code np.percentile}, {@code np.median}, {@code np.std}).
 */
class NumpyTest {
  private static final double[] SAMPLE = {3.5, 1.25, 9.0, 4.0, 7.75, 2.0, 10.5, 6.0, 8.25, 5.5, 0.5};

  private static double[] sorted(double... values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  @Test
  void percentileInterpolatesLinearlyBetweenClosestRanks() {
    // sorted: 0.5 1.25 2 3.5 4 5.5 6 7.75 8.25 9 10.5; virtual index (n - 1) * p / 100 = 10 * p / 100
    double[] s = sorted(SAMPLE);
    assertEquals(0.5, Numpy.percentile(s, 0), 0.0);
    assertEquals(1.25, Numpy.percentile(s, 10), 0.0); // index 1
    assertEquals(2.75, Numpy.percentile(s, 25), 0.0); // index 2.5: 2 + 1.5 * 0.5
    assertEquals(5.5, Numpy.percentile(s, 50), 0.0); // index 5
    assertEquals(9.0, Numpy.percentile(s, 90), 0.0); // index 9
    assertEquals(9.75, Numpy.percentile(s, 95), 0.0); // index 9.5: 9 + 1.5 * 0.5
    assertEquals(10.350000000000001, Numpy.percentile(s, 99), 0.0); // index 9.9: 10.5 - 1.5 * 0.1 (numpy's _lerp)
    assertEquals(10.485000000000003, Numpy.percentile(s, 99.9), 0.0);
    assertEquals(10.5, Numpy.percentile(s, 100), 0.0);
  }

  @Test
  void percentileOfOneValueIsThatValueAndOfNothingIsZero() {
    assertEquals(7.0, Numpy.percentile(new double[] {7}, 99), 0.0);
    assertEquals(0.0, Numpy.percentile(new double[0], 99), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Numpy.percentile(new double[] {1}, 101));
    assertThrows(IllegalArgumentException.class, () -> Numpy.percentile(new double[] {1}, Double.NaN));
  }

  @Test
  void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleValues() {
    assertEquals(5.5, Numpy.median(sorted(SAMPLE)), 0.0);
    assertEquals(2.5, Numpy.median(sorted(4, 1, 3, 2)), 0.0);
    assertEquals(3.9699999999999998, Numpy.percentile(sorted(4, 1, 3, 2), 99), 0.0);
    assertEquals(0.0, Numpy.median(new double[0]), 0.0);
  }

  @Test
  void meanAndPopulationStd() {
    // mean 58.25 / 11; std with ddof=0 (divide by n, not n - 1)
    assertEquals(5.295454545454546, Numpy.mean(SAMPLE), 1e-12);
    assertEquals(3.1798695331623095, Numpy.std(SAMPLE), 1e-12);
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, 32 / 8 = 4, std 2 (ddof=1 would give 2.138)
    assertEquals(2.0, Numpy.std(new double[] {2, 4, 4, 4, 5, 5, 7, 9}), 0.0);
    assertEquals(0.0, Numpy.std(new double[] {3, 3, 3}), 0.0);
    assertEquals(0.0, Numpy.mean(new double[0]), 0.0);
    assertEquals(0.0, Numpy.std(new double[0]), 0.0);
  }

  @Test
  void distributionOfAnUnsortedSampleLeavesItUnchanged() {
    double[] values = SAMPLE.clone();
    Distribution d = Numpy.distribution(values);
    assertEquals(11, d.count());
    assertEquals(5.5, d.median(), 0.0);
    assertEquals(9.0, d.p90(), 0.0);
    assertEquals(9.75, d.p95(), 0.0);
    assertEquals(10.350000000000001, d.p99(), 0.0);
    assertEquals(10.5, d.max(), 0.0);
    assertEquals(Arrays.toString(SAMPLE), Arrays.toString(values));
    assertSame(Distribution.EMPTY, Numpy.distribution(new double[0]));
  }
}
