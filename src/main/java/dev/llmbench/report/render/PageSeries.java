package dev.llmbench.report.render;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the result page charts beyond the summary: the client's per-second series ({@code timeline.csv}),
 * the server's scrapes and the GPU samples ({@code server-metrics.csv}, {@code gpu.csv}; null when neither)
 * and per group the measured values of TTFT, TPOT and ITL (ms) for their CDFs. The summary keeps only statistics of these; the post-run step has
 * the side file's rows and builds this from them.
 *
 * @param client one entry per second from the first send
 * @param server the server's telemetry (scrapes, GPU samples), or null when none was recorded
 * @param samples per group (its name, "" for none), the values its distributions were computed from
 */
public record PageSeries(List<ClientSecond> client, ServerTelemetry server, Map<String, Samples> samples) {
  public PageSeries {
    client = List.copyOf(client);
    samples = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(samples));
  }

  /** One group's measured values in ms, in any order (the charts sort them when they are not in order). */
  public record Samples(double[] ttftMs, double[] tpotMs, double[] itlMs) {}

  /**
   * From the side file's rows: the same requests and the same rules as the summary's distributions
   * ({@code ServingMetrics}): measured (not warm-up), successful, streaming (no pooling items) requests; TPOT
   * only where {@link ServingFormulas#countsTowardTpot} says it is defined.
   */
  public static PageSeries of(List<RequestResult> rows, ServerTelemetry server) {
    return of(rows, server, rows.isEmpty() ? List.of() : ClientTimeline.of(rows));
  }

  /**
   * The page's series from the run's timeline ({@link ClientTimeline#of}) and each group's samples as the
   * summary's distributions sorted them ({@link ServingMetrics#summarizeWithSamples}, the same requests and
   * rules): no copy, and the CDFs need no sort of their own.
   */
  public static PageSeries of(ServerTelemetry server, List<ClientSecond> client,
      Map<String, ServingMetrics.SortedSamples> sorted) {
    Map<String, Samples> samples = new LinkedHashMap<>();
    sorted.forEach((g, s) -> samples.put(g, new Samples(s.ttftMs(), s.tpotMs(), s.itlMs())));
    return new PageSeries(client, server == null || server.empty() ? null : server, samples);
  }

  /** {@link #of(List, ServerTelemetry)} with the rows' timeline ({@link ClientTimeline#of}) already made. */
  public static PageSeries of(List<RequestResult> rows, ServerTelemetry server, List<ClientSecond> client) {
    // Counted first, then filled: primitive arrays, as a full run has half a million ITL values.
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (RequestResult r : rows) {
      if (charted(r)) {
        int[] c = counts.computeIfAbsent(r.group(), k -> new int[3]);
        c[0]++;
        c[1] += ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros()) ? 1 : 0;
        c[2] += r.itlMicros().length;
      }
    }
    Map<String, Samples> samples = new LinkedHashMap<>();
    counts.forEach((g, c) -> samples.put(g, new Samples(new double[c[0]], new double[c[1]], new double[c[2]])));
    Map<String, int[]> filled = new LinkedHashMap<>();
    for (RequestResult r : rows) {
      if (!charted(r)) {
        continue;
      }
      Samples v = samples.get(r.group());
      int[] at = filled.computeIfAbsent(r.group(), k -> new int[3]);
      v.ttftMs()[at[0]++] = r.ttftMicros() / 1_000.0;
      if (ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros())) {
        v.tpotMs()[at[1]++] = r.tpotMicros() / 1_000.0;
      }
      for (long gap : r.itlMicros()) {
        v.itlMs()[at[2]++] = gap / 1_000.0;
      }
    }
    return new PageSeries(client, server == null || server.empty() ? null : server, samples);
  }

  /** Measured (not warm-up), successful, streaming (no pooling items): the summary's distributions' requests. */
  private static boolean charted(RequestResult r) {
    return !r.warmup() && r.ok() && r.items() == 0;
  }
}
