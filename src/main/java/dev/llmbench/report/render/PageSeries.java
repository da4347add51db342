package dev.llmbench.report.render;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
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

  /** One group's measured values in ms, in no particular order. */
  public record Samples(double[] ttftMs, double[] tpotMs, double[] itlMs) {}

  /**
   * From the side file's rows: the same requests and the same rules as the summary's distributions
   * ({@code ServingMetrics}): measured (not warm-up), successful, streaming (no pooling items) requests; TPOT
   * only where {@link ServingFormulas#countsTowardTpot} says it is defined.
   */
  public static PageSeries of(List<RequestResult> rows, ServerTelemetry server) {
    Map<String, List<Double>[]> byGroup = new LinkedHashMap<>();
    for (RequestResult r : rows) {
      if (r.warmup() || !r.ok() || r.items() > 0) {
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Double>[] v = byGroup.computeIfAbsent(r.group(),
          k -> new List[] {new ArrayList<Double>(), new ArrayList<Double>(), new ArrayList<Double>()});
      v[0].add(r.ttftMicros() / 1_000.0);
      if (ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros())) {
        v[1].add(r.tpotMicros() / 1_000.0);
      }
      for (long gap : r.itlMicros()) {
        v[2].add(gap / 1_000.0);
      }
    }
    Map<String, Samples> samples = new LinkedHashMap<>();
    byGroup.forEach((g, v) -> samples.put(g, new Samples(array(v[0]), array(v[1]), array(v[2]))));
    return new PageSeries(rows.isEmpty() ? List.of() : ClientTimeline.of(rows),
        server == null || server.empty() ? null : server, samples);
  }

  private static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
