package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerHealth;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ValidityCheck;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict in summary.json (the contract baselines read), in summary.csv and in the console's result block. */
class ValidityRenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(RunSummary s) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(s, out);
    return JSON.readTree(out.toString());
  }

  @Test
  void summaryJsonCarriesTheVerdictReasonsThresholdsAndFigures() throws IOException {
    RunSummary s = GoldenFilesTest.fixedSummary();
    JsonNode v = json(s).get("validity");
    assertEquals("client-bound", v.get("verdict").asText());
    assertEquals(s.validity().reasons().size(), v.get("reasons").size());
    for (int i = 0; i < s.validity().reasons().size(); i++) {
      assertEquals(s.validity().reasons().get(i), v.get("reasons").get(i).asText());
    }
    assertFalse(v.get("strict").asBoolean());
    assertEquals(ValidityThresholds.DEFAULTS.cpuShare(), v.get("thresholds").get("validity.cpu.share").asDouble());
    JsonNode m = v.get("monitor");
    assertEquals(s.validity().monitor().wallNanos(), m.get("wallNanos").asLong());
    assertEquals(s.validity().monitor().processCpuNanos(), m.get("processCpuNanos").asLong());
    assertTrue(m.get("machineCpuLoad").isNull(), "unknown machine load is null");
  }

  @Test
  void aSummaryWithoutFiguresHasNoValidityObject() throws IOException {
    JsonNode root = json(GoldenFilesTest.fixedSummary().withValidity(null));
    assertNull(root.get("validity"), "absent, not guessed, when the run folder has no self-monitor figures");
    assertTrue(root.get("groups").size() > 0);
  }

  @Test
  void summaryCsvEndsEachRowWithTheVerdictOrNothingWhenUnknown() throws IOException {
    // The verdict ends the columns of before goodput; the four goodput columns follow it.
    String goodput = ",good_requests,request_goodput_req_s,output_token_goodput_tok_s,slo_attainment";
    for (RunSummary s : List.of(GoldenFilesTest.fixedSummary(), GoldenFilesTest.fixedSummary().withValidity(null))) {
      StringWriter out = new StringWriter();
      ReportFormatFactory.create(ReportFormatType.CSV).write(s, out);
      List<String> lines = out.toString().lines().toList();
      assertTrue(lines.get(0).contains(",validity" + goodput + ","), lines.get(0));
      int validity = List.of(lines.get(0).split(",", -1)).indexOf("validity");
      String expected = s.validity() == null ? "" : "client-bound";
      assertEquals(1 + s.groups().size(), lines.size());
      for (String row : lines.subList(1, lines.size())) {
        String[] cells = row.split(",", -1);
        assertEquals(expected, cells[validity], "the verdict before the goodput columns: " + row);
      }
    }
  }


  @Test
  void theConsoleSaysValidUnknownOrClientBoundWithOneLinePerReason() {
    assertEquals(List.of("Validity: unknown (no self-monitor figures in this run folder)"), ResultBlock.validity(null));
    MonitorFigures calm = new MonitorFigures(10_000_000_000L, 4_000_000_000L, 2, 0.3, 10_000, 4, 4_000, 150, 3_250,
        9_000, 200_000, 90, 1_150, 4_300, 0, 0, 0, 0, 1, 8, 8, 1, 8);
    assertEquals(List.of("Validity: valid (event-loop lag p99 3.250 ms, read lag p99 1.150 ms, send lag p99 n/a, "
        + "longest GC pause 8 ms, process CPU 20.0% of 2 cores)"),
        ResultBlock.validity(ValidityCheck.judge(calm, ValidityThresholds.DEFAULTS, false)));
    Validity bound = GoldenFilesTest.fixedSummary().validity();
    List<String> lines = ResultBlock.validity(bound);
    assertTrue(lines.get(0).startsWith("Validity: CLIENT-BOUND: "), lines.get(0));
    assertEquals(1 + bound.reasons().size(), lines.size());
    for (int i = 0; i < bound.reasons().size(); i++) {
      assertEquals("- " + bound.reasons().get(i), lines.get(i + 1));
    }
    Validity strict = ValidityCheck.judge(bound.monitor(), bound.thresholds(), true);
    assertTrue(ResultBlock.validity(strict).get(0).endsWith("(validity.strict=true: the run fails)"));
  }

  @Test
  void aServerFailingRunSaysSoAndCarriesItsRequestCounts() throws IOException {
    RunSummary fixed = GoldenFilesTest.fixedSummary();
    Validity bound = fixed.validity();
    ServerHealth tripped = new ServerHealth("10 connection failures in a row (breaker.consecutive.failures=10), the "
        + "last: cannot connect", "2026-12-06T02:41:15Z", 3_000, 128, 2_872, 128, 40);
    Validity failing = ValidityCheck.judge(bound.monitor(), bound.thresholds(), false, tripped);
    List<String> lines = ResultBlock.validity(failing);
    assertTrue(lines.get(0).startsWith("Validity: SERVER-FAILING: the server failed during the run; these figures "
        + "describe its failure, not its serving (event-loop lag p99 "), lines.get(0));
    assertEquals(List.of("- circuit breaker tripped at 2026-12-06T02:41:15Z: 10 connection failures in a row "
        + "(breaker.consecutive.failures=10), the last: cannot connect", "- 2872 of 3000 requests not sent (128 sent)"),
        lines.subList(1, lines.size()));
    JsonNode v = json(fixed.withValidity(failing)).get("validity");
    assertEquals("server-failing", v.get("verdict").asText());
    JsonNode r = v.get("requests");
    assertEquals(3_000, r.get("planned").asLong());
    assertEquals(128, r.get("sent").asLong());
    assertEquals(2_872, r.get("notSent").asLong());
    assertEquals(40, r.get("connectionFailures").asLong());
    assertTrue(r.get("breakerTripped").asBoolean());
    assertEquals("2026-12-06T02:41:15Z", r.get("trippedAt").asText());
    assertNull(json(fixed).get("validity").get("requests"), "absent for a run from before the breaker");
  }
}
