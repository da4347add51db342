package dev.llmbench.workload;

import dev.llmbench.sampling.Seeds;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Request arrival times of an open workload, as {@code bench_serving.py} / {@code vllm bench serve}
 * draw them: gaps from a gamma distribution of shape {@code burstiness} and mean {@code 1/rate}
 * (burstiness 1 is a Poisson process, exponential gaps; below 1 burstier, above 1 more regular);
 * an infinite rate sends everything at once. Seeded.
 */
public final class Arrivals {
  private Arrivals() {}

  /** Offsets in nanoseconds from the start, one per request, non-decreasing. */
  public static long[] offsets(int n, double ratePerSecond, double burstiness, long seed) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("request rate must be > 0 or infinite, but was " + ratePerSecond);
    }
    if (!(burstiness > 0)) {
      throw new IllegalArgumentException("burstiness must be > 0, but was " + burstiness);
    }
    long[] offsets = new long[n];
    if (Double.isInfinite(ratePerSecond)) {
      return offsets;
    }
    Random random = Seeds.random(seed);
    double theta = 1.0 / (ratePerSecond * burstiness);
    double t = 0;
    for (int i = 0; i < n; i++) {
      offsets[i] = Math.round(t * 1e9);
      t += Seeds.gamma(burstiness, theta, random);
    }
    return offsets;
  }

  /** Applies arrival offsets to tickets, in order. */
  public static List<Ticket> schedule(List<Ticket> tickets, double ratePerSecond, double burstiness, long seed) {
    long[] offsets = offsets(tickets.size(), ratePerSecond, burstiness, seed);
    return IntStream.range(0, tickets.size())
        .mapToObj(i -> tickets.get(i).withArrival(offsets[i]))
        .collect(Collectors.toList());
  }
}
