package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The page's interactive charts without a browser (ResultPageBrowserTest draws them): the CDF's downsampling,
 * the scripts allowed by exactly their hashes, the data inline and unable to close its script element.
 */
class PageChartsTest {

  @Test
  void aSmallCdfKeepsEveryValueAtItsFraction() {
    double[] values = {3, 1, 2, 2};
    double[][] cdf = PageCharts.cdfPoints(values, PageCharts.CDF_POINTS);
    assertEquals(List.of(1.0, 2.0, 2.0, 3.0), List.of(cdf[0][0], cdf[0][1], cdf[0][2], cdf[0][3]));
    for (int i = 0; i < values.length; i++) {
      assertEquals((i + 1) / (double) values.length, cdf[1][i]);
    }
  }

  @Test
  void aLargeCdfIsDrawnThroughAtMostTheLimitWithTheSmallestAndLargestValues() {
    int max = PageCharts.CDF_POINTS;
    double[] values = new Random(7).doubles(max * 37 + 11).map(v -> v * 50).toArray();
    double[][] cdf = PageCharts.cdfPoints(values, max);
    assertEquals(max, cdf[0].length);
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    assertEquals(sorted[0], cdf[0][0]);
    assertEquals(sorted[sorted.length - 1], cdf[0][max - 1]);
    assertEquals(1.0, cdf[1][max - 1]);
    for (int k = 1; k < max; k++) {
      assertTrue(cdf[0][k] >= cdf[0][k - 1] && cdf[1][k] > cdf[1][k - 1], "increasing at " + k);
      // Each point is a value of the sample at its exact fraction: rank / n.
      int rank = (int) Math.round(cdf[1][k] * values.length) - 1;
      assertEquals(sorted[rank], cdf[0][k]);
    }
  }

