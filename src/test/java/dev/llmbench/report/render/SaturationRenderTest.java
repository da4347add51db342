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

/** The over-saturation verdict in summary.json, on the result page and in the console line. */
class SaturationRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * 100 requests, one every {@code gapSec}, to a server that serves one at a time in 0.2 s (TTFT: the
   * wait for it plus 10 ms). At a gap of 0.05 s the arrivals come four times faster than it serves.
   */
  private static RunSummary summary(double gapSec, String rates) {
    List<RequestResult> rows = new ArrayList<>();
    double free = 0;
    for (int i = 0; i < 100; i++) {
      double a = i * gapSec;
      double start = Math.max(a, free);
      free = start + 0.2;
      long ttft = Math.round((start - a + 0.01) * 1e6);
      long e2e = Math.round((free - a) * 1e6);
      long sent = Math.round(a * 1e9);
      rows.add(new RequestResult("r" + i, "g", false, true, null, 200, 1_700_000_000_000_000L + sent / 1_000,
          1_000_000_000L + sent, 10, 10, 3, 3, "usage", ttft, e2e, (e2e - ttft) / 2.0, new long[0], null));
    }
    return ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", rates == null ? Map.of() : Map.of("requestRates", rates)), rows);
  }

  private static String render(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }

  @Test
  void anOverloadedGroupSaysSinceWhenEverywhere() throws IOException {
    RunSummary s = summary(0.05, "[\"20.0\"]");
    JsonNode sat = JSON.readTree(render(s, ReportFormatType.JSON)).get("groups").get(0).get("saturation");
    List<String> keys = new ArrayList<>();
    sat.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("saturated", "since_s", "window_s", "windows", "rising_windows", "fit_from_s", "fit_to_s",
        "in_flight_slope_per_s", "in_flight_slope_per_s_ci95_low", "in_flight_slope_per_s_ci95_high",
        "in_flight_slope_per_s_points", "ttft_slope_ms_per_s", "ttft_slope_ms_per_s_ci95_low",
        "ttft_slope_ms_per_s_ci95_high", "ttft_slope_ms_per_s_points"), keys);
    assertTrue(sat.get("saturated").asBoolean());
    assertEquals(0, sat.get("since_s").asDouble(), 1e-9, "overloaded from the first send");
    // 20 arrive and 5 end per second: 15 more in flight each second; each waits 0.15 s more than the one before
    // it per 0.05 s of sends: TTFT rises 3000 ms per second
    assertEquals(15, sat.get("in_flight_slope_per_s").asDouble(), 1);
    assertEquals(3000, sat.get("ttft_slope_ms_per_s").asDouble(), 10);
    assertEquals(100, sat.get("ttft_slope_ms_per_s_points").asInt());

    String line = ResultBlock.saturation(s.timeline("g"));
    assertTrue(line.startsWith("- OVER-SATURATED: the server fell behind the arrivals from 0.00 s"), line);
    assertTrue(line.contains("in flight +1"), line);
    String html = render(s, ReportFormatType.HTML);
    assertTrue(html.contains("<h3>Over-saturation</h3>"));
    assertTrue(html.contains("<strong>Over-saturated:</strong> the server fell behind the arrivals from 0.00 s"));
  }

  @Test
  void aComfortableGroupIsJudgedButNotFlagged() throws IOException {
    RunSummary s = summary(0.5, "[\"2.0\"]");
    JsonNode sat = JSON.readTree(render(s, ReportFormatType.JSON)).get("groups").get(0).get("saturation");
    assertFalse(sat.get("saturated").asBoolean());
    assertTrue(sat.get("since_s").isNull());
    assertNull(ResultBlock.saturation(s.timeline("g")), "no console line");
    String html = render(s, ReportFormatType.HTML);
    assertTrue(html.contains("not over-saturated: in-flight requests and TTFT did not both rise"), html);
    assertFalse(html.contains("<strong>Over-saturated:</strong>"));
  }

  @Test
  void aClosedModelGroupHasNoVerdict() throws IOException {
    RunSummary s = summary(0.05, "[\"inf\"]");
    assertNull(JSON.readTree(render(s, ReportFormatType.JSON)).get("groups").get(0).get("saturation"));
    assertNull(ResultBlock.saturation(s.timeline("g")));
    assertFalse(render(s, ReportFormatType.HTML).contains("<h3>Over-saturation</h3>"));
  }
}
