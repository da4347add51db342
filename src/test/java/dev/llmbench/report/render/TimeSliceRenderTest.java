package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The steady state and time slices in summary.json, the result page and the console line. */
class TimeSliceRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;

  /** Four requests of 3 tokens, one every 0.5 s, each 1 s long: 1, 2, 2, 2 in flight at their sends. */
  private static RunSummary summary(Map<String, String> parameters) {
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(new RequestResult("r" + i, "g", false, true, null, 200, 1_700_000_000_000_000L + i * 500_000L,
          S + i * S / 2, 10, 10, 3, 3, "usage", 100_000, 1_000_000, 450_000, new long[] {450_000, 450_000}, null));
    }
    return ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", parameters), rows);
  }

  private static String render(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }

  @Test
  void summaryJsonHasTheSteadyStateAndTheSlicesWithTheirKeys() throws IOException {
    JsonNode g = JSON.readTree(render(summary(Map.of("sliceSec", "1.0")), ReportFormatType.JSON)).get("groups").get(0);
    JsonNode steady = g.get("steady_state");
    List<String> keys = new ArrayList<>();
    steady.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("start_s", "end_s", "plateau_in_flight", "requests", "completed", "request_throughput",
        "output_throughput", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms",
        "p99_tpot_ms", "mean_e2e_latency_ms", "median_e2e_latency_ms", "p99_e2e_latency_ms"), keys);
    assertEquals(0.5, steady.get("start_s").asDouble(), "the plateau of 2 is reached at the second send");
    assertEquals(1.5, steady.get("end_s").asDouble(), "the last send");
    assertEquals(3, steady.get("requests").asInt());
    assertEquals(2.0, steady.get("request_throughput").asDouble(), 1e-9, "r0 ends at 1 s, r1 at 1.5 s: 2 in 1 s");
    assertEquals(6.0, steady.get("output_throughput").asDouble(), 1e-9);

    JsonNode slices = g.get("time_slices");
    assertEquals(2, slices.size());
    List<String> sliceKeys = new ArrayList<>();
    slices.get(0).fieldNames().forEachRemaining(sliceKeys::add);
    assertEquals(List.of("index", "start_s", "end_s", "requests", "completed", "failed", "request_throughput",
        "output_throughput", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms",
        "p99_tpot_ms", "mean_itl_ms", "median_itl_ms", "p99_itl_ms", "mean_e2e_latency_ms", "median_e2e_latency_ms",
        "p99_e2e_latency_ms", "mean_in_flight"), sliceKeys);
    assertEquals(2, slices.get(0).get("requests").asInt());
    assertEquals(2, slices.get(1).get("requests").asInt());
    assertEquals(1, slices.get(1).get("index").asInt());
    assertEquals(450, slices.get(1).get("median_tpot_ms").asDouble(), 1e-9);
  }

  @Test
  void withoutSliceLengthOnlyTheSteadyState() throws IOException {
    JsonNode g = JSON.readTree(render(summary(Map.of()), ReportFormatType.JSON)).get("groups").get(0);
    assertNull(g.get("time_slices"));
    assertTrue(g.has("steady_state"));
    String html = render(summary(Map.of()), ReportFormatType.HTML);
    assertTrue(html.contains("<h3>Steady state</h3>"));
    assertFalse(html.contains("<h3>Time slices</h3>"));
  }

  @Test
  void theResultPageShowsBothTablesAndTheConsoleOneLine() throws IOException {
    RunSummary s = summary(Map.of("sliceSec", "1.0"));
    String html = render(s, ReportFormatType.HTML);
    assertTrue(html.contains("<th class=\"num\">Whole run</th><th class=\"num\">Steady state</th>"), html);
    assertTrue(html.contains("<h3>Time slices</h3>"));
    assertTrue(html.contains("0.50 s to 1.50 s from the group")
        && html.contains("3 requests sent within it, plateau 2"), html);
    assertEquals("- Steady State: 2.00 req/s, 6.00 tokens/s, Median TTFT 100.00 ms (0.50 s to 1.50 s, 3 requests)",
        ResultBlock.steadyState(s.groups().get(0), s.timeline("g")));
  }
}