  @Test
  void thePageRunsOnlyItsOwnScriptsAllowedByTheirHashes() throws Exception {
    RunSummary s = GoldenFilesTest.fixedSummary();
    String html = render(s, series(s));
    Matcher csp = Pattern.compile("script-src ([^\"]*)\"").matcher(html);
    assertTrue(csp.find(), "a script-src in the policy");
    List<String> hashes = new ArrayList<>();
    Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    while (script.find()) {
      hashes.add("&#39;sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(script.group(1).getBytes(StandardCharsets.UTF_8))) + "&#39;");
    }
    assertEquals(3, hashes.size(), "the guard, uPlot, the charts");
    assertEquals(String.join(" ", hashes), csp.group(1));
    assertFalse(csp.group(1).contains("unsafe"), csp.group(1));
    // The time charts (four of the client, the server's KV cache and queue) and three CDFs per group.
    assertTrue(html.contains("data-charts-expected=\"" + (6 + 3 * s.groups().size()) + "\""), "charts expected");
  }

  @Test
  void withoutSeriesThePageHasNoScript() throws IOException {
    String html = render(GoldenFilesTest.fixedSummary(), null);
    assertFalse(html.contains("<script"));
    assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
  }

  @Test
  void theDataCannotCloseItsScriptElement() throws IOException {
    RunSummary s = GoldenFilesTest.fixedSummary();
    String html = render(s, series(s));
    int start = html.indexOf("<script type=\"application/json\" id=\"chart-data\">");
    int end = html.indexOf("</script>", start);
    String json = html.substring(html.indexOf('>', start) + 1, end);
    assertFalse(json.contains("<"), json);
    assertTrue(json.contains("\"xRange\""), json);
  }

  @Test
  void gpuSamplesGiveMemoryPerGpuAgainstItsTotalAndUtilisation() throws IOException {
    // Two GPUs of one size, the first filling up, the second never giving its utilisation ([N/A]).
    double total = 81_920;
    List<ServerTelemetry.GpuSample> samples = IntStream.range(0, 5).mapToObj(i -> new ServerTelemetry.GpuSample(
        i - 1.5, List.of(new ServerTelemetry.Gpu(0, 1_000 + 10 * i, total, 20 * i),
            new ServerTelemetry.Gpu(1, 2_000, total, Double.NaN)))).toList();
    // No scrape of /metrics answered: the GPU samples alone still reach the page.
    ServerTelemetry gpusOnly = new ServerTelemetry(List.of(), List.of(), samples, 0);
    PageSeries series = PageSeries.of(gpusOnly, List.of(), Map.of());
    JsonNode data = data(series);
    Map<String, JsonNode> charts = timeCharts(data);
    assertEquals(List.of("GPU memory used (nvidia-smi), total dashed", "GPU utilisation (nvidia-smi)"),
        List.copyOf(charts.keySet()));
    assertEquals(List.of(samples.get(0).timeSec(), samples.get(samples.size() - 1).timeSec()),
        List.of(data.get("xRange").get(0).asDouble() + 0.5, data.get("xRange").get(1).asDouble() - 0.5),
        "the x range takes in every sample, whole seconds around them");

    JsonNode memory = charts.get("GPU memory used (nvidia-smi), total dashed");
    assertEquals("MiB", memory.get("unit").asText());
    assertEquals(samples.stream().map(ServerTelemetry.GpuSample::timeSec).toList(), doubles(memory.get("x")));
    JsonNode lines = memory.get("series");
    assertEquals(List.of("GPU 0 used", "GPU 1 used", "total per GPU"),
        lines.findValuesAsText("label"), "one line per GPU, one total for GPUs of one size");
    for (int g = 0; g < 2; g++) {
      int gpu = g;
      assertEquals(samples.stream().map(s -> s.gpus().get(gpu).memoryUsedMib()).toList(),
          doubles(lines.get(g).get("values")));
      assertFalse(lines.get(g).has("reference"));
    }
    assertTrue(lines.get(2).get("reference").asBoolean(), "the total is a dashed reference");
    assertEquals(java.util.Collections.nCopies(samples.size(), total), doubles(lines.get(2).get("values")));

    JsonNode utilization = charts.get("GPU utilisation (nvidia-smi)");
    assertEquals("%", utilization.get("unit").asText());
    assertEquals(1, utilization.get("series").size(), "GPU 1 never gave a utilisation: no line");
    assertEquals("GPU 0", utilization.get("series").get(0).get("label").asText());
    assertEquals(samples.stream().map(s -> s.gpus().get(0).utilizationPct()).toList(),
        doubles(utilization.get("series").get(0).get("values")));
    assertEquals(Integer.toString(charts.size()), PageCharts.model(series, List.of()).get("expected"));
  }

  @Test
  void gpusOfDifferentSizesEachHaveTheirTotal() throws IOException {
    List<ServerTelemetry.GpuSample> samples = List.of(new ServerTelemetry.GpuSample(0, List.of(
        new ServerTelemetry.Gpu(0, 100, 40_960, 5), new ServerTelemetry.Gpu(1, 200, 81_920, 7))));
    JsonNode lines = timeCharts(data(PageSeries.of(new ServerTelemetry(List.of(), List.of(), samples, 0), List.of(), Map.of())))
        .get("GPU memory used (nvidia-smi), total dashed").get("series");
    assertEquals(List.of("GPU 0 used", "GPU 1 used", "GPU 0 total", "GPU 1 total"), lines.findValuesAsText("label"));
    assertEquals(List.of(samples.get(0).gpus().get(0).memoryTotalMib()), doubles(lines.get(2).get("values")));
  }

  @Test
  void withoutGpuSamplesThereIsNoGpuChart() throws IOException {
    RunSummary s = GoldenFilesTest.fixedSummary();
    Map<String, JsonNode> charts = timeCharts(data(series(s)));
    assertFalse(charts.isEmpty());
    assertTrue(charts.keySet().stream().noneMatch(t -> t.contains("GPU")), charts.keySet().toString());
  }

  /**
   * The CDFs drawn from the summary's sorted samples (what the post-run step passes) are those drawn from the
   * rows: the same requests, the same values, without a second sort.
   */
  @Test
  void theSummarysSortedSamplesDrawTheSameCdfsAsTheRows() throws IOException {
    List<RequestResult> rows = GoldenFilesTest.fixedRows();
    ServingMetrics.Summarized s =
        ServingMetrics.summarizeWithSamples(GoldenFilesTest.fixedMetadata(), rows);
    List<ClientSecond> timeline = ClientTimeline.of(rows);
    List<String> groups = List.of("rate-8", "rate-2");
    JsonNode fromRows = new ObjectMapper().readTree(
        (String) PageCharts.model(new PageSeries(timeline, null, samplesOf(rows)), groups).get("data"));
    JsonNode fromSummary = new ObjectMapper().readTree(
        (String) PageCharts.model(PageSeries.of(null, timeline, s.samples()), groups).get("data"));
    assertEquals(6, fromSummary.get("cdf").size(), "TTFT, TPOT and ITL of both groups");
    assertEquals(fromRows, fromSummary);
    s.samples().values().forEach(v -> {
      for (double[] a : List.of(v.ttftMs(), v.tpotMs(), v.itlMs())) {
        for (int i = 1; i < a.length; i++) {
          assertTrue(a[i - 1] <= a[i], "ascending");
        }
      }
    });
  }

  /**
   * Each group's values in the rows' order, by the summary's rule: measured (not warm-up), successful,
   * streaming requests; TPOT where it is defined.
   */
  private static Map<String, PageSeries.Samples> samplesOf(List<RequestResult> rows) {
    Map<String, List<Double>> ttft = new LinkedHashMap<>();
    Map<String, List<Double>> tpot = new LinkedHashMap<>();
    Map<String, List<Double>> itl = new LinkedHashMap<>();
    for (RequestResult r : rows) {
      if (r.warmup() || !r.ok() || r.items() > 0) {
        continue;
      }
      ttft.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r.ttftMicros() / 1_000.0);
      List<Double> t = tpot.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros())) {
        t.add(r.tpotMicros() / 1_000.0);
      }
      List<Double> i = itl.computeIfAbsent(r.group(), g -> new ArrayList<>());
      for (long gap : r.itlMicros()) {
        i.add(gap / 1_000.0);
      }
    }
    Map<String, PageSeries.Samples> samples = new LinkedHashMap<>();
    ttft.forEach((g, v) -> samples.put(g, new PageSeries.Samples(array(v), array(tpot.get(g)), array(itl.get(g)))));
    return samples;
  }

  private static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static JsonNode data(PageSeries series) throws IOException {
    return new ObjectMapper().readTree((String) PageCharts.model(series, List.of()).get("data"));
  }

  /** The data's charts over time by title, in order. */
  private static Map<String, JsonNode> timeCharts(JsonNode data) {
    Map<String, JsonNode> charts = new LinkedHashMap<>();
    data.get("time").forEach(c -> charts.put(c.get("title").asText(), c));
    return charts;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asDouble()));
    return out;
  }

  /** Ten seconds of the client, eleven scrapes of the server, and per group values for each CDF. */
  private static PageSeries series(RunSummary s) {
    List<ClientSecond> client = IntStream.range(0, 10)
        .mapToObj(i -> new ClientSecond(i, 100 + i, 4, i % 3 == 0 ? Double.NaN : 50 + i, 5, 2, 0)).toList();
    List<ServerTelemetry.Point> points = IntStream.range(0, 11).mapToObj(i -> new ServerTelemetry.Point(i - 0.5,
        Map.of("kv_cache_usage", i / 20.0, "requests_running", 4.0, "requests_waiting", (double) (i % 4)))).toList();
    ServerTelemetry server = new ServerTelemetry(List.of("requests_running", "requests_waiting", "kv_cache_usage"),
        points, List.of(), points.size());
    Map<String, PageSeries.Samples> samples = new LinkedHashMap<>();
    s.groups().forEach(g -> samples.put(g.group(), new PageSeries.Samples(new double[] {1, 2}, new double[] {3},
        new double[] {4, 5, 6})));
    return new PageSeries(client, server, samples);
  }

  private static String render(RunSummary s, PageSeries series) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.html(null, series).write(s, out);
    return out.toString();
  }
}
