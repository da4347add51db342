package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerTelemetry;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
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

  /** Ten seconds of the client, eleven scrapes of the server, and per group values for each CDF. */
  private static PageSeries series(RunSummary s) {
    List<ClientSecond> client = IntStream.range(0, 10)
        .mapToObj(i -> new ClientSecond(i, 100 + i, 4, i % 3 == 0 ? Double.NaN : 50 + i, 5, 2, 0)).toList();
    List<ServerTelemetry.Point> points = IntStream.range(0, 11).mapToObj(i -> new ServerTelemetry.Point(i - 0.5,
        Map.of("kv_cache_usage", i / 20.0, "requests_running", 4.0, "requests_waiting", (double) (i % 4)))).toList();
    ServerTelemetry server = new ServerTelemetry(List.of("requests_running", "requests_waiting", "kv_cache_usage"),
        points, List.of(), points.size());
    Map<String, PageSeries.Samples> samples = new java.util.LinkedHashMap<>();
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
