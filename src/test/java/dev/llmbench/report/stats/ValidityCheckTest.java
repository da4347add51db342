package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.ServerHealth;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict on hand-made figures: each threshold alone, at and beyond its limit. */
class ValidityCheckTest {
  private static final ValidityThresholds LIMITS = new ValidityThresholds(20, 5, 10, 50, 0.8);

  /** Figures well inside {@link #LIMITS}: 2 cores, 10 s, 40% CPU. */
  private static MonitorFigures calm() {
    return figures(4_000, 2_000, 60, 0.4);
  }

  private static MonitorFigures figures(long loopP99Micros, long sendP99Micros, long gcMaxMs, double cpuShare) {
    return figures(loopP99Micros, 1_500, sendP99Micros, gcMaxMs, cpuShare);
  }

  private static MonitorFigures figures(long loopP99Micros, long readP99Micros, long sendP99Micros, long gcMaxMs,
      double cpuShare) {
    return figures(4, loopP99Micros, readP99Micros, sendP99Micros, gcMaxMs, cpuShare);
  }

  /** Figures of a run whose timers fired on {@code eventLoops} loops. */
  private static MonitorFigures figures(int eventLoops, long loopP99Micros, long readP99Micros, long sendP99Micros,
      long gcMaxMs, double cpuShare) {
    long wall = 10_000_000_000L;
    return new MonitorFigures(wall, Math.round(cpuShare * wall * 2), 2, 0.5, 10_000, eventLoops, 4_000, 100,
        loopP99Micros, loopP99Micros + 1_000, 250_000, 80, readP99Micros, readP99Micros + 2_000, 32, 500, sendP99Micros,
        sendP99Micros + 100, 3, gcMaxMs + 10, gcMaxMs, 3, gcMaxMs + 10);
  }

  @Test
  void figuresInsideEveryLimitAreValid() {
    Validity v = ValidityCheck.judge(figures(4_000, 2_000, 30, 0.4), LIMITS, false);
    assertEquals(Validity.Verdict.VALID, v.verdict());
    assertEquals(List.of(), v.reasons());
    assertEquals("valid", v.verdict().wireName());
  }

  @Test
  void aFigureEqualToItsLimitIsStillValid() {
    Validity v = ValidityCheck.judge(figures(20_000, 5_000, 10_000, 50, 0.8), LIMITS, false);
    assertEquals(Validity.Verdict.VALID, v.verdict(), v.reasons().toString());
  }

  @Test
  void loopLagBeyondItsLimit() {
    Validity v = ValidityCheck.judge(figures(20_001, 2_000, 30, 0.4), LIMITS, true);
    assertEquals("client-bound", v.verdict().wireName());
    assertEquals(List.of("event-loop timer lag p99 20.001 ms > validity.loop.lag.ms=20 (max 21.001 ms; 4000 firings "
        + "on 4 loops)"), v.reasons());
    assertTrue(v.strict());
  }

  /** Up to 64 streams are read on one loop (StreamLoops.USERS_PER_LOOP), and the line says so in the singular. */
  @Test
  void loopLagOnOneLoop() {
    Validity v = ValidityCheck.judge(figures(1, 30_000, 1_500, 2_000, 30, 0.4), LIMITS, false);
    assertEquals(List.of("event-loop timer lag p99 30.000 ms > validity.loop.lag.ms=20 (max 31.000 ms; 4000 firings "
        + "on 1 loop)"), v.reasons());
  }

  @Test
  void readLagBeyondItsLimit() {
    Validity v = ValidityCheck.judge(figures(4_000, 7_250, 2_000, 30, 0.4), LIMITS, false);
    assertEquals(List.of("read lag p99 7.250 ms > validity.read.lag.ms=5 (max 9.250 ms; 250000 reads)"), v.reasons());
  }

