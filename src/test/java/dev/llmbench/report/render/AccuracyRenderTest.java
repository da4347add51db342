package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.metrics.Wilson;
import dev.llmbench.report.model.Accuracy;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accuracy gate's result in summary.json and on the result page, and its one line. */
class AccuracyRenderTest {
  private static final int QUESTIONS = 200;
  private static final double THRESHOLD = 0.8;

  private static RunSummary run(int correct) {
    Distribution d = new Distribution(10, 1, 1, 0, 1, 1, 1, 1);
    GroupMetrics g = new GroupMetrics("g", 10, 0, 1000, 1000, 10, 1, 1, 1, 1, 1, 1, 1, d, d, d, d, d, d, List.of());
    RunMetadata m = RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "random-256-256", "vllm", "openai-chat", "m",
        "http://127.0.0.1:8000", "", Map.of());
    Wilson.Interval ci = Wilson.interval95(correct, QUESTIONS);
    double accuracy = (double) correct / QUESTIONS;
    return new RunSummary(m, List.of(g), List.of()).withAccuracy(new Accuracy("gsm8k", QUESTIONS, 5, 512, 32,
        correct, 3, 1, accuracy, ci.low(), ci.high(), THRESHOLD, accuracy >= THRESHOLD, 41.25));
  }

  @Test
  void theLineSaysScoreIntervalThresholdAndQuestions() {
    Accuracy failed = run(124).accuracy();
    assertEquals(String.format(Locale.ROOT, "accuracy gate FAILED: gsm8k 0.62 (95 %% CI %.2f\u2013%.2f) < threshold "
        + "0.80 over 200 questions", failed.ciLow(), failed.ciHigh()), failed.line());
    assertTrue(run(190).accuracy().line().startsWith("accuracy gate passed: gsm8k 0.95 (95 % CI "));
  }

  @Test
  void summaryJsonAndThePageCarryIt() throws IOException {
    RunSummary failed = run(124);
    JsonNode json = new ObjectMapper().readTree(write(failed, ReportFormatType.JSON)).path("accuracy");
    assertEquals("gsm8k", json.path("benchmark").asText());
    assertEquals(QUESTIONS, json.path("questions").asInt());
    assertEquals(124, json.path("correct").asInt());
    assertEquals(3, json.path("invalid").asInt());
    assertEquals(1, json.path("errors").asInt());
    assertEquals(failed.accuracy().ciLow(), json.path("ci95Low").asDouble(), 1e-6);
    assertEquals(THRESHOLD, json.path("threshold").asDouble());
    assertFalse(json.path("passed").asBoolean());
    String html = write(failed, ReportFormatType.HTML);
    assertTrue(html.contains("<pre class=\"block client-bound\">" + failed.accuracy().line().replace("<", "&lt;")),
        "red on the page");

    RunSummary none = new RunSummary(failed.metadata(), failed.groups(), failed.requests());
    assertFalse(new ObjectMapper().readTree(write(none, ReportFormatType.JSON)).has("accuracy"), "absent without a gate");
  }

  private static String write(RunSummary s, ReportFormatType type) throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(type).write(s, out);
    return out.toString();
  }
}
