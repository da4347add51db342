package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.Histogram;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.SteadyState;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ValidityCheck;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code index.html}: a self-contained page (inline CSS, inline SVG charts, nothing loaded from the network)
 * rendered with the Freemarker template {@code templates/index.html.ftlh}:
 *
 * <ul>
 *   <li>first the headline ({@link #headline}): per group its throughputs and TTFT/TPOT p50/p99 as large
 *       figures with their units, goodput when the run had objectives, the validity and baseline verdicts;
 *   <li>given the run's series ({@link PageSeries}), the charts over time and per group the CDFs of TTFT, TPOT
 *       and ITL, drawn by uPlot inlined with its data ({@link PageCharts}); without them the page has no script;
 *   <li>a title with framework, profile and model, and the run's metadata and parameters;
 *   <li>the measurement validity: the verdict and its reasons as the console prints them, the
 *       self-monitor's figures and the thresholds (or a line saying the verdict is unknown);
 *   <li>per group (sorted by name): the result block of the benchmark-runner procedure (as the console
 *       prints it), counts and rates, a table of the TTFT, TPOT, ITL, ITL-per-token and E2E distributions
 *       (ms; client queue time and E2E including it beside E2E, when known) and tokens per chunk, the errors by message (most frequent first), and bar charts of the
 *       mean, median, p90, p95, p99 and max of TTFT, TPOT and ITL. With service-level objectives
 *       ({@code -Dslo}) the rates end with the good requests, goodput and SLO attainment.
 * </ul>
 *
 * A run that made a capacity search also gets the section "Capacity search" ({@link CapacityFormats#page}):
 * its answer in bold and a table of its steps, those that met the objectives marked, before the
 * latency–throughput curve of the same steps.
 *
 * The page only lays out what the summary holds: every number is formatted here as a string with
 * {@link Locale#ROOT} (so the template never formats a number and the default locale does not matter),
 * and the only arithmetic is the charts' geometry. The template's output format is HTML, so every
 * interpolation is escaped: model names and error messages come from a server. The output holds no
 * time of rendering, so the same summary gives the same bytes.
 */
final class HtmlReportFormat implements ReportFormat {
  /** The template's name under {@code /templates} on the class path. */
  static final String TEMPLATE = "index.html.ftlh";

  /** One Freemarker configuration for the application (it is thread-safe once set up). */
  private static final Configuration FREEMARKER = Templates.configuration();

  /** The distributions the charts show. */
  private static final List<String> CHARTED = List.of("ttft", "tpot", "itl");

  /** The statistics a chart has one bar for, in order. */
  private static final List<Columns.Stat> BARS = Columns.STATS.stream()
      .filter(s -> !s.name().equals("std"))
      .toList();

  /** Chart geometry, in SVG user units (px). */
  private static final int LABEL_WIDTH = 64;
  private static final int BAR_MAX_WIDTH = 300;
  private static final int VALUE_WIDTH = 110;
  private static final int BAR_HEIGHT = 18;
  private static final int BAR_GAP = 6;

  /** The baseline comparison the page shows, or null for none. */
  private final BaselineCheck baseline;

  /** The series the page charts ({@link PageCharts}), or null: a page of tables and inline SVG only, no script. */
  private final PageSeries series;

  HtmlReportFormat(BaselineCheck baseline) {
    this(baseline, null);
  }

  HtmlReportFormat(BaselineCheck baseline, PageSeries series) {
    this.baseline = baseline;
    this.series = series;
  }

  @Override
  public void write(RunSummary s, Writer out) throws IOException {
    try {
      Map<String, Object> model = model(s);
      if (baseline != null) {
        model.put("comparison", comparison(baseline));
      }
      model.put("headline", headline(s, baseline));
      Map<String, Object> charts = PageCharts.model(series, s.groups().stream().map(GroupMetrics::group).toList());
      if (charts != null) {
        model.put("charts", charts);
      }
      if (PoolingFormats.applies(s)) {
        model.put("pooling", Map.of("header", PoolingFormats.PAGE_HEADER, "rows", PoolingFormats.pageRows(s, baseline)));
      }
      if (CapacityFormats.applies(s)) {
        model.put("capacity", CapacityFormats.page(s.capacity()));
      }
      if (CurveFormats.applies(s)) {
        // The image inline (a data URI), not a link to latency-throughput.png: the page is one file to mail.
        model.put("curve", Map.of("img", CurveFormats.dataUri(s), "width", Integer.toString(CurveFormats.WIDTH),
            "height", Integer.toString(CurveFormats.HEIGHT), "header", CurveFormats.header(s),
            "rows", CurveFormats.cells(s)));
      }
      FREEMARKER.getTemplate(TEMPLATE).process(model, out);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + TEMPLATE + " failed: " + e.getMessage(), e);
    }
    out.flush(); // not closed: the caller owns the writer
  }

  /** What the template shows, every value a string, list or map. */
  static Map<String, Object> model(RunSummary s) {
    RunMetadata m = s.metadata();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "LLM serving benchmark: " + orUnknown(m.framework()) + " / " + orUnknown(m.profile()) + " / "
        + orUnknown(m.model()));
    List<List<String>> metadata = new ArrayList<>();
    metadata.add(List.of("Run id", m.runId()));
    metadata.add(List.of("Started at", m.startedAt()));
    metadata.add(List.of("Profile", m.profile()));
    metadata.add(List.of("Framework", m.framework()));
    metadata.add(List.of("Backend", m.backend()));
    metadata.add(List.of("Model", m.model()));
    metadata.add(List.of("Target URL", m.targetUrl()));
    if (!m.serverHardware().isEmpty()) {
      metadata.add(List.of("Server hardware", m.serverHardware()));
    }
    if (!m.serverVersion().isEmpty()) {
      metadata.add(List.of("Server version", m.serverVersion()));
    }
    if (s.serverMemory() != null) {
      // Any run given -Dserver.log, not only the matrix's table: what the server had for weights and cache.
      metadata.add(List.of("Server memory", MatrixFormats.memorySummary(s.serverMemory())));
    }
    String prefixCache = ResultBlock.prefixCache(s);
    if (prefixCache != null) {
      metadata.add(List.of("Prefix cache", prefixCache.substring("Prefix cache: ".length())));
    }
    // A stale keep-alive connection is no server failure, but the reader should see how often it happened.
    metadata.add(List.of("Requests re-sent on a new connection", Long.toString(s.resends())));
    model.put("metadata", metadata);
    List<List<String>> parameters = new ArrayList<>();
    m.parameters().forEach((k, v) -> parameters.add(List.of(k, v)));
    model.put("parameters", parameters);
    model.put("schemaVersion", Integer.toString(RunSummary.SCHEMA_VERSION));
    model.put("validity", validity(s.validity()));
    if (s.promptSizing() != null) {
      model.put("promptSizing", Map.of("line", s.promptSizing().line(),
          "cls", s.promptSizing().warn() ? "prompt-warn" : "prompt-ok"));
    }
    if (s.accuracy() != null) {
      // A failed gate marks the page (red, as a client-bound verdict): the figures are of a server that answers wrongly.
      model.put("accuracy", Map.of("line", s.accuracy().line(), "details", s.accuracy().details(),
          "cls", s.accuracy().passed() ? "valid" : "client-bound"));
    }
    List<Map<String, Object>> groups = new ArrayList<>();
    for (GroupMetrics g : s.groups()) {
      Map<String, Object> group = group(m, g);
      timeline(group, g, s.timeline(g.group()));
      groups.add(group);
    }
    model.put("groups", groups);
    if (MatrixFormats.applies(s)) {
      Map<String, Object> matrix = new LinkedHashMap<>();
      matrix.put("header", MatrixFormats.HEADER);
      matrix.put("rows", MatrixFormats.cells(s));
      matrix.put("note", MatrixFormats.memoryNote(s));
      model.put("matrix", matrix);
    }
    if (OfflineFormats.applies(s)) {
      model.put("offline", Map.of("header", OfflineFormats.HEADER, "rows", OfflineFormats.cells(s),
          "backend", s.metadata().framework().isEmpty() ? "unknown" : s.metadata().framework()));
    }
    return model;
  }

  /**
   * The figures at the top of the page, per group (the first one large): value and unit of its throughputs,
   * TTFT and TPOT p50/p99 (a pooling group: items/s and E2E instead), goodput when the run had objectives;
   * then the run's validity verdict and the baseline's, each with the class that colours it.
   */
  static Map<String, Object> headline(RunSummary s, BaselineCheck baseline) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (GroupMetrics g : s.groups()) {
      List<List<String>> figures = new ArrayList<>();
      if (g.pooling()) {
        figures.add(List.of("Items throughput", fixed(g.itemThroughput()), "items/s"));
        figures.add(List.of("Request throughput", fixed(g.requestThroughput()), "req/s"));
        figures.add(List.of("E2E latency p50", fixed(g.e2eMs().median()), "ms"));
        figures.add(List.of("E2E latency p99", fixed(g.e2eMs().p99()), "ms"));
      } else {
        figures.add(List.of("Output throughput", fixed(g.outputThroughput()), "tok/s"));
        figures.add(List.of("Request throughput", fixed(g.requestThroughput()), "req/s"));
        figures.add(List.of("TTFT p50", fixed(g.ttftMs().median()), "ms"));
        figures.add(List.of("TTFT p99", fixed(g.ttftMs().p99()), "ms"));
        figures.add(List.of("TPOT p50", fixed(g.tpotMs().median()), "ms"));
        figures.add(List.of("TPOT p99", fixed(g.tpotMs().p99()), "ms"));
      }
      if (g.hasGoodput()) {
        figures.add(List.of("Goodput", fixed(g.goodput().requestGoodput()), "req/s"));
        figures.add(List.of("Output token goodput", fixed(g.goodput().outputTokenGoodput()), "tok/s"));
        figures.add(List.of("SLO attainment", fixed(100 * g.goodput().sloAttainment()), "%"));
      }
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("name", g.group().isEmpty() ? "(no group)" : g.group());
      group.put("figures", figures);
      groups.add(group);
    }
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("groups", groups);
    h.put("validity", s.validity() == null ? "unknown" : s.validity().verdict().wireName());
    h.put("validityCls", s.validity() == null ? "verdict-unknown"
        : "verdict-" + (s.validity().verdict().wireName().equals("valid") ? "good" : "bad"));
    if (baseline == null) {
      h.put("baseline", "not compared");
      h.put("baselineCls", "verdict-unknown");
    } else if (baseline.comparison() == null) {
      h.put("baseline", baseline.kind().word());
      h.put("baselineCls", "verdict-unknown");
    } else {
      String v = ComparisonFormats.verdict(baseline.comparison());
      h.put("baseline", v);
      h.put("baselineCls", v.equals("no-regression") ? "verdict-good" : v.equals("regression") ? "verdict-bad"
          : "verdict-warn");
    }
    return h;
  }

  /** The validity section: verdict lines, and when known the monitor's figures and the thresholds. */
  private static Map<String, Object> validity(Validity v) {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("cls", v == null ? "unknown" : v.verdict().wireName());
    section.put("lines", ResultBlock.validity(v));
    List<List<String>> figures = new ArrayList<>();
    List<List<String>> thresholds = new ArrayList<>();
    if (v != null) {
      MonitorFigures m = v.monitor();
      figures.add(List.of("Load window (s)", fixed(m.wallNanos() / 1e9)));
      figures.add(List.of("Process CPU (s)", fixed(m.processCpuNanos() / 1e9)));
      figures.add(List.of("Process CPU share of " + m.availableProcessors() + " cores",
          ValidityCheck.percent(m.processCpuShare())));
      figures.add(List.of("Machine CPU load",
          Double.isNaN(m.machineCpuLoad()) ? "unknown" : ValidityCheck.percent(m.machineCpuLoad())));
      figures.add(List.of("Event loops watched (timer every " + ValidityCheck.ms(m.loopTickMicros()) + " ms)",
          Integer.toString(m.eventLoops())));
      figures.add(List.of("Event-loop timer lag p50 / p99 / max (ms), " + m.loopLagSamples() + " firings",
          lagTriple(m.loopLagSamples(), m.loopLagP50Micros(), m.loopLagP99Micros(), m.loopLagMaxMicros())));
      figures.add(List.of("Read lag behind the first read of its I/O pass p50 / p99 / max (ms), " + m.readLagSamples()
          + " reads", lagTriple(m.readLagSamples(), m.readLagP50Micros(), m.readLagP99Micros(), m.readLagMaxMicros())));
      figures.add(List.of("Send lag p50 / p99 / max (ms), " + m.sendLagSamples() + " scheduled requests",
          lagTriple(m.sendLagSamples(), m.sendLagP50Micros(), m.sendLagP99Micros(), m.sendLagMaxMicros())));
      figures.add(List.of("GC pauses: count / total (ms) / longest (ms)",
          m.gcPauses() + " / " + m.gcPauseTotalMs() + " / " + m.gcPauseMaxMs()));
      figures.add(List.of("GC collections / collector time (ms)", m.gcCollections() + " / " + m.gcCollectorTimeMs()));
      ValidityJson.thresholds(v.thresholds()).forEach((k, value) ->
          thresholds.add(List.of(k, ValidityThresholds.plain((Double) value))));
      thresholds.add(List.of(ValidityThresholds.STRICT, Boolean.toString(v.strict())));
    }
    section.put("figures", figures);
    section.put("thresholds", thresholds);
    return section;
  }

  private static String lagTriple(long samples, long p50, long p99, long max) {
    return samples == 0 ? "n/a"
        : ValidityCheck.ms(p50) + " / " + ValidityCheck.ms(p99) + " / " + ValidityCheck.ms(max);
  }

  /**
   * The section "Baseline comparison": the verdict or why nothing was compared, the baseline's facts,
   * warnings, and per group the table of the console (metric, baseline, current, change, interval,
   * status, note).
   */
  static Map<String, Object> comparison(BaselineCheck check) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("message", check.message());
    var comparison = check.comparison();
    c.put("compared", comparison != null);
    if (comparison == null) {
      return c;
    }
    c.put("verdict", ComparisonFormats.verdict(comparison));
    var b = comparison.baseline();
    c.put("facts", List.of(
        List.of("Baseline", comparison.baselineCsv()),
        List.of("Commit", b.commit()),
        List.of("Written at", b.timestampUtc()),
        List.of("Reason", b.reason()),
        List.of("Runs", Integer.toString(b.runs().size())),
        List.of("Regression threshold (%)", Numbers.decimal(comparison.thresholds().regressionPct())),
        List.of("Confidence", Numbers.decimal(comparison.thresholds().confidence()))));
    c.put("warnings", comparison.warnings());
    c.put("header", ComparisonFormats.HEADER);
    Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
    for (var r : comparison.rows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", ComparisonFormats.cells(r));
      row.put("cls", r.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      row.put("note", r.note());
      groups.computeIfAbsent(r.group().isEmpty() ? "(no group)" : r.group(), k -> new ArrayList<>()).add(row);
    }
    List<Map<String, Object>> list = new ArrayList<>();
    groups.forEach((name, rows) -> list.add(Map.of("name", name, "rows", rows)));
    c.put("groups", list);
    return c;
  }

  /**
   * The group's steady state beside its whole run ({@code steady}: label, whole run, steady state) and its
   * time slices ({@code slices}: header and rows), and for an open-model group its over-saturation verdict
   * ({@code saturation}, {@code saturated}); none when the summary has no timeline for it.
   */
  private static void timeline(Map<String, Object> group, GroupMetrics g, GroupTimeline t) {
    if (t == null) {
      return;
    }
    SteadyState s = t.steadyState();
    if (s != null) {
      group.put("steadyWindow", String.format(Locale.ROOT, "%s s to %s s from the group's first send, %d requests "
          + "sent within it, plateau %d in flight", fixed(s.startSec()), fixed(s.endSec()), s.requests(),
          s.plateauInFlight()));
      group.put("steady", List.of(
          List.of("Completed requests", Long.toString(g.completed()), Long.toString(s.completed())),
          List.of("Request throughput (req/s)", fixed(g.requestThroughput()), fixed(s.requestThroughput())),
          List.of("Output token throughput (tokens/s)", fixed(g.outputThroughput()), fixed(s.outputThroughput())),
          List.of("TTFT p50 (ms)", fixed(g.ttftMs().median()), fixed(s.ttftMs().median())),
          List.of("TTFT p99 (ms)", fixed(g.ttftMs().p99()), fixed(s.ttftMs().p99())),
          List.of("TPOT p50 (ms)", fixed(g.tpotMs().median()), fixed(s.tpotMs().median())),
          List.of("TPOT p99 (ms)", fixed(g.tpotMs().p99()), fixed(s.tpotMs().p99())),
          List.of("E2E latency p50 (ms)", fixed(g.e2eMs().median()), fixed(s.e2eMs().median())),
          List.of("E2E latency p99 (ms)", fixed(g.e2eMs().p99()), fixed(s.e2eMs().p99()))));
    }
    if (t.saturation() != null) {
      group.put("saturated", t.saturation().saturated());
      group.put("saturation", ResultBlock.saturationSentence(t.saturation()));
    }
    if (!t.slices().isEmpty()) {
      group.put("sliceHeader", List.of("Slice", "From (s)", "To (s)", "Requests", "Completed", "Failed",
          "Request throughput (req/s)", "Output throughput (tokens/s)", "TTFT p50 (ms)", "TTFT p99 (ms)",
          "TPOT p50 (ms)", "ITL p50 (ms)", "E2E p50 (ms)", "E2E p99 (ms)", "In flight (mean)"));
      group.put("slices", t.slices().stream().map(x -> List.of(Integer.toString(x.index()), fixed(x.startSec()),
          fixed(x.endSec()), Long.toString(x.requests()), Long.toString(x.completed()), Long.toString(x.failed()),
          fixed(x.requestThroughput()), fixed(x.outputThroughput()), fixed(x.ttftMs().median()),
          fixed(x.ttftMs().p99()), fixed(x.tpotMs().median()), fixed(x.itlMs().median()), fixed(x.e2eMs().median()),
          fixed(x.e2eMs().p99()), fixed(x.meanInFlight()))).toList());
    }
  }

  private static Map<String, Object> group(RunMetadata m, GroupMetrics g) {
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", g.group().isEmpty() ? "(no group)" : g.group());
    group.put("block", ResultBlock.lines(m, g));
    List<List<String>> rates = new ArrayList<>(List.of(
        List.of("Completed requests", Long.toString(g.completed())),
        List.of("Failed requests", Long.toString(g.failed())),
        List.of("Error rate (0..1)", Numbers.decimal(g.errorRate())),
        List.of("Total input tokens", Long.toString(g.totalInputTokens())),
        List.of("Total input tokens planned", Long.toString(g.totalInputTokensPlanned())),
        List.of("Total output tokens", Long.toString(g.totalOutputTokens())),
        List.of("Duration (s)", fixed(g.durationSeconds())),
        List.of("Request throughput (req/s)", fixed(g.requestThroughput())),
        List.of("Input token throughput (tokens/s)", fixed(g.inputThroughput())),
        List.of("Output token throughput (tokens/s)", fixed(g.outputThroughput())),
        List.of("Total token throughput (tokens/s)", fixed(g.totalThroughput())),
        List.of("Concurrency", fixed(g.concurrency())),
        List.of("Requests with unknown tokens per chunk (left out of ITL per token)",
            Long.toString(g.chunkTokensUnknown()))));
    if (g.pooling()) {
      rates.add(3, List.of("Items (scored, ranked or embedded)", Long.toString(g.totalItems())));
      rates.add(4, List.of("Items per second (IPS)", fixed(g.itemThroughput())));
    }
    if (g.hasGoodput()) {
      // Judged against the run's objectives (its parameters' slo, in ms).
      rates.add(List.of("Good requests (met every objective of slo " + m.parameters().get("slo") + ")",
          Long.toString(g.goodput().goodRequests())));
      rates.add(List.of("Request goodput (req/s)", fixed(g.goodput().requestGoodput())));
      rates.add(List.of("Output token goodput (tokens/s)", fixed(g.goodput().outputTokenGoodput())));
      rates.add(List.of("SLO attainment (0..1)", Numbers.decimal(g.goodput().sloAttainment())));
    }
    group.put("rates", rates);
    group.put("statNames", Columns.STATS.stream().map(Columns.Stat::name).toList());
    List<Map<String, Object>> distributions = new ArrayList<>();
    if (g.pooling()) {
      // One answer per request: its latency and items are the figures; no token was streamed.
      distributions.add(distributionRow("E2E latency (ms)", g.e2eMs()));
      group.put("distributions", distributions);
      group.put("errors", g.errors().stream().map(e -> List.of(e.message(), Long.toString(e.count()))).toList());
      group.put("charts", Columns.DISTRIBUTIONS.stream().filter(d -> d.jsonStem().equals("e2e_latency"))
          .map(d -> chart("E2E latency (ms)", d.get(), g)).toList());
      group.put("histograms", List.of());
      return group;
    }
    distributions.add(distributionRow("TTFT (ms)", g.ttftMs()));
    distributions.add(distributionRow("TPOT (ms)", g.tpotMs()));
    distributions.add(distributionRow("ITL (ms)", g.itlMs()));
    distributions.add(distributionRow("ITL per token (ms)", g.itlPerTokenMs()));
    distributions.add(distributionRow("E2E latency (ms)", g.e2eMs()));
    // Beside E2E, when the run had arrivals: what a user arriving on schedule saw (coordinated omission).
    if (g.clientQueueTimeMs() != null) {
      distributions.add(distributionRow("Client queue time (ms)", g.clientQueueTimeMs()));
    }
    if (g.e2elIncludingClientQueueMs() != null) {
      distributions.add(distributionRow("E2E including client queue (ms)", g.e2elIncludingClientQueueMs()));
    }
    distributions.add(distributionRow("Tokens per chunk", g.tokensPerChunk()));
    group.put("distributions", distributions);
    List<List<String>> errors = new ArrayList<>();
    for (ErrorCount e : g.errors()) {
      errors.add(List.of(e.message(), Long.toString(e.count())));
    }
    group.put("errors", errors);
    List<Map<String, Object>> charts = new ArrayList<>();
    for (Columns.Dist d : Columns.DISTRIBUTIONS) {
      if (CHARTED.contains(d.jsonStem())) {
        charts.add(chart(d.jsonStem().toUpperCase(Locale.ROOT) + " (ms)", d.get(), g));
      }
    }
    group.put("charts", charts);
    group.put("histograms", List.of(histogram("TTFT (ms)", g.ttftHistogram()),
        histogram("TPOT (ms)", g.tpotHistogram()), histogram("ITL (ms)", g.itlHistogram())));
    return group;
  }

  private static final int HIST_WIDTH = 420;
  private static final int HIST_HEIGHT = 110;
  private static final int HIST_LABEL_SPACE = 16;

  /**
   * Vertical bars, one per bin from the minimum to p99 and one for the values above p99, heights
   * scaled to the fullest bin. The bins come from the model; only their geometry is computed here.
   */
  private static Map<String, Object> histogram(String title, Histogram h) {
    long[] counts = h.counts();
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("title", title);
    chart.put("empty", counts.length == 0);
    chart.put("width", Integer.toString(HIST_WIDTH));
    chart.put("height", Integer.toString(HIST_HEIGHT + HIST_LABEL_SPACE));
    chart.put("labelY", Integer.toString(HIST_HEIGHT + HIST_LABEL_SPACE - 3));
    List<Map<String, String>> bars = new ArrayList<>();
    if (counts.length > 0) {
      long max = h.above();
      for (long c : counts) {
        max = Math.max(max, c);
      }
      double barWidth = (double) HIST_WIDTH / (counts.length + 1);
      for (int i = 0; i <= counts.length; i++) {
        boolean over = i == counts.length;
        long c = over ? h.above() : counts[i];
        double height = max == 0 ? 0 : HIST_HEIGHT * (double) c / max;
        Map<String, String> bar = new LinkedHashMap<>();
        bar.put("x", String.format(Locale.ROOT, "%.1f", i * barWidth));
        bar.put("y", String.format(Locale.ROOT, "%.1f", HIST_HEIGHT - height));
        bar.put("w", String.format(Locale.ROOT, "%.1f", Math.max(1, barWidth - 1)));
        bar.put("h", String.format(Locale.ROOT, "%.1f", height));
        bar.put("cls", over ? "bar over" : "bar");
        bar.put("title", over
            ? "above p99 (" + fixed(h.lower() + h.binWidth() * counts.length) + " ms): " + c
            : fixed(h.lower() + h.binWidth() * i) + " to " + fixed(h.lower() + h.binWidth() * (i + 1)) + " ms: " + c);
        bars.add(bar);
      }
      chart.put("low", fixed(h.lower()) + " ms");
      chart.put("high", "p99 " + fixed(h.lower() + h.binWidth() * counts.length) + " ms | above");
    }
    chart.put("bars", bars);
    return chart;
  }



  private static Map<String, Object> distributionRow(String label, Distribution d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("label", label);
    row.put("count", Long.toString(d.count()));
    row.put("values", Columns.STATS.stream().map(stat -> fixed(stat.get().apply(d))).toList());
    return row;
  }

  /**
   * A horizontal bar chart of a distribution's mean, median, p90, p95, p99 and max, scaled to the
   * largest of them; an empty distribution has no bars.
   */
  private static Map<String, Object> chart(String title, Function<GroupMetrics, Distribution> get, GroupMetrics g) {
    Distribution d = get.apply(g);
    double scale = 0;
    for (Columns.Stat stat : BARS) {
      scale = Math.max(scale, stat.get().apply(d));
    }
    List<Map<String, String>> bars = new ArrayList<>();
    for (int i = 0; i < BARS.size(); i++) {
      Columns.Stat stat = BARS.get(i);
      double value = stat.get().apply(d);
      double width = scale > 0 ? BAR_MAX_WIDTH * value / scale : 0;
      int y = i * (BAR_HEIGHT + BAR_GAP);
      Map<String, String> bar = new LinkedHashMap<>();
      bar.put("label", stat.name());
      bar.put("value", fixed(value) + " ms");
      bar.put("y", Integer.toString(y));
      bar.put("textY", Integer.toString(y + BAR_HEIGHT - 5));
      bar.put("width", String.format(Locale.ROOT, "%.1f", width));
      bar.put("valueX", String.format(Locale.ROOT, "%.1f", LABEL_WIDTH + width + 6));
      bars.add(bar);
    }
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("title", title);
    chart.put("empty", d.count() == 0);
    chart.put("count", Long.toString(d.count()));
    chart.put("width", Integer.toString(LABEL_WIDTH + BAR_MAX_WIDTH + VALUE_WIDTH));
    chart.put("height", Integer.toString(BARS.size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP));
    chart.put("barX", Integer.toString(LABEL_WIDTH));
    chart.put("labelX", Integer.toString(LABEL_WIDTH - 6));
    chart.put("barHeight", Integer.toString(BAR_HEIGHT));
    chart.put("bars", bars);
    return chart;
  }

  /** Two decimals, {@link Locale#ROOT}: how the page shows times, rates and counts per chunk. */
  static String fixed(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("cannot show a number that is not finite: " + value);
    }
    String s = String.format(Locale.ROOT, "%.2f", value);
    return s.equals("-0.00") ? "0.00" : s;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "unknown" : s;
  }
}
