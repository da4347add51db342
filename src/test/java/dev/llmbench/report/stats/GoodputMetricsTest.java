package dev.llmbench.report.stats;

import static dev.llmbench.report.stats.ServingMetricsTest.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.metrics.Slo;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Goodput on {@link ServingMetricsTest#group()}: duration 1.5 s, six measured requests of which three
 * completed: r1 (TTFT 100, TPOT 100, E2E 400 ms, 4 tokens), r2 (TTFT 200, TPOT 100, E2E 600 ms, 5
 * tokens), r3 (TTFT 50, E2E 50 ms, one token: TPOT 0 for goodput); r4 to r6 failed.
 */
class GoodputMetricsTest {
  private static final double EPS = 1e-9;

  @Test
  void aKnownShareMissesAnObjective() {
    // r2 misses ttft:150; r1 meets tpot:100 exactly (s >= r); r3's one token meets any TPOT.
    GroupMetrics m = ServingMetrics.of("g", group(), Slo.parse("ttft:150,tpot:100"));
    assertEquals(2, m.goodput().goodRequests());
    assertEquals(2 / 1.5, m.goodput().requestGoodput(), EPS);
    assertEquals((4 + 1) / 1.5, m.goodput().outputTokenGoodput(), EPS, "output tokens of r1 and r3");
    assertEquals(2 / 6.0, m.goodput().sloAttainment(), EPS, "failed requests count as not good");
  }

  @Test
  void eachObjectiveOnItsOwn() {
    assertEquals(1, good("tpot:99.999"), "r1 and r2 miss it by a hair; r3 has one token");
    assertEquals(3, good("tpot:100"));
    assertEquals(2, good("e2el:400"), "r1 at its objective, r3; r2 took 600 ms");
    assertEquals(1, good("e2el:399.999"));
    assertEquals(3, good("ttft:200"));
    assertEquals(0, good("ttft:49"));
    assertEquals(3, good("ttft:1000000,tpot:1000000,e2el:1000000"), "all completed good: attainment 3/6");
  }

  @Test
  void noObjectivesNoGoodput() {
    assertNull(ServingMetrics.of("g", group()).goodput());
    assertFalse(ServingMetrics.of("g", group()).hasGoodput());
  }

  @Test
  void summarizeJudgesByTheObjectivesTheRunRecorded() {
    RunSummary s = ServingMetrics.summarize(metadata(Map.of("slo", "tpot:100,ttft:150")), group());
    assertEquals(2, s.groups().get(0).goodput().goodRequests());
    assertNull(ServingMetrics.summarize(metadata(Map.of()), group()).groups().get(0).goodput());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServingMetrics.summarize(metadata(Map.of("slo", "ttfb:1")), group()));
    assertTrue(e.getMessage().startsWith("llm-run.json: slo \"ttfb:1\" has unknown objective"), e.getMessage());
  }

  @Test
  void poolingRequestsMeetOnlyAnE2eObjective() {
    List<RequestResult> rows = new ArrayList<>();
    long s = 1_000_000_000L;
    // Two pooling requests of 8 items: 300 and 700 ms, sent at 1 s and 1.3 s (the group spans 1 s).
    rows.add(pooling("p1", s, 300_000));
    rows.add(pooling("p2", s + 3 * s / 10, 700_000));
    GroupMetrics m = ServingMetrics.of("p", rows, Slo.parse("ttft:1,tpot:1,e2el:500"));
    assertTrue(m.pooling());
    assertEquals(1, m.goodput().goodRequests(), "only p1 within 500 ms; TTFT and TPOT do not apply");
    assertEquals(0.5, m.goodput().sloAttainment(), EPS);
    assertEquals(1.0, m.goodput().requestGoodput(), EPS);
    assertNull(ServingMetrics.of("p", rows, Slo.parse("ttft:1000")).goodput(),
        "a pooling group without an E2E objective has nothing to judge");
  }

  private static RequestResult pooling(String id, long sentNanos, long e2eMicros) {
    return new RequestResult(id, "p", false, true, null, 200, 1_700_000_000_000_000L + sentNanos / 1_000,
        sentNanos, 40, 40, 0, 0, "usage", -1, e2eMicros, Double.NaN, new long[0], null, 0, 0, 8, null, null);
  }

  private static long good(String slo) {
    return ServingMetrics.of("g", group(), Slo.parse(slo)).goodput().goodRequests();
  }

  private static RunMetadata metadata(Map<String, String> parameters) {
    return RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m", "http://127.0.0.1:8000",
        "", parameters);
  }
}
