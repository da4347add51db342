package dev.llmbench.report.render;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import java.util.List;
import java.util.Locale;

/**
 * The result block of the benchmark-runner procedure for one group, the same lines on the console
 * and in {@code index.html}. Peak VRAM is not measured here, and says so.
 */
public final class ResultBlock {
  private ResultBlock() {}

  public static List<String> lines(RunMetadata m, GroupMetrics g) {
    Distribution ttft = g.ttftMs();
    return List.of(
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
        "- VRAM Peak: n/a");
  }
}
