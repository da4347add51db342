package dev.llmbench.report.render;

import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.report.stats.ServingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the result page charts beyond the summary: the client's per-second series ({@code timeline.csv}),
 * the server's scrapes and the GPU samples ({@code server-metrics.csv}, {@code gpu.csv}; null when neither)
 * and per group the measured values of TTFT, TPOT and ITL (ms) for their CDFs. The summary keeps only
 * statistics of these; the post-run step builds this from the rows' timeline and the values the summary
 * sorted for its distributions.
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
}
