package dev.llmbench.report.history;

import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineRow;
import dev.llmbench.report.baseline.Metric;
import dev.llmbench.report.baseline.Status;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The trend plots of one framework and profile, PNG, into {@code reports/history/<framework>/}: each
 * figure against the run date, one series per group (a request rate, a concurrency, a batch size), with
 * the baseline's band and the runs the comparison flagged. Drawn with XChart, as report.render.CurveFormats.
 */
public final class TrendPlots {
  public static final int WIDTH = 1000;
  public static final int HEIGHT = 520;
  /** The memory bars are only drawn for the newest runs: more would be unreadable. */
  static final int MEMORY_RUNS = 15;

  static {
    // Drawn into an image, never a window: as CurveFormats, a DISPLAY set but unreachable must not fail.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** One plot: its file suffix, title, y axis and the (column, label) pairs drawn per group. */
  record Plot(String suffix, String title, String yAxis, List<String[]> metrics) {}

  static final List<Plot> PLOTS = List.of(
      new Plot("e2e-latency", "E2E latency", "ms", List.of(new String[] {"median_e2e_latency_ms", "median"},
          new String[] {"p99_e2e_latency_ms", "p99"})),
      new Plot("output-throughput", "Output throughput", "tok/s",
          List.<String[]>of(new String[] {"output_throughput", "output"})),
      new Plot("request-throughput", "Request throughput", "req/s",
          List.<String[]>of(new String[] {"request_throughput", "requests"})),
      new Plot("ttft", "TTFT", "ms", List.of(new String[] {"median_ttft_ms", "median"},
          new String[] {"p99_ttft_ms", "p99"})),
      new Plot("itl", "ITL", "ms", List.of(new String[] {"median_itl_ms", "median"},
          new String[] {"p99_itl_ms", "p99"})),
      // An offline sweep's (bench_one_batch's) figures per batch size, as the seed's offline plots draw them.
      new Plot("offline-latency", "Offline batch latency", "s", List.of(new String[] {"e2e_latency_s", "E2E"},
          new String[] {"prefill_latency_s", "prefill"})),
      new Plot("offline-throughput", "Offline batch throughput", "tok/s",
          List.of(new String[] {"e2e_throughput", "E2E"}, new String[] {"median_decode_throughput", "decode"})));

  /** Series colours; the flagged runs' red and orange are not among them. */
  private static final Color[] PALETTE = {new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
      new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B), new Color(0x17, 0xBE, 0xCF),
      new Color(0x7F, 0x7F, 0x7F), new Color(0xBC, 0xBD, 0x22), new Color(0xE3, 0x77, 0xC2)};

  private TrendPlots() {}

  /**
   * Writes the plots of one profile (rows sorted by date) and returns the files written. A plot whose
   * figures are all empty (TTFT of a pooling profile) is not written.
   *
   * @param baseline the profile's baseline, if any: its band is drawn
   * @param regressionPct the regression threshold (%) the band spans either side of the baseline value
   */
  static List<Path> write(Path dir, String profile, List<HistoryRow> all, Optional<Baseline> baseline,
      double regressionPct) throws IOException {
    List<Path> written = new ArrayList<>();
    List<HistoryRow> rows = all.stream().filter(r -> !r.cell(HistoryCsv.CAPACITY_SEARCH).equals("true")).toList();
    if (rows.isEmpty()) {
      return written;
    }
    for (Plot p : PLOTS) {
      if (rows.stream().noneMatch(r -> p.metrics().stream().anyMatch(m -> !Double.isNaN(r.number(m[0]))))) {
        continue;
      }
      Path file = dir.resolve(profile + "-" + p.suffix() + ".png");
      save(trend(profile, p, rows, baseline, regressionPct), file);
      written.add(file);
    }
    if (rows.stream().anyMatch(r -> !Double.isNaN(r.number("model_memory_gib"))
        || !Double.isNaN(r.number("kv_cache_gib")) || !Double.isNaN(r.number("vram_peak_mib")))) {
      Path file = dir.resolve(profile + "-memory.png");
      save(memory(profile, rows), file);
      written.add(file);
    }
    return written;
  }

