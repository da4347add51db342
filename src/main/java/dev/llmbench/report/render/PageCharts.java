package dev.llmbench.report.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The result page's interactive charts: uPlot (the WebJar {@code org.webjars.npm:uplot}, its JS and CSS read
 * from the jar and inlined, so the page stays one file that works offline) and the data as inline JSON.
 *
 * <p>Over time, on one x axis (seconds from the run's first send, the same range on every chart): output
 * tokens/s, requests in flight, TTFT p50 and ITL p50 per second (the client's timeline), and when the server's
 * {@code /metrics} answered its KV-cache usage and its running and waiting requests, and when GPUs were
 * sampled their memory used (against their total) and utilisation ({@link #gpuCharts}). Per group, the CDFs of TTFT,
 * TPOT and ITL. A CDF of more than {@value #CDF_POINTS} values is drawn through {@value #CDF_POINTS} of them:
 * the sorted values at evenly spaced ranks, the smallest and the largest always included, each at its exact
 * fraction (rank / count); ITL has one value per token gap, and a page of a long run would otherwise carry
 * megabytes of points no screen can show.
 *
 * <p>The scripts are allowed by their SHA-256 in the page's Content-Security-Policy, not by
 * {@code 'unsafe-inline'}: only these scripts run, whatever a server's text might try.
 */
final class PageCharts {
  /** The most points a CDF is drawn through. */
  static final int CDF_POINTS = 2_000;

  private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PageCharts() {}

  /**
   * The template's {@code charts}: {@code css}, {@code scripts} (guard, uPlot, charts; in this order),
   * {@code data} (JSON, safe inside a script element), {@code csp} (the scripts' hashes), {@code expected} (how
   * many charts the script draws) and {@code cdfBoxes} (per group index, the element id its CDFs go in); null
   * when there is nothing to chart.
   */
  static Map<String, Object> model(PageSeries series, List<String> groupOrder) {
    if (series == null) {
      return null;
    }
    ObjectNode data = MAPPER.createObjectNode();
    ArrayNode time = data.putArray("time");
    List<ClientSecond> client = series.client();
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    if (!client.isEmpty()) {
      xMin = client.get(0).startSec();
      xMax = client.get(client.size() - 1).startSec() + 1;
      time.add(timeChart("Output tokens per second", "tokens/s", client, ClientSecond::startSec,
          Map.of("output tokens/s", ClientSecond::outputTokens)));
      time.add(timeChart("Requests in flight (client, mean over each second)", "requests", client,
          ClientSecond::startSec, Map.of("in flight", ClientSecond::inFlight)));
      time.add(timeChart("TTFT p50 per second (requests whose first token came in it)", "ms", client,
          ClientSecond::startSec, Map.of("TTFT p50", ClientSecond::ttftP50Ms)));
      time.add(timeChart("ITL p50 per second (token gaps that ended in it)", "ms", client, ClientSecond::startSec,
          Map.of("ITL p50", ClientSecond::itlP50Ms)));
    }
    ServerTelemetry server = series.server();
    if (server != null && !server.points().isEmpty()) {
      List<ServerTelemetry.Point> points = server.points();
      xMin = Math.min(xMin, points.get(0).timeSec());
      xMax = Math.max(xMax, points.get(points.size() - 1).timeSec());
      if (server.columns().contains("kv_cache_usage")) {
        time.add(timeChart("Server KV-cache usage (/metrics)", "%", points, ServerTelemetry.Point::timeSec,
            Map.of("KV-cache usage", p -> 100 * value(p, "kv_cache_usage"))));
      }
      Map<String, ToDoubleFunction<ServerTelemetry.Point>> queue = new LinkedHashMap<>();
      if (server.columns().contains("requests_running")) {
        queue.put("running", p -> value(p, "requests_running"));
      }
      if (server.columns().contains("requests_waiting")) {
        queue.put("waiting", p -> value(p, "requests_waiting"));
      }
      if (!queue.isEmpty()) {
        time.add(timeChart("Server requests running and waiting (/metrics)", "requests", points,
            ServerTelemetry.Point::timeSec, queue));
      }
    }
    if (server != null && !server.gpus().isEmpty()) {
      List<ServerTelemetry.GpuSample> samples = server.gpus();
      xMin = Math.min(xMin, samples.get(0).timeSec());
      xMax = Math.max(xMax, samples.get(samples.size() - 1).timeSec());
      gpuCharts(time, samples);
    }
    ArrayNode range = data.putArray("xRange");
    range.add(Double.isFinite(xMin) ? Math.floor(xMin) : 0);
    range.add(Double.isFinite(xMax) ? Math.ceil(xMax) : 1);
    ArrayNode cdfs = data.putArray("cdf");
    Map<String, String> boxes = new LinkedHashMap<>();
    for (int i = 0; i < groupOrder.size(); i++) {
      PageSeries.Samples s = series.samples().get(groupOrder.get(i));
      if (s == null) {
        continue;
      }
      String box = "cdf-" + i;
      int before = cdfs.size();
      cdf(cdfs, box, "TTFT", s.ttftMs());
      cdf(cdfs, box, "TPOT", s.tpotMs());
      cdf(cdfs, box, "ITL", s.itlMs());
      if (cdfs.size() > before) {
        boxes.put(Integer.toString(i), box);
      }
    }
    int expected = time.size() + cdfs.size();
    if (expected == 0) {
      return null;
    }
    List<String> scripts = List.of(resource("/templates/page-guard.js"), resource(UPLOT + "uPlot.iife.min.js"),
        resource("/templates/page-charts.js"));
    StringBuilder csp = new StringBuilder();
    for (String script : scripts) {
      csp.append(" 'sha256-").append(sha256(script)).append('\'');
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("css", resource(UPLOT + "uPlot.min.css"));
    model.put("guard", scripts.get(0));
    model.put("uplot", scripts.get(1));
    model.put("script", scripts.get(2));
    model.put("csp", csp.toString().trim());
    model.put("data", json(data));
    model.put("expected", Integer.toString(expected));
    model.put("hasTime", time.size() > 0);
    model.put("boxes", boxes);
    return model;
  }

  private static double value(ServerTelemetry.Point p, String column) {
    Double v = p.values().get(column);
    return v == null ? Double.NaN : v;
  }

  /**
   * nvidia-smi's samples ({@code gpu.csv}), two charts. Memory used has one line per GPU rather than their sum:
   * a sum would hide one GPU filling up while another stays put (uneven tensor-parallel shards, another process
   * on one GPU), and each line can be read against one GPU's capacity, the memory total drawn dashed as the
   * reference (one line when every GPU has the same total, else one per GPU); the summed figures are
   * {@code summary.json}'s {@code vram*}. Utilisation has one line per GPU. A GPU that never gave a figure of a
   * kind has no line for it, and a chart without a line is left out.
   */
  private static void gpuCharts(ArrayNode time, List<ServerTelemetry.GpuSample> samples) {
    SortedSet<Integer> indices = new TreeSet<>();
    samples.forEach(s -> s.gpus().forEach(g -> indices.add(g.index())));
    Map<String, ToDoubleFunction<ServerTelemetry.GpuSample>> used = new LinkedHashMap<>();
    Map<String, ToDoubleFunction<ServerTelemetry.GpuSample>> totals = new LinkedHashMap<>();
    Map<String, ToDoubleFunction<ServerTelemetry.GpuSample>> utilization = new LinkedHashMap<>();
    Set<Double> distinctTotals = new TreeSet<>();
    for (int i : indices) {
      ToDoubleFunction<ServerTelemetry.GpuSample> u = s -> figure(s, i, ServerTelemetry.Gpu::memoryUsedMib);
      ToDoubleFunction<ServerTelemetry.GpuSample> t = s -> figure(s, i, ServerTelemetry.Gpu::memoryTotalMib);
      ToDoubleFunction<ServerTelemetry.GpuSample> p = s -> figure(s, i, ServerTelemetry.Gpu::utilizationPct);
      if (anyFinite(samples, u)) {
        used.put("GPU " + i + " used", u);
      }
      if (anyFinite(samples, t)) {
        totals.put("GPU " + i + " total", t);
        samples.forEach(s -> distinctTotals.add(t.applyAsDouble(s)));
      }
      if (anyFinite(samples, p)) {
        utilization.put("GPU " + i, p);
      }
    }
    distinctTotals.removeIf(v -> !Double.isFinite(v));
    if (distinctTotals.size() == 1 && totals.size() > 1) {
      double total = distinctTotals.iterator().next();
      totals = Map.of("total per GPU", s -> total);
    }
    if (!used.isEmpty()) {
      time.add(timeChart("GPU memory used (nvidia-smi), total dashed", "MiB", samples,
          ServerTelemetry.GpuSample::timeSec, used, totals));
    }
    if (!utilization.isEmpty()) {
      time.add(timeChart("GPU utilisation (nvidia-smi)", "%", samples, ServerTelemetry.GpuSample::timeSec,
          utilization));
    }
  }

  /** GPU {@code index}'s figure in sample {@code s}; NaN (a gap) when the sample lacks it. */
  private static double figure(ServerTelemetry.GpuSample s, int index,
      ToDoubleFunction<ServerTelemetry.Gpu> get) {
    for (ServerTelemetry.Gpu g : s.gpus()) {
      if (g.index() == index) {
        return get.applyAsDouble(g);
      }
    }
    return Double.NaN;
  }

  private static <T> boolean anyFinite(List<T> rows, ToDoubleFunction<T> get) {
    return rows.stream().anyMatch(r -> Double.isFinite(get.applyAsDouble(r)));
  }

  private static <T> ObjectNode timeChart(String title, String unit, List<T> rows, ToDoubleFunction<T> x,
      Map<String, ToDoubleFunction<T>> series) {
    return timeChart(title, unit, rows, x, series, Map.of());
  }

  /** A chart over time; {@code references} are drawn dashed, after {@code series} (a limit, not a measure). */
  private static <T> ObjectNode timeChart(String title, String unit, List<T> rows, ToDoubleFunction<T> x,
      Map<String, ToDoubleFunction<T>> series, Map<String, ToDoubleFunction<T>> references) {
    ObjectNode chart = MAPPER.createObjectNode();
    chart.put("title", title);
    chart.put("unit", unit);
    ArrayNode xs = chart.putArray("x");
    rows.forEach(r -> number(xs, x.applyAsDouble(r)));
    ArrayNode list = chart.putArray("series");
    series.forEach((label, get) -> line(list, label, rows, get, false));
    references.forEach((label, get) -> line(list, label, rows, get, true));
    return chart;
  }

  private static <T> void line(ArrayNode list, String label, List<T> rows, ToDoubleFunction<T> get,
      boolean reference) {
    ObjectNode s = list.addObject();
    s.put("label", label);
    if (reference) {
      s.put("reference", true);
    }
    ArrayNode values = s.putArray("values");
    rows.forEach(r -> number(values, get.applyAsDouble(r)));
  }

  /** The CDF of {@code values} (none when empty), through at most {@link #CDF_POINTS} points. */
  private static void cdf(ArrayNode cdfs, String box, String metric, double[] values) {
    if (values.length == 0) {
      return;
    }
    double[][] points = cdfPoints(values, CDF_POINTS);
    ObjectNode c = cdfs.addObject();
    c.put("box", box);
    c.put("title", metric + " CDF");
    c.put("unit", metric + " (ms)");
    c.put("caption", values.length + " values" + (values.length > CDF_POINTS ? ", drawn through " + CDF_POINTS : ""));
    ArrayNode x = c.putArray("x");
    ArrayNode y = c.putArray("y");
    for (int i = 0; i < points[0].length; i++) {
      number(x, points[0][i]);
      number(y, points[1][i]);
    }
  }

  /**
   * The empirical CDF: the sorted values ({@code [0]}) and the fraction of values at or below each
   * ({@code [1]}, rank / n, 1-based); above {@code max} points, the values at ranks {@code round(k (n - 1) /
   * (max - 1))}, so the first and the last are always there.
   */
  static double[][] cdfPoints(double[] values, int max) {
    double[] sorted = values;
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[i - 1]) { // not in order (the summary's samples are): sort a copy
        sorted = values.clone();
        Arrays.sort(sorted);
        break;
      }
    }
    int n = sorted.length;
    int m = Math.min(n, max);
    double[][] out = new double[2][m];
    for (int k = 0; k < m; k++) {
      int rank = m == n ? k : (int) Math.round((double) k * (n - 1) / (m - 1));
      out[0][k] = sorted[rank];
      out[1][k] = (rank + 1) / (double) n;
    }
    return out;
  }

  /** A number, or null (a gap in the line) when it is not finite: a second without a first token has no TTFT. */
  private static void number(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(Math.round(v * 1e4) / 1e4);
    } else {
      a.addNull();
    }
  }

  /** JSON that cannot end its script element: every {@code <} is escaped (it only occurs inside strings). */
  private static String json(ObjectNode data) {
    try {
      return MAPPER.writeValueAsString(data).replace("<", "\\u003c");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = PageCharts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the class path (the uplot WebJar, pom.xml)");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
        throw new IllegalStateException(path + " holds </script and cannot be inlined");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String uplotVersion() {
    try (InputStream in = PageCharts.class.getResourceAsStream(
        "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "1.6.30");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
