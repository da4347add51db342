package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code index.html} beyond its golden file (see {@link GoldenFilesTest}): what came from a server is
 * escaped, the page loads nothing from the network, and it is well-formed markup.
 */
class HtmlReportFormatTest {
  private static final String HOSTILE = "<script>alert(1)</script>&\"'";

  @Test
  void isWrittenToIndexHtml() {
    assertEquals("index.html", ReportFormatType.HTML.fileName());
  }

  @Test
  void escapesWhatCameFromTheServer() throws IOException {
    String html = render(hostileSummary());
    assertFalse(html.contains("<script"), "no script element may reach the page:\n" + html);
    assertFalse(html.contains(HOSTILE), html);
    String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;";
    assertTrue(html.contains("<title>LLM serving benchmark: vllm / smoke / model " + escaped + "</title>"), html);
    assertTrue(html.contains("<td class=\"message\">HTTP 500: " + escaped + "</td>"), html);
    assertTrue(html.contains("- Model: model " + escaped), html);
    assertTrue(html.contains("<h2>Group: group " + escaped + "</h2>"), html);
    assertTrue(html.contains("<th>param " + escaped + "</th><td>value " + escaped + "</td>"), html);
    assertTrue(html.contains("<th>Server hardware</th><td>server " + escaped + "</td>"), "-Dserver.hardware: " + html);
    assertWellFormed(html);
  }

  @Test
  void loadsNothingFromTheNetwork() throws IOException {
    for (RunSummary s : List.of(GoldenFilesTest.fixedSummary(), hostileSummary())) {
      String html = render(s);
      for (String forbidden : List.of("<script", "<link", "<img", "<iframe", "<object", "<embed", "src=", "href=",
          "url(", "@import", "@font-face")) {
        assertFalse(html.toLowerCase(Locale.ROOT).contains(forbidden), "index.html holds " + forbidden);
      }
      assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "the CSP is set");
      assertTrue(html.contains("<style>"), "inline CSS");
    }
  }

  @Test
  void theGoldenSummaryIsWellFormedWithOneBlockAndThreeChartsPerGroup() throws IOException {
    RunSummary s = GoldenFilesTest.fixedSummary();
    String html = render(s);
    assertWellFormed(html);
    assertEquals(s.groups().size(), count(html, "Benchmark Results:"));
    assertEquals(s.groups().size(), count(html, "- VRAM Peak: n/a"));
    // Per group: 3 charts of summary statistics (6 bars each) and 3 histograms (20 bins, then one
    // bar for the values above p99).
    assertEquals(6 * s.groups().size(), count(html, "<svg "));
    assertEquals((6 * 3 + 20 * 3) * s.groups().size(), count(html, "<rect class=\"bar\""));
    assertEquals(3 * s.groups().size(), count(html, "<rect class=\"bar over\""));
    GroupMetrics g = s.groups().get(0);
    assertTrue(html.contains("- Median TTFT: " + String.format(Locale.ROOT, "%.2f", g.ttftMs().median()) + " ms"));
  }

  @Test
  void anEmptyDistributionHasNoChartAndAGroupWithoutErrorsSaysNone() throws IOException {
    GroupMetrics g = new GroupMetrics("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Distribution.EMPTY, Distribution.EMPTY,
        Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, List.of());
    RunSummary s = new RunSummary(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "", "openai", "m", "", "",
        Map.of()), List.of(g), List.of());
    String html = render(s);
    assertWellFormed(html);
    assertEquals(0, count(html, "<svg "));
    assertEquals(6, count(html, "<p class=\"none\">no values</p>"), "3 charts and 3 histograms say so");
    assertTrue(html.contains("<h2>Group: (no group)</h2>"));
    assertTrue(html.contains("- Profile: smoke"));
    assertTrue(html.contains("<title>LLM serving benchmark: unknown / smoke / m</title>"));
    assertFalse(html.contains("Server hardware"), "no row for a label not given");
  }

  @Test
  void theValiditySectionSaysClientBoundWithItsReasonsOrUnknown() throws IOException {
    RunSummary s = GoldenFilesTest.fixedSummary();
    String html = render(s);
    assertTrue(html.contains("<pre class=\"block client-bound\">Validity: CLIENT-BOUND"), "a plain warning");
    for (String reason : s.validity().reasons()) {
      assertTrue(html.contains("- " + reason.replace(">", "&gt;")), "each reason on the page, escaped: " + reason);
    }
    assertTrue(html.contains("<tr><th>validity.cpu.share</th><td class=\"num\">0.9</td></tr>"), "the thresholds");
    String unknown = render(s.withValidity(null));
    assertWellFormed(unknown);
    assertTrue(unknown.contains("<pre class=\"block unknown\">Validity: unknown (no self-monitor figures"),
        "a run folder without figures says the verdict is unknown");
    assertEquals(0, count(unknown, "Self-monitor over the load window"));
  }

  private static RunSummary hostileSummary() {
    Distribution d = new Distribution(1, 12.5, 12.5, 0, 12.5, 12.5, 12.5, 12.5);
    GroupMetrics g = new GroupMetrics("group " + HOSTILE, 1, 2, 10, 10, 1, 1.5, 0.666667, 6.666667, 0.666667,
        7.333333, 0.008333, 0.666667, d, Distribution.EMPTY, Distribution.EMPTY, d, Distribution.EMPTY,
        new Distribution(1, 1, 1, 0, 1, 1, 1, 1), List.of(new ErrorCount("HTTP 500: " + HOSTILE, 2)));
    RunMetadata m = RunMetadata.of("run-" + HOSTILE, "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat",
        "model " + HOSTILE, "http://127.0.0.1:8000/" + HOSTILE, "server " + HOSTILE,
        Map.of("param " + HOSTILE, "value " + HOSTILE));
    return new RunSummary(m, List.of(g), List.of());
  }

  private static String render(RunSummary s) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(s, out);
    return out.toString();
  }

  /** Parses the page as XML: it is written so that it is, and a broken escape would break it. */
  private static void assertWellFormed(String html) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("index.html is not well-formed: " + e.getMessage() + "\n" + html, e);
    }
  }

  private static int count(String text, String part) {
    return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
  }
}