  private static XYChart trend(String profile, Plot p, List<HistoryRow> rows, Optional<Baseline> baseline,
      double regressionPct) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(profile + ": " + p.title() + " by date")
        .xAxisTitle("Run date (UTC)").yAxisTitle(p.title() + " (" + p.yAxis() + ")").build();
    style(chart);
    Instant from = rows.get(0).date();
    Instant to = rows.get(rows.size() - 1).date();
    // Days for a history; the hour too when the runs are within two days (each tick would say the same day).
    boolean daily = Duration.between(from, to).toDays() >= 2;
    chart.getStyler().setDatePattern(daily ? "MM-dd" : "MM-dd HH:mm");
    Map<HistoryRow, Instant> at = positions(rows, daily);
    chart.getStyler().setTimezone(TimeZone.getTimeZone(ZoneOffset.UTC));
    Map<String, List<HistoryRow>> byGroup = new LinkedHashMap<>();
    for (HistoryRow r : rows) {
      byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
    }
    Instant first = at.get(rows.get(0));
    Instant last = at.get(rows.get(rows.size() - 1));
    if (Duration.between(first, last).toHours() < 1) {
      // One night (or runs within the hour): half a day either side, so the axis has ticks and the
      // baseline's band a length.
      first = first.minus(Duration.ofHours(12));
      last = last.plus(Duration.ofHours(12));
      chart.getStyler().setXAxisMin((double) first.toEpochMilli());
      chart.getStyler().setXAxisMax((double) last.toEpochMilli());
    }
    List<double[]> annotated = new ArrayList<>();
    int colorIndex = 0;
    double[] range = yRange(rows, p);
    for (Map.Entry<String, List<HistoryRow>> e : byGroup.entrySet()) {
      for (String[] m : p.metrics()) {
        String name = (byGroup.size() > 1 ? e.getKey() + " " : "") + m[1];
        List<Date> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        LocalDate previous = null;
        for (HistoryRow r : e.getValue()) {
          LocalDate day = LocalDate.ofInstant(r.date(), ZoneOffset.UTC);
          if (previous != null && day.isAfter(previous.plusDays(1))) {
            // A missing day: a point without a value, so no line is drawn across it.
            x.add(Date.from(previous.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            y.add(null);
          }
          previous = day;
          double v = r.number(m[0]);
          x.add(Date.from(at.get(r)));
          y.add(Double.isNaN(v) ? null : v);
        }
        if (y.stream().allMatch(v -> v == null)) {
          continue;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        // Colours set here, not left to XChart (which picks them when drawing), so the band can share them.
        Color color = PALETTE[colorIndex++ % PALETTE.length];
        s.setLineColor(color);
        s.setMarkerColor(color);
        annotate(chart, x, y, range, annotated);
        band(chart, name, e.getKey(), m[0], baseline, regressionPct, first, last, color);
      }
    }
    flagged(chart, rows, at, p, Status.REGRESSION, "REGRESSION", SeriesMarkers.CROSS, Color.RED);
    flagged(chart, rows, at, p, Status.WARN_NOISY, "WARN (noisy)", SeriesMarkers.TRIANGLE_UP,
        new Color(0xE0, 0x8A, 0x00));
    return chart;
  }

  /**
   * Values written beside the points: each series' last, smallest and largest point only, and none whose
   * box would overlap one already written (same day, within 4.5 % of the plot's height: a simple rule in
   * data units, since the screen positions are only known when XChart draws).
   */
  private static void annotate(XYChart chart, List<Date> x, List<Double> y, double[] range,
      List<double[]> annotated) {
    int lastI = -1;
    int minI = -1;
    int maxI = -1;
    for (int i = 0; i < y.size(); i++) {
      Double v = y.get(i);
      if (v == null) {
        continue;
      }
      lastI = i;
      if (minI < 0 || v < y.get(minI)) {
        minI = i;
      }
      if (maxI < 0 || v > y.get(maxI)) {
        maxI = i;
      }
    }
    double span = Math.max(range[1] - range[0], 1e-9);
    long day = Duration.ofDays(1).toMillis();
    for (int i : new int[] {lastI, maxI, minI}) {
      double px = x.get(i).getTime();
      double py = y.get(i);
      boolean overlaps = annotated.stream().anyMatch(a -> Math.abs(a[0] - px) < 1.5 * day
          && Math.abs(a[1] - py) < 0.045 * span);
      if (overlaps) {
        continue;
      }
      annotated.add(new double[] {px, py});
      // Just above the point: XChart centres the text on the coordinates.
      chart.addAnnotation(new AnnotationText(format(py), px, py + 0.03 * span, false));
    }
  }

  /** The baseline's band for a group's metric: value ± the regression threshold, two dashed lines. */
  private static void band(XYChart chart, String series, String group, String column, Optional<Baseline> baseline,
      double regressionPct, Instant first, Instant last, Color color) {
    Optional<Metric> metric = Metric.byKey(column);
    if (baseline.isEmpty() || metric.isEmpty()) {
      return;
    }
    Optional<BaselineRow> row = baseline.get().row(group, metric.get());
    if (row.isEmpty()) {
      return;
    }
    double v = row.get().value();
    List<Date> x = List.of(Date.from(first), Date.from(last));
    BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {5f, 4f}, 0f);
    String label = series + " baseline ±" + format(regressionPct) + " %";
    for (double f : new double[] {1 + regressionPct / 100, 1 - regressionPct / 100}) {
      XYSeries s = chart.addSeries(f > 1 ? label : label + " (low)", x, List.of(v * f, v * f));
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(dashed);
      s.setLineColor(color);
      s.setShowInLegend(f > 1);
    }
  }

  /** The runs whose comparison gave a group this status, marked on each of its points. */
  /**
   * Where each run is drawn. Over days, at noon (UTC) of its day, a later run of the same day and group an
   * hour after the one before: the axis ticks are midnights, so a run at 23:30 drawn where it happened
   * would sit over the next day's label. Within two days (the hour on the axis), where it happened.
   */
  static Map<HistoryRow, Instant> positions(List<HistoryRow> rows, boolean daily) {
    Map<HistoryRow, Instant> at = new IdentityHashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (HistoryRow r : rows) {
      LocalDate day = LocalDate.ofInstant(r.date(), ZoneOffset.UTC);
      int k = seen.merge(r.group() + "\u0000" + day, 1, Integer::sum) - 1;
      at.put(r, daily ? day.atTime(12 + Math.min(k, 11), 0).toInstant(ZoneOffset.UTC) : r.date());
    }
    return at;
  }

  private static void flagged(XYChart chart, List<HistoryRow> rows, Map<HistoryRow, Instant> at, Plot p,
      Status status, String name, org.knowm.xchart.style.markers.Marker marker, Color color) {
    List<Date> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (HistoryRow r : rows) {
      if (!r.cell("baseline_group_status").equals(status.label())) {
        continue;
      }
      for (String[] m : p.metrics()) {
        double v = r.number(m[0]);
        if (!Double.isNaN(v)) {
          x.add(Date.from(at.get(r)));
          y.add(v);
        }
      }
    }
    if (x.isEmpty()) {
      return;
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(marker);
    s.setMarkerColor(color);
  }

  /** Model weights and KV cache (GiB) and peak VRAM (GiB) of the newest runs, bars per backend. */
  private static CategoryChart memory(String profile, List<HistoryRow> rows) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(profile + ": server memory by run").xAxisTitle("Run (UTC), KV cache tokens").yAxisTitle("GiB")
        .build();
    style(chart);
    chart.getStyler().setXAxisLabelRotation(30);
    // One bar set per run: the groups of a run share its server, so the first group stands for it.
    Map<String, HistoryRow> byRun = new LinkedHashMap<>();
    for (HistoryRow r : rows) {
      byRun.putIfAbsent(r.resultFolder(), r);
    }
    // Only the runs that have a figure: a run without -Dserver.log would be an empty slot.
    List<HistoryRow> runs = new ArrayList<>(byRun.values().stream().filter(r -> !Double.isNaN(r.number(
        "model_memory_gib")) || !Double.isNaN(r.number("kv_cache_gib")) || !Double.isNaN(r.number("vram_peak_mib")))
        .toList());
    runs = runs.subList(Math.max(0, runs.size() - MEMORY_RUNS), runs.size());
    DateTimeFormatter day = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    Map<String, List<HistoryRow>> byBackend = new LinkedHashMap<>();
    for (HistoryRow r : runs) {
      byBackend.computeIfAbsent(r.cell("backend"), b -> new ArrayList<>()).add(r);
    }
    // The KV cache's size in tokens goes in the run's label: it is the figure the bars' GiB buy.
    List<String> x = runs.stream().map(r -> day.format(r.date()) + (r.cell("kv_cache_tokens").isEmpty() ? ""
        : " (" + r.cell("kv_cache_tokens") + " tok)")).toList();
    for (Map.Entry<String, List<HistoryRow>> e : byBackend.entrySet()) {
      String prefix = byBackend.size() > 1 ? e.getKey() + " " : "";
      for (String[] m : new String[][] {{"model_memory_gib", "model weights"}, {"kv_cache_gib", "KV cache"},
          {"vram_peak_mib", "peak VRAM"}}) {
        List<Double> y = new ArrayList<>();
        for (HistoryRow r : runs) {
          double v = e.getValue().contains(r) ? r.number(m[0]) : Double.NaN;
          y.add(Double.isNaN(v) ? 0 : m[0].endsWith("_mib") ? v / 1024 : v);
        }
        if (y.stream().anyMatch(v -> v > 0)) {
          chart.addSeries(prefix + m[1], x, y);
        }
      }
    }
    return chart;
  }

  private static double[] yRange(List<HistoryRow> rows, Plot p) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (HistoryRow r : rows) {
      for (String[] m : p.metrics()) {
        double v = r.number(m[0]);
        if (!Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return new double[] {min, max};
  }

  private static void style(Chart<?, ?> chart) {
    org.knowm.xchart.style.AxesChartStyler s = (org.knowm.xchart.style.AxesChartStyler) chart.getStyler();
    s.setLocale(Locale.ROOT); // axis labels independent of the machine's locale
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setMarkerSize(6);
  }

  private static void save(Chart<?, ?> chart, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = dev.llmbench.io.TempSibling.file(file.getParent(), "." + file.getFileName(), ".tmp.png");
    try {
      BitmapEncoder.saveBitmap(chart, temp.toString(), BitmapEncoder.BitmapFormat.PNG);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static String format(double v) {
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
