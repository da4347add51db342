package dev.llmbench.workload;

import dev.llmbench.sampling.Seeds;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Request arrival times of an open workload, as {@code bench_serving.py} / {@code vllm bench serve}
 * draw them: gaps from a gamma distribution of shape {@code burstiness} and mean {@code 1/rate}
 * (burstiness 1 is a Poisson process, exponential gaps; below 1 burstier, above 1 more regular);
 * an infinite rate sends everything at once. Seeded. Two schedules ({@link Schedule}): the gaps as
 * drawn (bench_serving's), or rescaled to span exactly N / rate (vLLM's).
 */
public final class Arrivals {
  /** How the drawn gaps make the schedule ({@code -Darrival.schedule}). */
  public enum Schedule {
    /**
     * {@code bench_serving.py}'s: the first request at once, then each after its gap, as drawn; the
     * run spans about N / rate, a little more or less with the seed.
     */
    BENCH_SERVING,
    /**
     * {@code vllm bench serve}'s (its {@code get_request} without a ramp-up): every request after a
     * gap of its own, the first too, and all offsets rescaled so that the last falls at exactly
     * N / rate, which steadies the throughput from seed to seed.
     */
    VLLM;

    /** The property's value for this schedule. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private Arrivals() {}

  /** Offsets in nanoseconds from the start, one per request, non-decreasing. */
  public static long[] offsets(int n, double ratePerSecond, double burstiness, long seed, Schedule schedule) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("request rate must be > 0 or infinite, but was " + ratePerSecond);
    }
    if (!(burstiness > 0)) {
      throw new IllegalArgumentException("burstiness must be > 0, but was " + burstiness);
    }
    long[] offsets = new long[n];
    if (Double.isInfinite(ratePerSecond) || n == 0) {
      return offsets;
    }
    Random random = Seeds.random(seed);
    double theta = 1.0 / (ratePerSecond * burstiness);
    if (schedule == Schedule.BENCH_SERVING) {
      double t = 0;
      for (int i = 0; i < n; i++) {
        offsets[i] = Math.round(t * 1e9);
        t += Seeds.gamma(burstiness, theta, random);
      }
      return offsets;
    }
    double[] t = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Seeds.gamma(burstiness, theta, random);
      t[i] = sum;
    }
    double scale = n / ratePerSecond / sum; // a gamma draw is positive: sum > 0
    for (int i = 0; i < n; i++) {
      offsets[i] = Math.round(t[i] * scale * 1e9);
    }
    return offsets;
  }

  /** Applies arrival offsets to tickets, in order. */
  public static List<Ticket> schedule(List<Ticket> tickets, double ratePerSecond, double burstiness, long seed,
      Schedule schedule) {
    long[] offsets = offsets(tickets.size(), ratePerSecond, burstiness, seed, schedule);
    return IntStream.range(0, tickets.size())
        .mapToObj(i -> tickets.get(i).withArrival(offsets[i]))
        .collect(Collectors.toList());
  }
}
