package dev.llmbench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StressCheckTest {

  @Test
  void passLineShowsMeasuredAgainstBound() {
    StressCheck c = new StressCheck("sustained", "p95 drift", "+0.41 %/min (95 % CI -0.20..+1.02)", "<= 2 %/min",
        StressVerdict.PASS, "");
    assertEquals("PASS     sustained  p95 drift: +0.41 %/min (95 % CI -0.20..+1.02) <= 2 %/min", c.line());
  }

  @Test
  void failLineSaysNotBeforeTheBoundAndAddsTheNote() {
    StressCheck c = new StressCheck("large-batch batch=200", "OOM", "3 of 20 requests", "= 0", StressVerdict.FAIL,
        "remedies: reduce the batch size\nnow");
    assertEquals("FAIL     large-batch batch=200  OOM: 3 of 20 requests, not = 0 -- remedies: reduce the batch size now",
        c.line());
  }

  @Test
  void skippedLineGivesTheReason() {
    StressCheck c = StressCheck.skipped("sustained", "memory growth", "the server has no /metrics (HTTP 404)");
    assertEquals("SKIPPED  sustained  memory growth: skipped -- the server has no /metrics (HTTP 404)", c.line());
  }

  @Test
  void thresholdDefaults() {
    StressThresholds t = StressThresholds.from(Props.of(Map.of()));
    assertEquals(StressThresholds.DEFAULTS, t);
    assertEquals(30, t.windowSec());
    assertEquals(2, t.driftMaxPctPerMin());
    assertEquals(0.01, t.errorRateMax());
    assertEquals(50, t.memoryMaxMbPerMin());
    assertEquals(5, t.kvMaxPtsPerMin());
    assertEquals(1e-6, t.scoreTolerance());
    assertEquals(1.0, t.generateMinAgreement());
  }

  @Test
  void thresholdsReadEveryKey() {
    Props p = Props.of(Map.of("stress.window.sec", "10", "stress.drift.max.pct.per.min", "5",
        "stress.error.rate.max", "0.05", "stress.memory.max.mb.per.min", "100", "stress.kv.max.pts.per.min", "1",
        "stress.score.tolerance", "1e-3", "stress.generate.min.agreement", "0.9"));
    assertEquals(new StressThresholds(10, 5, 0.05, 100, 1, 1e-3, 0.9), StressThresholds.from(p));
    assertEquals(p.keys(), StressThresholds.KEYS);
  }

  @Test
  void outOfRangeValuesAreLoud() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> StressThresholds.from(Props.of(Map.of("stress.error.rate.max", "5"))));
    assertTrue(e.getMessage().contains("stress.error.rate.max"), e.getMessage());
    assertTrue(e.getMessage().contains("5"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> StressThresholds.from(Props.of(Map.of("stress.window.sec", "0"))));
    assertTrue(e.getMessage().contains("stress.window.sec"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> StressThresholds.from(Props.of(Map.of("stress.generate.min.agreement", "abc"))));
    assertTrue(e.getMessage().contains("stress.generate.min.agreement"), e.getMessage());
    assertThrows(ConfigException.class, () -> new StressThresholds(30, -1, 0.01, 50, 5, 1e-6, 1));
  }
}
