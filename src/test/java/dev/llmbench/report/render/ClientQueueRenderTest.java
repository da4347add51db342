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
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Client queue time in summary.json (vLLM's keys), summary.csv and the result page: present when known, absent else. */
class ClientQueueRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;

  /** Two requests of E2E 500 ms that queued 100 and 300 ms (or whose queue is unknown: -1). */
  private static RunSummary summary(String rate, long queueA, long queueB) {
    List<RequestResult> rows = List.of(
        new RequestResult("a", "g", false, true, null, 200, 1_700_000_000_000_000L, S, 10, 10, 3, 3, "usage",
            100_000, 500_000, 200_000, new long[] {200_000, 200_000}, null).withQueueMicros(queueA),
        new RequestResult("b", "g", false, true, null, 200, 1_700_000_001_000_000L, 2 * S, 10, 10, 3, 3, "usage",
            300_000, 500_000, 100_000, new long[] {100_000, 100_000}, null).withQueueMicros(queueB));
    return ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", Map.of("requestRates", "[\"" + rate + "\"]")), rows);
  }

  private static String write(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }

  private static JsonNode group(RunSummary s) throws IOException {
    return JSON.readTree(write(s, ReportFormatType.JSON)).get("groups").get(0);
  }

  @Test
  void summaryJsonHasVllmsKeysForAFiniteRate() throws IOException {
    JsonNode g = group(summary("4.0", 100_000, 300_000));
    assertEquals(200.0, g.get("mean_client_queue_time_ms").asDouble(), 1e-9);
    assertEquals(200.0, g.get("median_client_queue_time_ms").asDouble(), 1e-9);
    assertEquals(100.0, g.get("std_client_queue_time_ms").asDouble(), 1e-9);
    assertEquals(298.0, g.get("p99_client_queue_time_ms").asDouble(), 1e-9, "numpy's linear percentile");
    assertEquals(700.0, g.get("mean_e2el_including_client_queue_ms").asDouble(), 1e-9, "500 + 200");
    assertEquals(798.0, g.get("p99_e2el_including_client_queue_ms").asDouble(), 1e-9);
    assertTrue(g.has("max_e2el_including_client_queue_ms"));
    assertEquals(500.0, g.get("mean_e2e_latency_ms").asDouble(), 1e-9, "E2E stays from the send");
  }

  @Test
  void anInfiniteRateHasTheQueueTimeOnly() throws IOException {
    JsonNode g = group(summary("inf", 100_000, 300_000));
    assertTrue(g.has("mean_client_queue_time_ms"), g.toString());
    assertFalse(g.has("mean_e2el_including_client_queue_ms"), g.toString());
  }

  @Test
  void unknownQueueTimesWriteNoKeyAndEmptyCsvCells() throws IOException {
    RunSummary s = summary("4.0", -1, -1);
    JsonNode g = group(s);
    g.fieldNames().forEachRemaining(k -> assertFalse(k.contains("client_queue"), k));
    CSVRecord row = CSVFormat.RFC4180.builder().setHeader().get().parse(new StringReader(write(s,
        ReportFormatType.CSV))).getRecords().get(0);
    assertEquals("", row.get("client_queue_time_ms_mean"));
    assertEquals("", row.get("e2el_including_client_queue_ms_p99"));
    assertNull(s.groups().get(0).clientQueueTimeMs());
  }

  @Test
  void csvAndPageShowThemWhenKnown() throws IOException {
    RunSummary s = summary("4.0", 100_000, 300_000);
    CSVRecord row = CSVFormat.RFC4180.builder().setHeader().get().parse(new StringReader(write(s,
        ReportFormatType.CSV))).getRecords().get(0);
    assertEquals(200.0, Double.parseDouble(row.get("client_queue_time_ms_mean")), 1e-9);
    assertEquals(700.0, Double.parseDouble(row.get("e2el_including_client_queue_ms_mean")), 1e-9);
    String html = write(s, ReportFormatType.HTML);
    int e2e = html.indexOf("E2E latency (ms)");
    int queue = html.indexOf("Client queue time (ms)");
    int withQueue = html.indexOf("E2E including client queue (ms)");
    assertTrue(e2e >= 0 && queue > e2e && withQueue > queue, "beside E2E, in that order");
  }
}
