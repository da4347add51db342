package dev.llmbench.capacity;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.metrics.Slo;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step's verdict on hand-made rows: each objective's percentile, the error budget, a step cut short. */
class StepVerdictTest {
  private static final String G = "chat@concurrency=4";

  /** A completed request of 11 output tokens sent at {@code i} ms: TTFT and TPOT as given, in ms. */
  private static RequestResult ok(int i, double ttftMs, double tpotMs) {
    long ttft = Math.round(ttftMs * 1000);
    long e2e = ttft + Math.round(tpotMs * 1000 * 10);
    return new RequestResult("r" + i, G, false, true, null, 200, 1_000_000L + i * 1000L, 1_000_000_000L + i * 1_000_000L,
        32, 32, 11, 11, "usage", ttft, e2e, tpotMs * 1000, new long[10], null);
  }

  private static RequestResult failed(int i) {
    return new RequestResult("f" + i, G, false, false, "HTTP 500", 500, 1_000_000L + i * 1000L,
        1_000_000_000L + i * 1_000_000L, 32, 32, 11, 0, "events", -1, 1000, Double.NaN, new long[0], null);
  }

  /** 100 requests whose TPOT is 1, 2, ... 100 ms: its p99 is 99.01 ms (numpy's linear), its median 50.5. */
  private static List<RequestResult> tpotOneToHundred() {
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      rows.add(ok(i, 10, i));
    }
    return rows;
  }

  @Test
  void aStepPassesWhenThePercentileOfEachObjectiveIsWithinIt() {
    StepVerdict v = StepVerdict.judge(1, 4, G, 100, tpotOneToHundred(), Slo.parse("tpot:99.5,ttft:20"), 99, 0.01,
        false, null);
    assertTrue(v.passed(), v.misses().toString());
    assertEquals(99.01, v.measured().get("tpot"), 1e-9);
    assertEquals(10.0, v.measured().get("ttft"), 1e-9);
    assertNull(v.measured().get("e2el"), "only the objectives given are measured");
    assertNull(v.saturated(), "a concurrency step is not judged for over-saturation");
  }

  @Test
  void aStepMissesWhenOnePercentileIsAboveItsObjective() {
    StepVerdict v = StepVerdict.judge(1, 4, G, 100, tpotOneToHundred(), Slo.parse("tpot:99"), 99, 0.01, false, null);
    assertFalse(v.passed());
    assertEquals(List.of("p99 tpot 99.0 ms > 99 ms"), v.misses());
    // The same step at the median meets it.
    assertTrue(StepVerdict.judge(1, 4, G, 100, tpotOneToHundred(), Slo.parse("tpot:51"), 50, 0.01, false, null)
        .passed());
  }

  @Test
  void moreFailuresThanTheErrorBudgetFailTheStep() {
    List<RequestResult> rows = new ArrayList<>(tpotOneToHundred().subList(0, 98));
    rows.add(failed(99));
    rows.add(failed(100));
    StepVerdict v = StepVerdict.judge(1, 4, G, 100, rows, Slo.parse("tpot:1000"), 99, 0.01, false, null);
    assertFalse(v.passed());
    assertEquals(0.02, v.errorRate(), 1e-12);
    assertEquals(List.of("error rate 2.0 % > 1.0 %"), v.misses());
    assertTrue(StepVerdict.judge(1, 4, G, 100, rows, Slo.parse("tpot:1000"), 99, 0.05, false, null).passed());
  }

  @Test
  void aStepCutShortCountsItsUnsentRequestsAsFailed() {
    List<RequestResult> rows = tpotOneToHundred().subList(0, 60);
    StepVerdict v = StepVerdict.judge(1, 4, G, 100, rows, Slo.parse("tpot:1000"), 99, 0.01, false,
        "3 of 100 requests failed");
    assertFalse(v.passed());
    assertEquals(40, v.failed());
    assertTrue(v.misses().contains("stopped early: 3 of 100 requests failed"), v.misses().toString());
  }

  @Test
  void aStepThatCompletedNothingMisses() {
    StepVerdict v = StepVerdict.judge(1, 4, G, 2, List.of(failed(1), failed(2)), Slo.parse("ttft:100"), 99, 1, false,
        null);
    assertFalse(v.passed());
    assertTrue(v.misses().contains("no request completed"), v.misses().toString());
    assertTrue(v.misses().contains("p99 ttft not measured"), v.misses().toString());
  }
}
