package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.PromptSizing;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check of planned against server-counted input tokens: its rule, and where it shows. */
class PromptSizingRenderTest {
  /** 10 requests, 1000 tokens planned, the server counting {@code server} (its template included). */
  private static RunSummary run(long server, Integer overhead) {
    Distribution d = new Distribution(10, 1, 1, 0, 1, 1, 1, 1);
    GroupMetrics g = new GroupMetrics("g", 10, 0, server, 1000, 10, 1, 1, 1, 1, 1, 1, 1, d, d, d, d, d, d, List.of());
    RunMetadata m = RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "random-256-256", "vllm", "openai-chat", "m",
        "http://127.0.0.1:8000", "", Map.of());
    RunSummary s = new RunSummary(m, List.of(g), List.of());
    return s.withPromptSizing(PromptSizing.of("server-tokenize", overhead, s.groups()));
  }

  @Test
  void theTemplateOverheadIsTakenOffAndFivePercentIsTheLimit() {
    assertFalse(run(1000 + 70 + 50, 7).promptSizing().warn(), "+5.0 % is within");
    assertTrue(run(1000 + 70 + 51, 7).promptSizing().warn(), "+5.1 % is not");
    assertTrue(run(1000 + 70 - 51, 7).promptSizing().warn(), "-5.1 % is not");
    assertEquals(0.0, run(1070, 7).promptSizing().deviation());
    assertNull(run(2500, null).promptSizing().deviation(), "no usage figure, no comparison");
    assertFalse(run(2500, null).promptSizing().warn());
  }

  @Test
  void theWarningIsInSummaryJsonAndOnTheResultPage() throws IOException {
    RunSummary off = run(2800, 0);
    String line = off.promptSizing().line();
    assertTrue(line.startsWith("WARN input tokens differ from the plan by more than 5 %: 1000 planned, 2800 counted"),
        line);
    JsonNode json = new ObjectMapper().readTree(write(off, ReportFormatType.JSON)).path("promptSizing");
    assertEquals("server-tokenize", json.path("method").asText());
    assertEquals(1000, json.path("inputTokensPlanned").asLong());
    assertEquals(2800, json.path("inputTokensServer").asLong());
    assertEquals(1.8, json.path("deviation").asDouble(), 1e-12);
    assertEquals(line, json.path("warning").asText());
    String html = write(off, ReportFormatType.HTML);
    String escaped = line.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    assertTrue(html.contains("<pre class=\"block prompt-warn\">" + escaped + "</pre>"), html);

    JsonNode fine = new ObjectMapper().readTree(write(run(1000, 0), ReportFormatType.JSON)).path("promptSizing");
    assertTrue(fine.path("warning").isNull(), fine.toString());
    assertTrue(write(run(1000, 0), ReportFormatType.HTML).contains("<pre class=\"block prompt-ok\">Input tokens: "));
  }

  private static String write(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }
}
