package dev.llmbench.stress;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Set;

/**
 * The bounds the stress checks judge a run against, from {@code -D} properties.
 *
 * @param windowSec {@code stress.window.sec}: the sustained run is cut into windows of this many seconds
 *     (by request send time) whose p50, p95 and error rate are fitted against time; default 30
 * @param driftMaxPctPerMin {@code stress.drift.max.pct.per.min}: largest latency drift allowed, in percent
 *     of the run's overall p50 (resp. p95) per minute; default 2
 * @param errorRateMax {@code stress.error.rate.max}: largest fraction of failed requests, 0..1; default 0.01
 * @param memoryMaxMbPerMin {@code stress.memory.max.mb.per.min}: largest growth of the server's
 *     {@code process_resident_memory_bytes}, in MB (MiB, 2^20 bytes) per minute; default 50
 * @param kvMaxPtsPerMin {@code stress.kv.max.pts.per.min}: largest growth of the server's KV-cache usage,
 *     in percentage points per minute; default 5
 * @param scoreTolerance {@code stress.score.tolerance}: largest absolute difference between the scores
 *     of two answers to the same input; default 1e-6
 * @param generateMinAgreement {@code stress.generate.min.agreement}: smallest fraction, 0..1, of
 *     completions that equal the most common completion for the same input; default 1.0
 */
public record StressThresholds(int windowSec, double driftMaxPctPerMin, double errorRateMax,
    double memoryMaxMbPerMin, double kvMaxPtsPerMin, double scoreTolerance, double generateMinAgreement) {

  /** Every property this record reads. */
  public static final Set<String> KEYS = Set.of("stress.window.sec", "stress.drift.max.pct.per.min",
      "stress.error.rate.max", "stress.memory.max.mb.per.min", "stress.kv.max.pts.per.min",
      "stress.score.tolerance", "stress.generate.min.agreement");

  /** The defaults, as {@link #from} gives them with no property set. */
  public static final StressThresholds DEFAULTS = new StressThresholds(30, 2, 0.01, 50, 5, 1e-6, 1.0);

  public StressThresholds {
    check(windowSec >= 1 && windowSec <= 86_400, "stress.window.sec must be in [1, 86400], but was " + windowSec);
    check(driftMaxPctPerMin >= 0 && driftMaxPctPerMin <= 1e6,
        "stress.drift.max.pct.per.min must be in [0, 1e6], but was " + driftMaxPctPerMin);
    check(errorRateMax >= 0 && errorRateMax <= 1,
        "stress.error.rate.max must be in [0, 1] (a fraction: 0.01 is 1 %), but was " + errorRateMax);
    check(memoryMaxMbPerMin >= 0 && memoryMaxMbPerMin <= 1e9,
        "stress.memory.max.mb.per.min must be in [0, 1e9], but was " + memoryMaxMbPerMin);
    check(kvMaxPtsPerMin >= 0 && kvMaxPtsPerMin <= 100,
        "stress.kv.max.pts.per.min must be in [0, 100], but was " + kvMaxPtsPerMin);
    check(scoreTolerance >= 0 && scoreTolerance <= 1e9,
        "stress.score.tolerance must be in [0, 1e9], but was " + scoreTolerance);
    check(generateMinAgreement >= 0 && generateMinAgreement <= 1,
        "stress.generate.min.agreement must be in [0, 1] (a fraction: 1.0 is all), but was " + generateMinAgreement);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }

  /** The thresholds from {@code p}, each property's default when it is not set. */
  public static StressThresholds from(Props p) {
    StressThresholds d = DEFAULTS;
    return new StressThresholds(
        p.integer("stress.window.sec", d.windowSec, 1, 86_400),
        p.decimal("stress.drift.max.pct.per.min", d.driftMaxPctPerMin, 0, 1e6),
        p.decimal("stress.error.rate.max", d.errorRateMax, 0, 1),
        p.decimal("stress.memory.max.mb.per.min", d.memoryMaxMbPerMin, 0, 1e9),
        p.decimal("stress.kv.max.pts.per.min", d.kvMaxPtsPerMin, 0, 100),
        p.decimal("stress.score.tolerance", d.scoreTolerance, 0, 1e9),
        p.decimal("stress.generate.min.agreement", d.generateMinAgreement, 0, 1));
  }
}