  @Test
  void readLagWithoutReadsIsNotJudged() {
    MonitorFigures noStreams = new MonitorFigures(1_000_000_000L, 100_000_000L, 2, Double.NaN, 10_000, 2, 100, 100,
        200, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    Validity v = ValidityCheck.judge(noStreams, new ValidityThresholds(20, 0, 10, 50, 0.8), false);
    assertEquals(Validity.Verdict.VALID, v.verdict(), "a zero read-lag limit with no stream read: " + v.reasons());
  }

  @Test
  void sendLagBeyondItsLimit() {
    Validity v = ValidityCheck.judge(figures(4_000, 12_500, 30, 0.4), LIMITS, false);
    assertEquals(List.of("send lag p99 12.500 ms > validity.send.lag.ms=10 (max 12.600 ms; 32 scheduled requests)"),
        v.reasons());
  }

  @Test
  void sendLagWithoutScheduledRequestsIsNotJudged() {
    MonitorFigures closed = new MonitorFigures(1_000_000_000L, 100_000_000L, 2, Double.NaN, 10_000, 2, 100, 100, 200,
        300, 5_000, 50, 400, 900, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    Validity v = ValidityCheck.judge(closed, new ValidityThresholds(20, 5, 0, 50, 0.8), false);
    assertEquals(Validity.Verdict.VALID, v.verdict(), "a zero send-lag limit with nothing scheduled: " + v.reasons());
  }

  @Test
  void gcPauseBeyondItsLimit() {
    Validity v = ValidityCheck.judge(figures(4_000, 2_000, 51, 0.4), LIMITS, false);
    assertEquals(List.of("longest GC pause 51 ms > validity.gc.pause.ms=50 (3 pauses, 61 ms in all)"), v.reasons());
  }

  @Test
  void cpuShareBeyondItsLimit() {
    Validity v = ValidityCheck.judge(figures(4_000, 2_000, 30, 0.95), LIMITS, false);
    assertEquals(List.of("load-generator process CPU 95.0% of 2 cores > validity.cpu.share=0.8 (machine 50.0%)"),
        v.reasons());
  }

  @Test
  void everyCrossedLimitIsOneReasonInAFixedOrder() {
    Validity v = ValidityCheck.judge(figures(90_000, 90_000, 90_000, 900, 0.99), LIMITS, false);
    assertEquals(5, v.reasons().size(), v.reasons().toString());
    List<String> props = List.of("validity.loop.lag.ms", "validity.read.lag.ms", "validity.send.lag.ms",
        "validity.gc.pause.ms", "validity.cpu.share");
    for (int i = 0; i < props.size(); i++) {
      assertTrue(v.reasons().get(i).contains(props.get(i)), v.reasons().get(i));
    }
  }

  @Test
  void defaultsPassCalmFiguresAndMachineLoadIsNeverAReason() {
    MonitorFigures busyMachine = new MonitorFigures(10_000_000_000L, 4_000_000_000L, 2, 1.0, 10_000, 4, 4_000, 100,
        4_000, 9_000, 100_000, 100, 1_200, 6_000, 0, 0, 0, 0, 1, 8, 8, 1, 8);
    assertEquals(Validity.Verdict.VALID, ValidityCheck.judge(busyMachine, ValidityThresholds.DEFAULTS, false).verdict(),
        "other processes' load is shown, not judged: the loop lag shows what it did to the client");
    assertEquals(Validity.Verdict.VALID, ValidityCheck.judge(calm(), ValidityThresholds.DEFAULTS, false).verdict());
  }

  @Test
  void figuresAndThresholdsAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ValidityThresholds(20, 5, 10, 50, 0));
    assertEquals("validity.cpu.share must be in (0, 1], but was 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ValidityThresholds(-1, 5, 10, 50, 0.5));
    assertEquals("validity.loop.lag.ms must be a finite number of ms >= 0, but was -1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ValidityThresholds(20, Double.NaN, 10, 50, 0.5));
    assertEquals("validity.read.lag.ms must be a finite number of ms >= 0, but was NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MonitorFigures(1, 1, 2, 0.5, 10_000, 1, 3, 500, 400,
        900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertEquals("loopLag figures must satisfy 0 <= p50 <= p99 <= max, but were 500, 400, 900 µs", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MonitorFigures(1, 1, 2, 0.5, 10_000, 1, 0, 0, 0,
        0, 0, 0, 0, 700, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertEquals("readLag has no samples but a max of 700 µs", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Validity(Validity.Verdict.CLIENT_BOUND, List.of(),
        false, LIMITS, calm()));
    assertEquals("a client-bound verdict must have at least one reason, but had []", e.getMessage());
  }

  @Test
  void processCpuShareIsCpuOverWallTimesCores() {
    MonitorFigures m = new MonitorFigures(2_000_000_000L, 3_000_000_000L, 2, Double.NaN, 10_000, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertEquals(0.75, m.processCpuShare(), 1e-12);
  }

  /**
   * A dead server is refused thousands of times a second, which costs the client CPU and loop lag:
   * those figures are over every limit here, and the verdict is still server-failing, never client-bound.
   */
  @Test
  void aServerThatFailedIsServerFailingWhateverTheClientsFigures() {
    MonitorFigures saturated = figures(90_000, 90_000, 90_000, 900, 0.99);
    ServerHealth tripped = new ServerHealth("10 connection failures in a row (breaker.consecutive.failures=10), the "
        + "last: cannot connect", "2026-12-06T02:41:15Z", 3_000, 128, 2_872, 128, 30);
    Validity v = ValidityCheck.judge(saturated, LIMITS, true, tripped);
    assertEquals("server-failing", v.verdict().wireName());
    assertFalse(v.clientBound(), "strict mode does not fail it as client-bound");
    assertEquals(List.of("circuit breaker tripped at 2026-12-06T02:41:15Z: 10 connection failures in a row "
        + "(breaker.consecutive.failures=10), the last: cannot connect", "2872 of 3000 requests not sent (128 sent)"),
        v.reasons());
    assertSame(tripped, v.server());

    ServerHealth refused = new ServerHealth(null, null, 3_000, 3_000, 0, 3_000, 2_872);
    v = ValidityCheck.judge(saturated, LIMITS, false, refused);
    assertEquals(Validity.Verdict.SERVER_FAILING, v.verdict(), "the breaker was off, most requests failed fast");
    assertEquals(List.of("2872 of 3000 measured requests failed before any response byte (connection refused, reset "
        + "or closed)"), v.reasons());
  }

  @Test
  void aHealthyServerLeavesTheClientsRulesAsTheyAre() {
    ServerHealth some = new ServerHealth(null, null, 100, 100, 0, 100, 50);
    assertEquals(Validity.Verdict.CLIENT_BOUND,
        ValidityCheck.judge(figures(90_000, 2_000, 30, 0.4), LIMITS, false, some).verdict(),
        "half the requests failing fast is not most");
    MonitorFigures inside = figures(4_000, 2_000, 30, 0.4);
    assertEquals(Validity.Verdict.VALID, ValidityCheck.judge(inside, LIMITS, false, some).verdict());
    assertEquals(Validity.Verdict.VALID, ValidityCheck.judge(inside, LIMITS, false, null).verdict(),
        "a run from before the breaker");
  }
}
