package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.input.CapacityFile;
import dev.llmbench.report.model.CapacitySearchResult;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A capacity search in summary.json, on the result page, in capacity.csv and on the console. */
class CapacityRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURE = Path.of("src/test/resources/dev/llmbench/report/capacity/capacity.json");

  private static String render(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }

  private static RunSummary withSearch() throws IOException {
    return GoldenFilesTest.fixedSummary().withCapacity(CapacityFile.read(FIXTURE));
  }

  @Test
  void summaryJsonHasTheSearchInSnakeCase() throws IOException {
    RunSummary s = withSearch();
    CapacitySearchResult c = s.capacity();
    JsonNode capacity = JSON.readTree(render(s, ReportFormatType.JSON)).get("capacity");
    List<String> keys = new ArrayList<>();
    capacity.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("search", "answer", "failed_at", "bracket_share", "stop", "passed_at_or_below",
        "failed_above", "tolerance", "headline", "steps"), keys);
    assertEquals(c.answer(), capacity.get("answer").asDouble());
    assertEquals(c.failedAt(), capacity.get("failed_at").asDouble());
    assertEquals(c.headline(), capacity.get("headline").asText());
    assertEquals(c.steps().size(), capacity.get("steps").size());
    JsonNode step = capacity.get("steps").get(1);
    CapacitySearchResult.Step expected = c.steps().get(1);
    List<String> stepKeys = new ArrayList<>();
    step.fieldNames().forEachRemaining(stepKeys::add);
    assertEquals(List.of("step", "rate", "group", "passed", "planned", "completed", "failed", "error_rate",
        "request_throughput", "output_throughput", "percentile", "p50_tpot_ms", "saturated", "stopped_early",
        "misses"), stepKeys);
    assertEquals(expected.load(), step.get("rate").asDouble());
    assertEquals(expected.measuredMs().get("tpot"), step.get("p50_tpot_ms").asDouble());
    assertEquals(expected.stoppedEarly(), step.get("stopped_early").asText());
    assertEquals(expected.misses().size(), step.get("misses").size());
    assertNull(JSON.readTree(render(GoldenFilesTest.fixedSummary(), ReportFormatType.JSON)).get("capacity"),
        "no search, no object");
  }

  @Test
  void thePageHasTheSectionWithTheHeadlineInBoldAndARowPerStep() throws IOException {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY); // the page's numbers stay Locale.ROOT's
    try {
      RunSummary s = withSearch();
      CapacitySearchResult c = s.capacity();
      String html = render(s, ReportFormatType.HTML);
      assertTrue(html.contains("<h2>Capacity search</h2>"));
      assertTrue(html.contains("<p><strong>" + c.headline() + "</strong></p>"), "the headline in bold");
      assertTrue(html.contains("<th>Step</th>".replace("<th>", "<th class=\"num\">")
          + "<th class=\"num\">Rate (req/s)</th><th>Group</th><th>Objectives</th><th class=\"num\">p50 TPOT (ms)</th>"
          + "<th class=\"num\">Request throughput (req/s)</th><th class=\"num\">Output throughput (tokens/s)</th>"
          + "<th>Why it missed</th>"), "the columns, the load with its unit");
      long passed = c.steps().stream().filter(CapacitySearchResult.Step::passed).count();
      assertEquals(passed, count(html, "<tr class=\"passed\">"), "passed rows marked");
      assertEquals(c.steps().size() - passed, count(html, "<tr class=\"missed\">"));
      CapacitySearchResult.Step missed = c.steps().get(1);
      assertTrue(html.contains("<td>" + missed.group() + "</td><td>missed</td><td class=\"num\">"
          + HtmlReportFormat.fixed(missed.measuredMs().get("tpot")) + "</td>"), "the measured percentile");
      assertTrue(html.contains(String.join("; ", missed.misses()).replace(">", "&gt;")), "why it missed, escaped");
      assertFalse(render(GoldenFilesTest.fixedSummary(), ReportFormatType.HTML).contains("Capacity search"));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aConcurrencySearchNamesItsLoadConcurrency() throws IOException {
    CapacitySearchResult rate = CapacityFile.read(FIXTURE);
    CapacitySearchResult c = new CapacitySearchResult(CapacitySearchResult.CONCURRENCY, rate.answer(),
        rate.failedAt(), rate.bracketShare(), rate.stop(), rate.passedAtOrBelow(), rate.failedAbove(),
        rate.tolerance(), rate.headline(), rate.steps());
    String html = render(GoldenFilesTest.fixedSummary().withCapacity(c), ReportFormatType.HTML);
    assertTrue(html.contains("<th class=\"num\">Concurrency</th>"), "no unit for streams");
  }

  @Test
  void theCsvHasTheStepsTable() throws IOException {
    CapacitySearchResult c = CapacityFile.read(FIXTURE);
    StringWriter out = new StringWriter();
    CapacityFormats.csv(c, out);
    List<String> lines = out.toString().lines().toList();
    assertEquals("step,rate,group,passed,completed,failed,error_rate,request_throughput,output_throughput,"
        + "p50_tpot_ms,saturated,misses", lines.get(0));
    assertEquals(c.steps().size() + 1, lines.size());
    CapacitySearchResult.Step first = c.steps().get(0);
    assertEquals(String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%s,", first.step(),
        dev.llmbench.io.Numbers.decimal(first.load()), first.group(), first.passed(), first.completed(),
        first.failed(), first.errorRate(), first.requestThroughput(), first.outputThroughput(),
        first.measuredMs().get("tpot"), first.saturated()), lines.get(1));
  }

  @Test
  void theConsoleLineIsTheHeadline() throws IOException {
    CapacitySearchResult c = CapacityFile.read(FIXTURE);
    assertEquals("Capacity: " + c.headline(), CapacityFormats.console(c));
  }

  private static long count(String s, String part) {
    long n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
