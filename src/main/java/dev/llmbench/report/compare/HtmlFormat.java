package dev.llmbench.report.compare;

import dev.llmbench.report.compare.FrameworkComparison.GroupTable;
import dev.llmbench.report.compare.FrameworkComparison.Row;
import dev.llmbench.report.compare.FrameworkComparison.Run;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code comparison-<ts>.html}: one self-contained page (no script, no external file) with the Markdown
 * file's tables and, per group, a bar chart per metric (XChart, drawn headless, as PNG data URIs like
 * the result page's latency-throughput curve).
 */
final class HtmlFormat {
  static final int CHART_WIDTH = 420;
  static final int CHART_HEIGHT = 260;

  static {
    // Drawn into an image, never a window (see report.render.CurveFormats); a user's own choice stands.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private HtmlFormat() {}

  static String render(FrameworkComparison c) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Framework comparison</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}")
        .append("th,td{border:1px solid #ccc;padding:4px 8px}td.num{text-align:right}td.best{font-weight:bold;")
        .append("background:#e6f4ea}.charts img{margin:4px}</style></head><body>\n");
    out.append("<h1>Framework comparison</h1>\n<p>Reference: <b>").append(esc(c.referenceRun().label()))
        .append("</b>. Best per metric highlighted (higher is better for throughputs and goodput, lower for ")
        .append("latencies and the error rate); ratios are each framework's value over the reference's. Made ")
        .append(esc(c.createdAt())).append(".</p>\n");
    out.append("<table><tr><th>Framework</th><th>Result</th><th>Profile</th><th>Model</th><th>Started</th></tr>\n");
    for (Run r : c.runs()) {
      var m = r.result().metadata();
      out.append("<tr><td>").append(esc(r.label())).append("</td><td>").append(esc(r.result().folder().toString()))
          .append("</td><td>").append(esc(m.profile())).append("</td><td>").append(esc(m.model())).append("</td><td>")
          .append(esc(m.startedAt())).append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Differences</h2>\n");
    if (c.differences().isEmpty() && c.missingGroups().isEmpty()) {
      out.append("<p>None: the same model, profile, load parameters and hardware.</p>\n");
    } else {
      out.append("<ul>\n");
      for (String d : c.differences()) {
        out.append("<li>").append(esc(d)).append("</li>\n");
      }
      for (String d : c.missingGroups()) {
        out.append("<li>").append(esc(d)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
    for (GroupTable t : c.groups()) {
      out.append("<h2>Group ").append(esc(t.group())).append("</h2>\n");
      table(c, t, out);
      out.append("<div class=\"charts\">\n");
      for (Row r : t.rows()) {
        chart(c, r.metric().heading(), r.values(), out);
      }
      if (t.hasCost()) {
        chart(c, Cells.COST, t.costPerMillionOutputTokens(), out);
      }
      out.append("</div>\n");
    }
    out.append("</body></html>\n");
    return out.toString();
  }

  private static void table(FrameworkComparison c, GroupTable t, StringBuilder out) {
    out.append("<table><tr>");
    for (String h : Cells.header(c)) {
      out.append("<th>").append(esc(h)).append("</th>");
    }
    out.append("</tr>\n");
    for (Row r : t.rows()) {
      List<String> cells = new ArrayList<>();
      for (Double v : r.values()) {
        cells.add(Cells.value(r.metric(), v));
      }
      row(c, r.metric().heading(), cells, r.best(), r.ratios(), out);
    }
    row(c, "Validity", Cells.validity(c), java.util.Set.of(), null, out);
    for (Cells.MemoryRow m : Cells.memory(c)) {
      row(c, m.heading(), m.cells(), java.util.Set.of(), null, out);
    }
    if (t.hasCost()) {
      List<Double> cost = t.costPerMillionOutputTokens();
      row(c, Cells.COST, cost.stream().map(Cells::usd).toList(), Comparisons.bestOf(cost, false),
          Comparisons.ratios(cost, c.reference()), out);
    }
    out.append("</table>\n");
  }

  private static void row(FrameworkComparison c, String heading, List<String> cells, java.util.Set<Integer> best,
      List<Double> ratios, StringBuilder out) {
    out.append("<tr><th>").append(esc(heading)).append("</th>");
    for (int i = 0; i < cells.size(); i++) {
      out.append(best.contains(i) ? "<td class=\"num best\">" : "<td class=\"num\">").append(esc(cells.get(i)))
          .append("</td>");
    }
    for (int i = 0; i < c.runs().size(); i++) {
      if (i != c.reference()) {
        out.append("<td class=\"num\">").append(ratios == null ? "" : esc(Cells.ratio(ratios.get(i)))).append("</td>");
      }
    }
    out.append("</tr>\n");
  }

  /** A bar per framework that has the figure; none when fewer than one has it. */
  private static void chart(FrameworkComparison c, String title, List<Double> values, StringBuilder out)
      throws IOException {
    List<String> labels = new ArrayList<>();
    List<Double> known = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) != null) {
        labels.add(c.runs().get(i).label());
        known.add(values.get(i));
      }
    }
    if (known.isEmpty()) {
      return;
    }
    CategoryChart chart = new CategoryChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title).build();
    chart.getStyler().setLocale(Locale.ROOT);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisDecimalPattern("0.####"); // 1217.84, not XChart's 1,217.841698 for one value
    chart.getStyler().setYAxisMin(0.0); // bars from 0: a ratio reads as the bars' lengths
    if (labels.stream().anyMatch(l -> l.length() > 12)) {
      chart.getStyler().setXAxisLabelRotation(20); // long labels (framework/folder) would hide each other
    }
    chart.addSeries(title, labels, known);
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    out.append("<img alt=\"").append(esc(title)).append("\" width=\"").append(CHART_WIDTH).append("\" height=\"")
        .append(CHART_HEIGHT).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
