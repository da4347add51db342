package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gamma-distributed arrival offsets: mean gap 1/rate, CV 1/sqrt(burstiness), seeded. */
class ArrivalsTest {

  /** bench_serving's schedule, the default. */
  private static long[] benchServing(int n, double ratePerSecond, double burstiness, long seed) {
    return Arrivals.offsets(n, ratePerSecond, burstiness, seed, Arrivals.Schedule.BENCH_SERVING);
  }

  private static final int N = 20_001; // 20,000 gaps

  @Test
  void infiniteRateSendsEverythingAtOnce() {
    long[] offsets = benchServing(100, Double.POSITIVE_INFINITY, 1.0, 1);
    assertEquals(100, offsets.length);
    assertTrue(Arrays.stream(offsets).allMatch(o -> o == 0));
  }

  @Test
  void offsetsStartAtZeroAndNeverDecrease() {
    for (double burstiness : new double[] {0.5, 1, 4}) {
      long[] offsets = benchServing(5_000, 50, burstiness, 3);
      assertEquals(0, offsets[0]);
      for (int i = 1; i < offsets.length; i++) {
        assertTrue(offsets[i] >= offsets[i - 1], "burstiness " + burstiness + " at " + i);
      }
    }
  }

  @Test
  void meanGapIsOneOverRateAndCvIsOneOverSqrtBurstiness() {
    double rate = 8;
    for (double burstiness : new double[] {1, 0.5, 4}) {
      long[] offsets = benchServing(N, rate, burstiness, 2024);
      double[] gaps = new double[N - 1];
      for (int i = 1; i < N; i++) {
        gaps[i - 1] = (offsets[i] - offsets[i - 1]) / 1e9;
      }
      double mean = Arrays.stream(gaps).average().orElseThrow();
      double var = Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (gaps.length - 1);
      double cv = Math.sqrt(var) / mean;
      assertEquals(1 / rate, mean, 0.10 / rate, "mean gap, burstiness " + burstiness);
      double expectedCv = 1 / Math.sqrt(burstiness);
      assertEquals(expectedCv, cv, 0.15 * expectedCv, "coefficient of variation, burstiness " + burstiness);
    }
  }

  @Test
  void vllmsScheduleWaitsBeforeTheFirstToAndEndsAtExactlyNOverTheRate() {
    for (double burstiness : new double[] {0.5, 1, 4}) {
      int n = 1_000;
      double rate = 8;
      long[] offsets = Arrivals.offsets(n, rate, burstiness, 5, Arrivals.Schedule.VLLM);
      assertTrue(offsets[0] > 0, "the first request waits its gap too");
      for (int i = 1; i < n; i++) {
        assertTrue(offsets[i] >= offsets[i - 1], "burstiness " + burstiness + " at " + i);
      }
      assertEquals(Math.round(n / rate * 1e9), offsets[n - 1], 1, "the last arrival, burstiness " + burstiness);
      // The same draws as bench_serving's schedule, only rescaled: gap i + 1 there is gap i + 1 here.
      long[] drawn = benchServing(n + 1, rate, burstiness, 5);
      double scale = (double) offsets[n - 1] / drawn[n];
      for (int i : new int[] {0, 1, n / 2, n - 1}) {
        assertEquals(drawn[i + 1] * scale, offsets[i], 2, "offset " + i + ", burstiness " + burstiness);
      }
    }
    assertTrue(Arrays.stream(Arrivals.offsets(50, Double.POSITIVE_INFINITY, 1, 5, Arrivals.Schedule.VLLM))
        .allMatch(o -> o == 0), "an infinite rate sends everything at once");
  }

  @Test
  void sameSeedSameOffsetsOtherSeedOtherOffsets() {
    assertArrayEquals(benchServing(1_000, 10, 0.5, 7), benchServing(1_000, 10, 0.5, 7));
    assertFalse(Arrays.equals(benchServing(1_000, 10, 0.5, 7), benchServing(1_000, 10, 0.5, 8)));
  }

  @Test
  void badRateOrBurstinessIsRejected() {
    for (double rate : new double[] {0, -1, Double.NaN, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> benchServing(10, rate, 1, 1));
      assertTrue(e.getMessage().contains("rate") && e.getMessage().contains(String.valueOf(rate)), e.getMessage());
    }
    for (double burstiness : new double[] {0, -2, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> benchServing(10, 5, burstiness, 1));
      assertTrue(e.getMessage().contains("burstiness") && e.getMessage().contains(String.valueOf(burstiness)),
          e.getMessage());
    }
  }

  @Test
  void scheduleAppliesOffsetsInOrder() {
    List<Ticket> tickets = RandomDataset.generate(20, 8, 8, 1.0, 1);
    List<Ticket> scheduled = Arrivals.schedule(tickets, 4, 1, 9, Arrivals.Schedule.BENCH_SERVING);
    long[] offsets = benchServing(20, 4, 1, 9);
    for (int i = 0; i < tickets.size(); i++) {
      assertEquals(offsets[i], scheduled.get(i).arrivalOffsetNanos());
      assertEquals(tickets.get(i).prompt(), scheduled.get(i).prompt());
      assertEquals(tickets.get(i).index(), scheduled.get(i).index());
    }
  }

  @Test
  void nearbySeedsGiveIndependentFirstGaps() {
    // Users average runs over seeds 1..k: the first gap over many such seeds must have the mean of
    // the distribution (java.util.Random seeded plainly gave 0.205 s here instead of 0.25 s).
    int seeds = 4_000;
    double sum = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      sum += benchServing(2, 4.0, 1.0, seed)[1] / 1e9;
    }
    double mean = sum / seeds;
    double standardError = 0.25 / Math.sqrt(seeds);
    assertEquals(0.25, mean, 4 * standardError, "mean first gap at 4 req/s over seeds 1.." + seeds);
  }
}
