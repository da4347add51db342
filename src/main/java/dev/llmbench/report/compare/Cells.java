package dev.llmbench.report.compare;

import dev.llmbench.report.compare.FrameworkComparison.Run;
import dev.llmbench.report.render.MemoryFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cells the Markdown table and the page share, so both show the same figures: values rounded for a
 * reader (Locale.ROOT), ratios as {@code 0.50×}, "n/a" for what a result does not know.
 */
final class Cells {
  static final String NA = "n/a";
  static final String COST = "Cost per 1M output tokens (USD)";

  /** The memory rows every table carries (seed 003): heading and, per run, its cell. */
  record MemoryRow(String heading, List<String> cells) {}

  private Cells() {}

  /** A figure as the tables show it: two decimals, four for a share (0..1) so a rare error still shows. */
  static String value(HeadlineMetric m, Double v) {
    if (v == null) {
      return NA;
    }
    return String.format(Locale.ROOT, m == HeadlineMetric.ERROR_RATE ? "%.4f" : "%.2f", v);
  }

  static String ratio(Double r) {
    return r == null ? NA : String.format(Locale.ROOT, "%.2f×", r);
  }

  static String usd(Double v) {
    return v == null ? NA : String.format(Locale.ROOT, "%.4f", v);
  }

  /** The header of a group table: the metric, each run (the reference marked), then each other run's ratio to it. */
  static List<String> header(FrameworkComparison c) {
    List<String> h = new ArrayList<>();
    h.add("Metric");
    for (int i = 0; i < c.runs().size(); i++) {
      h.add(c.runs().get(i).label() + (i == c.reference() ? " (reference)" : ""));
    }
    for (int i = 0; i < c.runs().size(); i++) {
      if (i != c.reference()) {
        h.add(c.runs().get(i).label() + " / " + c.referenceRun().label());
      }
    }
    return h;
  }

  /** The memory rows, per run (the same in every group: the server's, not the group's). */
  static List<MemoryRow> memory(FrameworkComparison c) {
    List<String> model = new ArrayList<>();
    List<String> kv = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<String> vram = new ArrayList<>();
    for (Run r : c.runs()) {
      var mem = r.result().memory();
      model.add(mem == null || mem.modelGiB() == null ? NA : MemoryFormat.gib(mem.modelGiB()));
      kv.add(mem == null || mem.kvCacheGiB() == null ? NA : MemoryFormat.gib(mem.kvCacheGiB()));
      tokens.add(mem == null || mem.kvCacheTokens() == null ? NA : Long.toString(mem.kvCacheTokens()));
      Double peak = r.result().vramPeakMiB();
      vram.add(peak == null ? NA : String.format(Locale.ROOT, "%.0f", peak));
    }
    return List.of(new MemoryRow("Model memory (GiB)", model), new MemoryRow("KV cache (GiB)", kv),
        new MemoryRow("KV cache tokens", tokens), new MemoryRow("VRAM peak (MiB)", vram));
  }

  /** Each result's validity verdict, "n/a" when it has none. */
  static List<String> validity(FrameworkComparison c) {
    return c.runs().stream().map(r -> r.result().validity() == null ? NA : r.result().validity()).toList();
  }
}
