package dev.llmbench.report.render;


import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.PrefixCacheView;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.report.model.SteadyState;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.stats.ValidityCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result block of the benchmark-runner procedure for one group, the same lines on the console
 * and in {@code index.html}; with service-level objectives ({@code -Dslo}), a goodput line after the
 * throughput. Peak VRAM is not measured here, and says so. {@link #validity} gives the
 * run's validity lines, also shared by both; {@link #steadyState} and {@link #saturation} the lines after
 * a group's block.
 */
public final class ResultBlock {
  private ResultBlock() {}

  public static List<String> lines(RunMetadata m, GroupMetrics g) {
    if (g.pooling()) {
      return pooling(m, g);
    }
    Distribution ttft = g.ttftMs();
    return withGoodput(g, List.of(
        "Benchmark Results:",
        "- Framework: " + m.framework(),
        "- Profile: " + (g.group().isEmpty() ? m.profile() : g.group()),
        "- Model: " + m.model(),
        String.format(Locale.ROOT, "- Num Prompts: %d (%d failed)", g.measured(), g.failed()),
        "- Duration: " + HtmlReportFormat.fixed(g.durationSeconds()) + "s",
        "- Throughput: " + HtmlReportFormat.fixed(g.requestThroughput()) + " req/s",
        "- Output Token Throughput: " + HtmlReportFormat.fixed(g.outputThroughput()) + " tokens/s",
        "- Mean TTFT: " + HtmlReportFormat.fixed(ttft.mean()) + " ms",
        "- Median TTFT: " + HtmlReportFormat.fixed(ttft.median()) + " ms",
        "- P99 TTFT: " + HtmlReportFormat.fixed(ttft.p99()) + " ms",
        "- Mean TPOT: " + HtmlReportFormat.fixed(g.tpotMs().mean()) + " ms",
        "- VRAM Peak: n/a"));
  }

  /**
   * The console's one line on a group the server fell behind ({@code report.stats.OverSaturation}'s rule),
   * printed after its block; null when it was not over-saturated or not judged (closed model, {@code inf}).
   */
  public static String saturation(GroupTimeline t) {
    if (t == null || t.saturation() == null || !t.saturation().saturated()) {
      return null;
    }
    return "- OVER-SATURATED: " + saturationSentence(t.saturation());
  }

  /**
   * What the page says of a judged group's saturation: when it started and how fast in-flight requests
   * and TTFT rose, or that they did not both rise to the end.
   */
  static String saturationSentence(Saturation s) {
    if (s.saturated()) {
      return String.format(Locale.ROOT, "the server fell behind the arrivals from %s s after the group's first send:"
          + " in flight %s, TTFT %s (to the last send; later figures include the growing queue)",
          HtmlReportFormat.fixed(s.sinceSec()), slope(s.inFlight(), "req/s"), slope(s.ttftMs(), "ms/s"));
    }
    return String.format(Locale.ROOT, "not over-saturated: in-flight requests and TTFT did not both rise to the "
        + "group's end (last window, %s s to %s s: in flight %s, TTFT %s)", HtmlReportFormat.fixed(s.fromSec()),
        HtmlReportFormat.fixed(s.toSec()), slope(s.inFlight(), "req/s"), slope(s.ttftMs(), "ms/s"));
  }

  private static String slope(Saturation.Slope s, String unit) {
    if (!Double.isFinite(s.perSecond()) || !Double.isFinite(s.low()) || !Double.isFinite(s.high())) {
      return "slope n/a (" + s.points() + " points)";
    }
    return String.format(Locale.ROOT, "%+.2f %s (95 %% CI %s to %s)", s.perSecond(), unit,
        HtmlReportFormat.fixed(s.low()), HtmlReportFormat.fixed(s.high()));
  }

  /**
   * The console's one line on a group's steady state ({@code report.stats.TimeSlices}' window, ramp-up and
   * drain left out), printed after its block; null for a pooling group or one without a window.
   */
  public static String steadyState(GroupMetrics g, GroupTimeline t) {
    if (g.pooling() || t == null || t.steadyState() == null) {
      return null;
    }
    SteadyState s = t.steadyState();
    return String.format(Locale.ROOT, "- Steady State: %s req/s, %s tokens/s, Median TTFT %s ms (%s s to %s s, "
        + "%d requests)", HtmlReportFormat.fixed(s.requestThroughput()), HtmlReportFormat.fixed(s.outputThroughput()),
        HtmlReportFormat.fixed(s.ttftMs().median()), HtmlReportFormat.fixed(s.startSec()),
        HtmlReportFormat.fixed(s.endSec()), s.requests());
  }

  /**
   * The block with its goodput line after the throughput (bench_serving prints "Request goodput (req/s):"
   * when goodput is asked for), when the group was judged against objectives.
   */
  private static List<String> withGoodput(GroupMetrics g, List<String> lines) {
    if (!g.hasGoodput()) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines);
    int throughput = 0;
    while (!lines.get(throughput).startsWith("- Throughput: ")) {
      throughput++;
    }
    out.add(throughput + 1, String.format(Locale.ROOT, "- Request Goodput: %s req/s (SLO attainment %s %%, %d good)",
        HtmlReportFormat.fixed(g.goodput().requestGoodput()),
        HtmlReportFormat.fixed(100 * g.goodput().sloAttainment()), g.goodput().goodRequests()));
    return List.copyOf(out);
  }

  /** A pooling group's block: one answer per request, so items per second and its latency, no TTFT or TPOT. */
  static List<String> pooling(RunMetadata m, GroupMetrics g) {
    Distribution e2e = g.e2eMs();
    return withGoodput(g, List.of(
        "Benchmark Results:",
        "- Framework: " + m.framework(),
        "- Profile: " + (g.group().isEmpty() ? m.profile() : g.group()),
        "- Model: " + m.model(),
        String.format(Locale.ROOT, "- Num Requests: %d (%d failed), %d items", g.measured(), g.failed(),
            g.totalItems()),
        "- Duration: " + HtmlReportFormat.fixed(g.durationSeconds()) + "s",
        "- Throughput: " + HtmlReportFormat.fixed(g.requestThroughput()) + " req/s",
        "- Items per second: " + HtmlReportFormat.fixed(g.itemThroughput()),
        "- Mean Latency: " + HtmlReportFormat.fixed(e2e.mean()) + " ms",
        "- Median Latency: " + HtmlReportFormat.fixed(e2e.median()) + " ms",
        "- P99 Latency: " + HtmlReportFormat.fixed(e2e.p99()) + " ms",
        "- VRAM Peak: n/a"));
  }

  /**
   * The run's validity verdict: one line when valid or unknown; when client-bound or server-failing, a
   * line that says so plainly followed by one line per reason.
   *
   * @param v the verdict, or null when the run folder has no self-monitor figures
   */
  public static List<String> validity(Validity v) {
    if (v == null) {
      return List.of("Validity: unknown (no self-monitor figures in this run folder)");
    }
    if (v.serverFailing()) {
      List<String> lines = new ArrayList<>();
      lines.add("Validity: SERVER-FAILING: the server failed during the run; these figures describe its failure, "
          + "not its serving (" + figures(v.monitor()) + ")");
      v.reasons().forEach(reason -> lines.add("- " + reason));
      return List.copyOf(lines);
    }
    if (!v.clientBound()) {
      MonitorFigures m = v.monitor();
      return List.of("Validity: valid (" + figures(m) + ")");
    }
    List<String> lines = new ArrayList<>();
    lines.add("Validity: CLIENT-BOUND: the load generator was a bottleneck; these figures may describe it, not the server"
        + (v.strict() ? " (validity.strict=true: the run fails)" : ""));
    v.reasons().forEach(reason -> lines.add("- " + reason));
    return List.copyOf(lines);
  }

  /** The headline figures of a self-monitor, in one phrase. */
  static String figures(MonitorFigures m) {
    return "event-loop lag p99 " + (m.loopLagSamples() == 0 ? "n/a" : ValidityCheck.ms(m.loopLagP99Micros()) + " ms")
        + ", read lag p99 " + (m.readLagSamples() == 0 ? "n/a" : ValidityCheck.ms(m.readLagP99Micros()) + " ms")
        + ", send lag p99 " + (m.sendLagSamples() == 0 ? "n/a" : ValidityCheck.ms(m.sendLagP99Micros()) + " ms")
        + ", longest GC pause " + m.gcPauseMaxMs() + " ms"
        + ", process CPU " + ValidityCheck.percent(m.processCpuShare()) + " of " + m.availableProcessors() + " cores";
  }

  /**
   * The run's one line on the server's prefix cache, on the console after the blocks and on the page: the
   * server's hit rate over the load (its /metrics) and the client's view (the cached tokens it reported per
   * request, the TTFT of hits against misses); null when neither is known.
   */
  public static String prefixCache(RunSummary s) {
    Double server = s.server() == null ? null : s.server().prefixCacheHitRate();
    PrefixCacheView v = s.prefixCache();
    if (server == null && (v == null || v.hits() == 0)) {
      return null; // a server that reports zero cached tokens and no cache metrics: nothing to say
    }
    StringBuilder sb = new StringBuilder("Prefix cache:");
    if (server != null) {
      sb.append(" server hit rate ").append(HtmlReportFormat.fixed(100 * server)).append(" % of prompt tokens (/metrics)");
    }
    if (v != null) {
      sb.append(server != null ? ";" : "").append(String.format(Locale.ROOT,
          " %d hits, %d misses, %s %% of prompt tokens cached (usage)", v.hits(), v.misses(),
          HtmlReportFormat.fixed(100 * v.cachedTokenShare())));
      if (v.ttftMsMeanHits() != null && v.ttftMsMeanMisses() != null) {
        sb.append("; mean TTFT hits ").append(HtmlReportFormat.fixed(v.ttftMsMeanHits())).append(" ms, misses ")
            .append(HtmlReportFormat.fixed(v.ttftMsMeanMisses())).append(" ms");
      }
    }
    return sb.toString();
  }
}
