package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * Goodput end to end: a smoke run against the embedded emulator with {@code -Dslo}, its objectives
 * recorded in {@code llm-run.json} and judged in {@code summary.json}, and the same run folder judged
 * again against other objectives by editing its recorded {@code slo}. No objective is a wall-clock
 * guess: they are either far beyond any latency (all good), below any TPOT of a 64-token answer (none
 * good), or the run's own median TTFT (a share computed from its side file).
 */
class GoodputRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A day, in ms: every request meets it. */
  private static final String ALL_GOOD = "ttft:86400000,e2el:86400000";

  @TempDir
  static Path work;

  private static GatlingRun.Outcome run;

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of("slo", ALL_GOOD), work.resolve("gatling"));
    assertEquals(0, run.exitCode());
  }

  @Test
  void theRunRecordsItsObjectivesAndEveryRequestMeetsObjectivesBeyondAnyLatency() throws IOException {
    JsonNode recorded = JSON.readTree(run.runFolder().resolve("llm-run.json").toFile());
    assertEquals("e2el:86400000,ttft:86400000", recorded.get("slo").asText(), "canonical: keys sorted");

    JsonNode summary = JSON.readTree(resultFolder().resolve("summary.json").toFile());
    assertEquals(86_400_000, summary.get("slo").get("ttft_ms").asLong());
    assertEquals(86_400_000, summary.get("slo").get("e2el_ms").asLong());
    assertNull(summary.get("slo").get("tpot_ms"), "an objective not given is absent");
    JsonNode g = summary.get("groups").get(0);
    long completed = run.measured().stream().filter(RequestResult::ok).count();
    assertEquals(run.measured().size(), completed, "the smoke run completes every request");
    assertEquals(completed, g.get("good_requests").asLong());
    assertEquals(1.0, g.get("slo_attainment").asDouble());
    assertEquals(g.get("request_throughput").asDouble(), g.get("request_goodput").asDouble(), 1e-6,
        "every completed request good: goodput is the throughput");
    assertEquals(g.get("output_throughput").asDouble(), g.get("output_token_goodput").asDouble(), 1e-6);

    String html = Files.readString(resultFolder().resolve("index.html"));
    assertTrue(html.contains("- Request Goodput: ") && html.contains("SLO attainment (0..1)"), "the result page");
    List<String> csv = Files.readAllLines(resultFolder().resolve("summary.csv"));
    List<String> header = List.of(csv.get(0).split(",", -1));
    List<String> row = List.of(csv.get(1).split(",", -1));
    int good = header.indexOf("good_requests");
    assertEquals(List.of(Long.toString(completed), g.get("request_goodput").asText(),
        g.get("output_token_goodput").asText(), "1"), row.subList(good, good + 4), csv.toString());
  }

  @Test
  void aRebuildFromTheRunFolderGivesTheSameGoodput() throws IOException {
    JsonNode written = JSON.readTree(resultFolder().resolve("summary.json").toFile()).get("groups").get(0);
    GroupMetrics again = PostRun.analyse(run.runFolder(), work, Instant.EPOCH).summary().groups().get(0);
    assertEquals(written.get("good_requests").asLong(), again.goodput().goodRequests());
    assertEquals(written.get("request_goodput").asDouble(), again.goodput().requestGoodput(), 1e-6);
  }

  @Test
  void aTpotObjectiveBelowAnyTokenGapIsMetByNoRequest() throws IOException {
    // 64 output tokens each, streamed over time: TPOT > 0, and vLLM's "0 for one token" does not apply.
    assertTrue(run.measured().stream().allMatch(r -> r.outputTokens() > 1 && r.tpotMicros() > 0.001),
        "every request has a positive TPOT above 1 ns");
    GroupMetrics g = judgedAgainst("none-good", "tpot:0.000001");
    assertEquals(0, g.goodput().goodRequests());
    assertEquals(0.0, g.goodput().sloAttainment());
    assertEquals(0.0, g.goodput().requestGoodput());
  }

  @Test
  void theRunsOwnMedianTtftSplitsItsRequestsAsTheSideFileSays() throws IOException {
    double[] ttftMs = run.measured().stream().mapToDouble(r -> r.ttftMicros() / 1_000.0).sorted().toArray();
    double median = ttftMs[ttftMs.length / 2];
    long expected = Arrays.stream(ttftMs).filter(t -> t <= median).count();
    assertTrue(expected > 0 && expected <= ttftMs.length, "a share of the requests: " + expected);
    GroupMetrics g = judgedAgainst("median", "ttft:" + median);
    assertEquals(expected, g.goodput().goodRequests());
    assertEquals((double) expected / ttftMs.length, g.goodput().sloAttainment(), 1e-12);
    long expectedTokens = run.measured().stream().filter(r -> r.ttftMicros() / 1_000.0 <= median)
        .mapToLong(RequestResult::outputTokens).sum();
    assertEquals(expectedTokens / g.durationSeconds(), g.goodput().outputTokenGoodput(), 1e-9);
    assertFalse(g.goodput().sloAttainment() == 0, "some requests met it");
  }

  /** The run folder copied with its recorded objectives replaced, and summarised again. */
  private static GroupMetrics judgedAgainst(String name, String slo) throws IOException {
    Path copy = work.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(run.runFolder())) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ObjectNode description = (ObjectNode) JSON.readTree(copy.resolve("llm-run.json").toFile());
    description.put("slo", slo);
    JSON.writeValue(copy.resolve("llm-run.json").toFile(), description);
    return PostRun.analyse(copy, work, Instant.EPOCH).summary().groups().get(0);
  }

  private static Path resultFolder() throws IOException {
    try (Stream<Path> s = Files.list(work.resolve("gatling").resolve("reports").resolve("emulator"))) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
