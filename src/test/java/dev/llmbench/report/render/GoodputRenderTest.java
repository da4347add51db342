package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Goodput in summary.json and the result block: its keys with objectives, none without. */
class GoodputRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;

  /** Two requests of 3 tokens, 1 s apart, each 500 ms long: TTFT 100 and 300 ms, TPOT 200 and 100 ms. */
  private static RunSummary summary(Map<String, String> parameters) {
    List<RequestResult> rows = List.of(
        new RequestResult("a", "g", false, true, null, 200, 1_700_000_000_000_000L, S, 10, 10, 3, 3, "usage",
            100_000, 500_000, 200_000, new long[] {200_000, 200_000}, null),
        new RequestResult("b", "g", false, true, null, 200, 1_700_000_001_000_000L, 2 * S, 10, 10, 3, 3, "usage",
            300_000, 500_000, 100_000, new long[] {100_000, 100_000}, null));
    return ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", parameters), rows);
  }

  private static JsonNode json(RunSummary s) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(s, out);
    return JSON.readTree(out.toString());
  }

  @Test
  void summaryJsonHasTheObjectivesAndEachGroupsGoodput() throws IOException {
    // ttft:200 is met by a only; duration 1.5 s (1 s to 2.5 s).
    JsonNode root = json(summary(Map.of("slo", "e2el:500,ttft:200")));
    assertEquals(200, root.get("slo").get("ttft_ms").asInt());
    assertEquals(500, root.get("slo").get("e2el_ms").asInt());
    assertNull(root.get("slo").get("tpot_ms"));
    JsonNode g = root.get("groups").get(0);
    assertEquals(1, g.get("good_requests").asInt());
    assertEquals(0.666667, g.get("request_goodput").asDouble(), 1e-9, "vLLM's key: 1 / 1.5 s");
    assertEquals(2.0, g.get("output_token_goodput").asDouble(), 1e-9, "3 tokens / 1.5 s");
    assertEquals(0.5, g.get("slo_attainment").asDouble());
  }

  @Test
  void withoutObjectivesNothingOfGoodputIsWritten() throws IOException {
    JsonNode root = json(summary(Map.of()));
    assertNull(root.get("slo"));
    JsonNode g = root.get("groups").get(0);
    for (String key : List.of("good_requests", "request_goodput", "output_token_goodput", "slo_attainment")) {
      assertNull(g.get(key), key);
    }
    GroupMetrics metrics = summary(Map.of()).groups().get(0);
    assertFalse(String.join("\n", ResultBlock.lines(summary(Map.of()).metadata(), metrics)).contains("Goodput"));
  }

  @Test
  void theResultBlockShowsGoodputAfterTheThroughput() {
    RunSummary s = summary(Map.of("slo", "tpot:150"));
    List<String> block = ResultBlock.lines(s.metadata(), s.groups().get(0));
    int throughput = block.indexOf("- Throughput: 1.33 req/s");
    assertTrue(throughput > 0, block.toString());
    assertEquals("- Request Goodput: 0.67 req/s (SLO attainment 50.00 %, 1 good)", block.get(throughput + 1));
  }
}
