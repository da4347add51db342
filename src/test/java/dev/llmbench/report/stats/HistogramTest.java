package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.report.model.Histogram;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void binsFromTheMinimumToP99AndCountsTheRestAbove() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      values.add((double) i);
    }
    Histogram h = histogram(values);
    // numpy: percentile([1..100], 99) = 1 + 0.99 * 99 = 99.01; 20 bins of (99.01 - 1) / 20 = 4.9005.
    assertEquals(1.0, h.lower());
    assertEquals(4.9005, h.binWidth(), 1e-9);
    assertEquals(1, h.above(), "only 100 is above p99");
    assertEquals(100, h.total());
    long[] c = h.counts();
    assertEquals(Histogram.BINS, c.length);
    assertEquals(5, c[0], "1, 2, 3, 4, 5 are below 1 + 4.9005");
    assertEquals(99, java.util.Arrays.stream(c).sum());
  }

  @Test
  void equalValuesFillOneBinAndNothingIsEmpty() {
    Histogram h = histogram(List.of(7.0, 7.0, 7.0));
    assertEquals(0, h.binWidth());
    assertEquals(3, h.counts()[0]);
    assertEquals(0, h.above());
  }

  @Test
  void noValuesNoBins() {
    assertEquals(Histogram.EMPTY, histogram(List.of()));
    assertEquals(0, Histogram.EMPTY.counts().length);
  }

  /** The histogram of the values, as a group's tally makes it (Values: sorted once). */
  private static Histogram histogram(List<Double> values) {
    Values v = new Values();
    values.forEach(v::add);
    return v.histogram();
  }
}
