package dev.llmbench.report.baseline;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.metrics.Slo;
import dev.llmbench.report.stats.Numpy;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.sampling.Seeds;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The sampling noise of one group's metrics: a seeded bootstrap over its measured requests. Each
 * replicate draws as many requests as the group had, with replacement, and recomputes every
 * {@link Metric} from them with bench_serving's definitions (numpy's linear percentiles over the
 * pooled values; ITL pools every gap of the drawn requests). Throughputs divide the drawn requests'
 * counts and tokens by the group's observed duration: a bootstrap inside one run cannot see how long
 * another run would take, which is what the run-to-run spread of a baseline is for.
 *
 * <p>In the matrix, each measured request of a configuration is one run of it, so this is a
 * bootstrap over its runs. Pure computation: the same rows, duration, count and seed give the same
 * replicates. Cost is linear in the pooled values per replicate (the values are sorted once); with
 * more than {@value #GAP_BUDGET} pooled values × replicates the count is lowered, never below
 * {@value #MIN_REPLICATES}.
 */
public final class Bootstrap {
  static final long GAP_BUDGET = 500_000_000L;
  static final int MIN_REPLICATES = 200;

  private Bootstrap() {}

  /**
   * Replicates of every metric of one group.
   *
   * @param rows the group's rows (warm-ups are left out)
   * @param durationSeconds the group's observed duration
   * @param replicates how many replicates to draw (lowered for very large groups)
   * @param seed the seed; the group's name is mixed in by the caller
   * @return per metric, its replicate values (empty arrays when the group measured nothing)
   */
  public static Map<Metric, double[]> replicates(List<RequestResult> rows, double durationSeconds, int replicates,
      long seed) {
    return replicates(rows, durationSeconds, replicates, seed, null);
  }

  /**
   * As {@link #replicates(List, double, int, long)}, with the goodput metrics against these objectives
   * (each request good or not as the summary judges it, {@code ServingMetrics.good}); without objectives
   * (null) they are 0 in every replicate, and no group has them.
   */
  public static Map<Metric, double[]> replicates(List<RequestResult> rows, double durationSeconds, int replicates,
      long seed, Slo slo) {
    List<RequestResult> measured = rows.stream().filter(r -> !r.warmup()).toList();
    if (measured.isEmpty()) {
      return metricArrays(0);
    }
    Sample sample = new Sample(measured, slo);
    int b = sample.replicateCount(replicates);
    Map<Metric, double[]> out = metricArrays(b);
    Random random = Seeds.random(seed);
    int[] counts = new int[sample.n];
    for (int rep = 0; rep < b; rep++) {
      Arrays.fill(counts, 0);
      for (int k = 0; k < sample.n; k++) {
        counts[random.nextInt(sample.n)]++;
      }
      sample.replicate(counts, durationSeconds, out, rep);
    }
    return out;
  }

  private static Map<Metric, double[]> metricArrays(int length) {
    Map<Metric, double[]> out = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      out.put(m, new double[length]);
    }
    return out;
  }

  /**
   * A group's measured requests as a replicate needs them: whether each succeeded, its tokens, and its
   * latencies pooled (the requests that count toward each metric as the summary counts them).
   */
  private static final class Sample {
    final int n;
    final boolean[] ok;
    final boolean[] good;
    final double[] inTokens;
    final double[] outTokens;
    final double[] items;
    final Pooled ttft;
    final Pooled tpot;
    final Pooled e2e;
    final Pooled itl;

    Sample(List<RequestResult> measured, Slo slo) {
      n = measured.size();
      if (n >= 1 << Pooled.OWNER_BITS) {
        throw new IllegalArgumentException("a group of " + n + " requests is more than the bootstrap handles ("
            + (1 << Pooled.OWNER_BITS) + ")");
      }
      ok = new boolean[n];
      good = new boolean[n];
      inTokens = new double[n];
      outTokens = new double[n];
      items = new double[n];
      long gaps = 0;
      for (RequestResult r : measured) {
        gaps += r.ok() ? r.itlMicros().length : 0;
      }
      long[] ttftPacked = new long[n];
      long[] tpotPacked = new long[n];
      long[] e2ePacked = new long[n];
      long[] itlPacked = new long[Math.toIntExact(gaps)];
      int nTtft = 0;
      int nE2e = 0;
      int nTpot = 0;
      int nItl = 0;
      for (int i = 0; i < n; i++) {
        RequestResult r = measured.get(i);
        ok[i] = r.ok();
        good[i] = slo != null && ServingMetrics.good(r, slo);
        if (!r.ok()) {
          continue;
        }
        inTokens[i] = r.promptTokens();
        outTokens[i] = r.outputTokens();
        items[i] = r.items();
        e2ePacked[nE2e++] = Pooled.pack(r.e2eMicros() / 1_000.0, i);
        if (r.items() > 0) {
          continue; // a pooling request: one answer, no first token, as the summary counts it (ServingMetrics)
        }
        ttftPacked[nTtft++] = Pooled.pack(r.ttftMicros() / 1_000.0, i);
        if (ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros())) {
          tpotPacked[nTpot++] = Pooled.pack(r.tpotMicros() / 1_000.0, i);
        }
        for (long gap : r.itlMicros()) {
          itlPacked[nItl++] = Pooled.pack(gap / 1_000.0, i);
        }
      }
      ttft = new Pooled(ttftPacked, nTtft, n);
      tpot = new Pooled(tpotPacked, nTpot, n);
      e2e = new Pooled(e2ePacked, nE2e, n);
      itl = new Pooled(itlPacked, nItl, n);
    }

    /** The replicates asked for, lowered so that replicates × pooled values stay within {@link #GAP_BUDGET}. */
    int replicateCount(int asked) {
      long pooled = (long) n + ttft.size() + e2e.size() + tpot.size() + itl.size();
      return (int) Math.max(MIN_REPLICATES, Math.min(asked, GAP_BUDGET / Math.max(1, pooled)));
    }

    /** Every metric of one replicate, each request weighted by how often it was drawn. */
    void replicate(int[] counts, double durationSeconds, Map<Metric, double[]> out, int rep) {
      long completed = 0;
      long failed = 0;
      double in = 0;
      double outT = 0;
      double itemSum = 0;
      long goodCount = 0;
      for (int i = 0; i < n; i++) {
        if (good[i]) {
          goodCount += counts[i];
        }
        if (ok[i]) {
          completed += counts[i];
          in += counts[i] * inTokens[i];
          outT += counts[i] * outTokens[i];
          itemSum += counts[i] * items[i];
        } else {
          failed += counts[i];
        }
      }
      // The summary's formulas (ServingMetrics), over the drawn requests and the observed duration.
      ServingFormulas.Throughputs throughputs = ServingFormulas.throughputs(completed, in, outT, durationSeconds);
      out.get(Metric.REQUEST_THROUGHPUT)[rep] = throughputs.requests();
      out.get(Metric.ITEMS_THROUGHPUT)[rep] = ServingFormulas.perSecond(itemSum, durationSeconds);
      out.get(Metric.INPUT_THROUGHPUT)[rep] = throughputs.input();
      out.get(Metric.OUTPUT_THROUGHPUT)[rep] = throughputs.output();
      out.get(Metric.TOTAL_THROUGHPUT)[rep] = throughputs.total();
      out.get(Metric.ERROR_RATE)[rep] = ServingFormulas.errorRate(failed, n);
      out.get(Metric.REQUEST_GOODPUT)[rep] = ServingFormulas.perSecond(goodCount, durationSeconds);
      out.get(Metric.SLO_ATTAINMENT)[rep] = (double) goodCount / n;
      put(out, rep, ttft.stats(counts), Metric.MEAN_TTFT, Metric.MEDIAN_TTFT, Metric.P95_TTFT, Metric.P99_TTFT);
      put(out, rep, tpot.stats(counts), Metric.MEAN_TPOT, Metric.MEDIAN_TPOT, Metric.P95_TPOT, Metric.P99_TPOT);
      put(out, rep, itl.stats(counts), Metric.MEAN_ITL, Metric.MEDIAN_ITL, Metric.P95_ITL, Metric.P99_ITL);
      put(out, rep, e2e.stats(counts), Metric.MEAN_E2E, Metric.MEDIAN_E2E, Metric.P95_E2E, Metric.P99_E2E);
    }
  }

  /** The standard deviation of replicates (ddof=1), 0 for fewer than two. */
  public static double standardError(double[] replicates) {
    int n = replicates.length;
    if (n < 2) {
      return 0;
    }
    double mean = Arrays.stream(replicates).sum() / n;
    double ss = 0;
    for (double v : replicates) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / (n - 1));
  }

  /** numpy's linear percentile of an ascending array, p in [0, 100]. */
  static double percentile(double[] sorted, double p) {
    return Numpy.percentile(sorted, p);
  }

  private static void put(Map<Metric, double[]> out, int rep, double[] stats, Metric mean, Metric median, Metric p95,
      Metric p99) {
    out.get(mean)[rep] = stats[0];
    out.get(median)[rep] = stats[1];
    out.get(p95)[rep] = stats[2];
    out.get(p99)[rep] = stats[3];
  }

  /**
   * Values pooled over requests, sorted once, each remembering its request; a replicate weights each
   * value by how often its request was drawn, so its statistics need one pass and no sort. A value and
   * its request are packed into one {@code long} (value in units of 0.1 µs above {@value #OWNER_BITS}
   * bits of request index) so millions of ITL gaps sort as primitives.
   */
  static final class Pooled {
    static final int OWNER_BITS = 22;
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private final double[] values;
    private final int[] owner;
    private final double[] sumOf;
    private final long[] sizeOf;

    Pooled(long[] packed, int size, int requests) {
      long[] sorted = Arrays.copyOf(packed, size);
      Arrays.sort(sorted);
      values = new double[size];
      owner = new int[size];
      sumOf = new double[requests];
      sizeOf = new long[requests];
      for (int j = 0; j < size; j++) {
        values[j] = (sorted[j] >>> OWNER_BITS) / 10_000.0;
        owner[j] = (int) (sorted[j] & ((1L << OWNER_BITS) - 1));
        sumOf[owner[j]] += values[j];
        sizeOf[owner[j]]++;
      }
    }

    /** How many values are pooled. */
    int size() {
      return values.length;
    }

    /** A value in ms of request {@code i}, packed; negative values (never valid here) count as 0. */
    static long pack(double ms, int i) {
      return (Math.round(Math.max(0, ms) * 10_000.0) << OWNER_BITS) | i;
    }

    /** Mean, median, p95, p99 of the values weighted by the draw counts; zeros when none was drawn. */
    double[] stats(int[] counts) {
      long total = 0;
      double sum = 0;
      for (int i = 0; i < counts.length; i++) {
        total += counts[i] * sizeOf[i];
        sum += counts[i] * sumOf[i];
      }
      double[] stats = new double[4];
      if (total == 0) {
        return stats;
      }
      stats[0] = sum / total;
      // numpy's linear interpolation needs the values at ranks floor((N - 1) q) and the one after.
      long[] ranks = new long[QUANTILES.length * 2];
      double[] gamma = new double[QUANTILES.length];
      for (int q = 0; q < QUANTILES.length; q++) {
        double virtual = (total - 1) * QUANTILES[q];
        long lower = (long) Math.floor(virtual);
        ranks[2 * q] = lower;
        ranks[2 * q + 1] = Math.min(lower + 1, total - 1);
        gamma[q] = virtual - lower;
      }
      // One walk over the sorted values finds them all, taking the ranks in ascending order: they are
      // not in that order as listed when N is small (p95's upper neighbour can lie above p99's lower).
      int[] order = ascending(ranks);
      double[] at = new double[ranks.length];
      int next = 0;
      long cumulative = 0;
      for (int j = 0; j < values.length && next < order.length; j++) {
        cumulative += counts[owner[j]];
        while (next < order.length && ranks[order[next]] < cumulative) {
          at[order[next++]] = values[j];
        }
      }
      for (int q = 0; q < QUANTILES.length; q++) {
        double a = at[2 * q];
        double b = at[2 * q + 1];
        double diff = b - a;
        stats[q + 1] = gamma[q] >= 0.5 ? b - diff * (1 - gamma[q]) : a + diff * gamma[q];
      }
      return stats;
    }

    /** The indices of {@code ranks} by ascending rank (six of them: an insertion sort). */
    private static int[] ascending(long[] ranks) {
      int[] order = new int[ranks.length];
      for (int i = 0; i < order.length; i++) {
        int j = i;
        while (j > 0 && ranks[order[j - 1]] > ranks[i]) {
          order[j] = order[j - 1];
          j--;
        }
        order[j] = i;
      }
      return order;
    }
  }
}
