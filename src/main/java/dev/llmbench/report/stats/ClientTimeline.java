package dev.llmbench.report.stats;

import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerPeaks;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The run second by second on one time axis, seconds from its first send ({@code sentNanos}): the
 * client's own series from the per-request rows ({@code timeline.csv}), and the server's telemetry in a
 * few figures before, during and after the load ({@code summary.json}'s {@code server}).
 */
public final class ClientTimeline {
  private ClientTimeline() {}

  /** The first send's {@code sentNanos}, the origin of the axis; 0 without rows. */
  public static long originNanos(List<RequestResult> rows) {
    return rows.stream().mapToLong(RequestResult::sentNanos).min().orElse(0);
  }

  /** The first send's {@code sentEpochMicros} (the same row as {@link #originNanos}); 0 without rows. */
  public static long originEpochMicros(List<RequestResult> rows) {
    return rows.stream().min((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()))
        .map(RequestResult::sentEpochMicros).orElse(0L);
  }

  /** When the last request ended, seconds from the first send; 0 without rows. */
  public static double loadEndSec(List<RequestResult> rows) {
    long origin = originNanos(rows);
    return rows.stream().mapToDouble(r -> (r.sentNanos() - origin) / 1e9 + r.e2eMicros() / 1e6).max().orElse(0);
  }

  /**
   * One entry per second from the first send to the last request's end, warm-ups included. A request's
   * tokens arrive at its first token (TTFT after its send) and then after each gap of its ITL list, one
   * token per content event (a merged chunk's count when the row gives it).
   */
  public static List<ClientSecond> of(List<RequestResult> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    long origin = originNanos(rows);
    int seconds = (int) Math.floor(loadEndSec(rows)) + 1;
    double[] tokens = new double[seconds];
    double[] inFlight = new double[seconds];
    int[] completed = new int[seconds];
    int[] failed = new int[seconds];
    Values[] ttfts = values(seconds);
    Values[] itls = values(seconds);
    for (RequestResult r : rows) {
      double sent = (r.sentNanos() - origin) / 1e9;
      double end = sent + r.e2eMicros() / 1e6;
      for (int s = (int) Math.floor(sent); s < seconds && s <= end; s++) {
        inFlight[s] += Math.max(0, Math.min(end, s + 1) - Math.max(sent, s)); // the share of second s it was in flight
      }
      int endSec = Math.min(seconds - 1, (int) Math.floor(end));
      if (r.ok()) {
        completed[endSec]++;
      } else {
        failed[endSec]++;
      }
      if (r.ttftMicros() < 0) {
        continue;
      }
      double t = sent + r.ttftMicros() / 1e6;
      int first = Math.min(seconds - 1, (int) Math.floor(t));
      ttfts[first].add(r.ttftMicros() / 1000.0);
      tokens[first] += tokensOf(r, 0);
      long[] itl = r.itlMicros();
      for (int i = 0; i < itl.length; i++) {
        t += itl[i] / 1e6;
        int s = Math.min(seconds - 1, (int) Math.floor(t));
        tokens[s] += tokensOf(r, i + 1);
        itls[s].add(itl[i] / 1000.0);
      }
    }
    List<ClientSecond> out = new ArrayList<>(seconds);
    for (int s = 0; s < seconds; s++) {
      out.add(new ClientSecond(s, tokens[s], inFlight[s], ttfts[s].median(), itls[s].median(), completed[s],
          failed[s]));
    }
    return out;
  }

  private static double tokensOf(RequestResult r, int event) {
    int[] chunks = r.chunkTokens();
    return chunks != null && event < chunks.length ? chunks[event] : 1;
  }

  private static Values[] values(int n) {
    Values[] v = new Values[n];
    for (int i = 0; i < n; i++) {
      v[i] = new Values();
    }
    return v;
  }

  /**
   * The telemetry's figures: the peaks of running and waiting requests, KV-cache usage, VRAM and GPU
   * utilisation over the load ({@code [0, loadEndSec]}, or all samples when none fell inside), and VRAM at
   * the last sample before the first send and the first after the last answer (the first and last samples
   * when none was taken before or after).
   */
  public static ServerPeaks peaks(ServerTelemetry t, double loadEndSec) {
    List<ServerTelemetry.Point> during = t.points().stream()
        .filter(p -> p.timeSec() >= 0 && p.timeSec() <= loadEndSec).toList();
    List<ServerTelemetry.Point> points = during.isEmpty() ? t.points() : during;
    List<ServerTelemetry.GpuSample> gpuDuring = t.gpus().stream()
        .filter(g -> g.timeSec() >= 0 && g.timeSec() <= loadEndSec).toList();
    List<ServerTelemetry.GpuSample> gpus = gpuDuring.isEmpty() ? t.gpus() : gpuDuring;
    Double before = null;
    Double after = null;
    Double total = null;
    Double peak = null;
    Double util = null;
    int count = 0;
    if (!t.gpus().isEmpty()) {
      ServerTelemetry.GpuSample b = t.gpus().get(0);
      ServerTelemetry.GpuSample a = t.gpus().get(t.gpus().size() - 1);
      for (ServerTelemetry.GpuSample g : t.gpus()) {
        if (g.timeSec() < 0) {
          b = g;
        }
      }
      for (int i = t.gpus().size() - 1; i >= 0; i--) {
        if (t.gpus().get(i).timeSec() > loadEndSec) {
          a = t.gpus().get(i);
        }
      }
      before = used(b);
      after = used(a);
      total = finite(b.gpus().stream().mapToDouble(ServerTelemetry.Gpu::memoryTotalMib).sum());
      peak = finite(gpus.stream().mapToDouble(ClientTimeline::usedOrNaN).filter(x -> !Double.isNaN(x)).max()
          .orElse(Double.NaN));
      util = finite(gpus.stream().flatMap(g -> g.gpus().stream()).mapToDouble(ServerTelemetry.Gpu::utilizationPct)
          .filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN));
      count = b.gpus().size();
    }
    return new ServerPeaks(t.points().size(), max(points, "requests_running"), max(points, "requests_waiting"),
        max(points, "kv_cache_usage"), count, before, peak, after, total, util,
        prefixCacheHitRate(t.points(), during, loadEndSec));
  }

  /**
   * The server's prefix-cache hit rate over the load: the growth of the hit-token counter over that of the
   * queried-token counter (vLLM's), from the last scrape before the first send (else the first) to the first
   * after the last answer (else the last); else the mean of SGLang's per-batch hit-rate gauge during the load.
   * Null when neither was scraped or nothing was queried.
   */
  static Double prefixCacheHitRate(List<ServerTelemetry.Point> all, List<ServerTelemetry.Point> during,
      double loadEndSec) {
    List<ServerTelemetry.Point> counted = all.stream()
        .filter(p -> p.values().get(HITS) != null && p.values().get(QUERIES) != null).toList();
    if (!counted.isEmpty()) {
      ServerTelemetry.Point from = counted.get(0);
      ServerTelemetry.Point to = counted.get(counted.size() - 1);
      for (ServerTelemetry.Point p : counted) {
        if (p.timeSec() < 0) {
          from = p;
        }
      }
      for (int i = counted.size() - 1; i >= 0; i--) {
        if (counted.get(i).timeSec() > loadEndSec) {
          to = counted.get(i);
        }
      }
      double queried = to.values().get(QUERIES) - from.values().get(QUERIES);
      return queried > 0 ? finite((to.values().get(HITS) - from.values().get(HITS)) / queried) : null;
    }
    return finite(during.stream().map(p -> p.values().get(HIT_RATE)).filter(v -> v != null && !Double.isNaN(v))
        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
  }

  private static final String HITS = "prefix_cache_hits";
  private static final String QUERIES = "prefix_cache_queries";
  private static final String HIT_RATE = "prefix_cache_hit_rate";

  private static double usedOrNaN(ServerTelemetry.GpuSample g) {
    return g.gpus().stream().mapToDouble(ServerTelemetry.Gpu::memoryUsedMib).sum();
  }

  private static Double used(ServerTelemetry.GpuSample g) {
    return finite(usedOrNaN(g));
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Double max(List<ServerTelemetry.Point> points, String name) {
    return finite(points.stream().map(p -> p.values().get(name)).filter(v -> v != null && !Double.isNaN(v))
        .mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }
}
