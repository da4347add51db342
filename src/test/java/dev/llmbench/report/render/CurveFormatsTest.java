package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.LatencyThroughput;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency–throughput curve: latency-throughput.png and the page's image and table. */
class CurveFormatsTest {
  @TempDir
  Path dir;

  /**
   * A sweep of the given rates: per rate, 20 requests of 100 output tokens, one every 1/rate s, each with the
   * given TTFT and E2E (ms), so that a higher rate gives more throughput and (from the given figures) more
   * latency, or less.
   */
  private static RunSummary sweep(double[] rates, long[] ttftMs, long[] e2eMs) {
    List<RequestResult> rows = new ArrayList<>();
    String recorded = "";
    long t0 = 0;
    for (int k = 0; k < rates.length; k++) {
      String group = "chat@rate=" + rates[k];
      recorded += (k == 0 ? "" : ",") + "\"" + rates[k] + "\"";
      for (int i = 0; i < 20; i++) {
        long sent = t0 + Math.round(i / rates[k] * 1e9);
        long ttft = ttftMs[k] * 1000 + i; // a little spread, so p50 and p99 differ
        long e2e = e2eMs[k] * 1000 + i;
        rows.add(new RequestResult("r" + k + "-" + i, group, false, true, null, 200,
            1_700_000_000_000_000L + sent / 1_000, 1_000_000_000L + sent, 10, 10, 100, 100, "usage", ttft, e2e,
            (e2e - ttft) / 99.0, new long[0], null));
      }
      t0 += 100_000_000_000L; // the next rate 100 s later
    }
    return ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", Map.of("requestRates", "[" + recorded + "]")), rows);
  }

  private static RunSummary threeRates() {
    // 1 req/s: fast; 2 req/s: more throughput, slower; 4 req/s: more throughput again, slowest.
    return sweep(new double[] {1, 2, 4}, new long[] {50, 80, 300}, new long[] {1000, 1500, 3000});
  }

  private static String html(RunSummary s) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(s, out);
    return out.toString();
  }

  @Test
  void threeRatesGiveAPngOfTheStatedSize() throws IOException {
    RunSummary s = threeRates();
    assertTrue(CurveFormats.applies(s));
    Path file = dir.resolve(CurveFormats.FILE_NAME);
    CurveFormats.png(s, file);
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(900, image.getWidth());
    assertEquals(500, image.getHeight());
    assertEquals(CurveFormats.WIDTH, image.getWidth());
    assertEquals(CurveFormats.HEIGHT, image.getHeight());
  }

  @Test
  void thePointsFollowTheRatesAndEachTradesLatencyForThroughput() {
    List<LatencyThroughput.Point> points = LatencyThroughput.of(threeRates());
    assertEquals(List.of("chat@rate=1.0", "chat@rate=2.0", "chat@rate=4.0"),
        points.stream().map(LatencyThroughput.Point::group).toList());
    assertTrue(points.get(0).outputThroughput() < points.get(1).outputThroughput());
    assertTrue(points.get(1).outputThroughput() < points.get(2).outputThroughput());
    assertTrue(points.stream().allMatch(p -> p.ttftPareto() && p.tpotPareto()), points.toString());
  }

  @Test
  void aRateThatIsSlowerForLessThroughputIsOffTheFrontierInTheTable() {
    // 2 req/s here is slower than 4 req/s and gives less throughput: dominated on TTFT p99.
    RunSummary s = sweep(new double[] {1, 2, 4}, new long[] {50, 500, 300}, new long[] {1000, 1500, 3000});
    List<List<String>> rows = CurveFormats.cells(s);
    assertEquals(3, rows.size());
    assertEquals(CurveFormats.HEADER.size(), rows.get(0).size());
    assertEquals("chat@rate=2.0", rows.get(1).get(0));
    assertEquals("2.00", rows.get(1).get(1));
    assertEquals("no", rows.get(1).get(7), rows.toString());
    assertEquals("yes", rows.get(0).get(7));
    assertEquals("yes", rows.get(2).get(7));
  }

  @Test
  void theResultPageCarriesTheImageInlineAndTheTable() throws IOException {
    String html = html(threeRates());
    assertTrue(html.contains("<h2>Latency against throughput</h2>"));
    Matcher img = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"900\" height=\"500\"")
        .matcher(html);
    assertTrue(img.find(), "no inline PNG on the page");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(1))));
    assertEquals(900, image.getWidth());
    assertEquals(500, image.getHeight());
    assertTrue(html.contains("<th class=\"num\">Pareto (TTFT p99)</th>"));
    assertTrue(html.contains("<td>chat@rate=4.0</td>"));
  }

  @Test
  void aRunOfOneRateHasNoCurve() throws IOException {
    RunSummary s = sweep(new double[] {2}, new long[] {50}, new long[] {1000});
    assertEquals(1, LatencyThroughput.of(s).size());
    assertFalse(CurveFormats.applies(s));
    String html = html(s);
    assertFalse(html.contains("Latency against throughput"));
    assertFalse(html.contains("<img"));
  }

  @Test
  void thePngIsTheSameUnderAnotherLocale() throws IOException {
    Locale before = Locale.getDefault();
    byte[] root = CurveFormats.pngBytes(threeRates());
    try {
      Locale.setDefault(Locale.GERMANY);
      assertArrayEquals(root, CurveFormats.pngBytes(threeRates()),
          "the chart's labels changed with the default locale");
    } finally {
      Locale.setDefault(before);
    }
  }
}
