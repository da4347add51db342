package dev.llmbench.report.baseline;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Map;

/**
 * When a change is a warning, a regression or a failed hard gate, and how sure the noise rule must be.
 * All percentages are of the baseline value, in the direction that is worse for the metric.
 *
 * @param regressionPct a metric worse by more than this is a {@code REGRESSION} ({@code -Dregression.threshold},
 *     else the environment variable {@code REGRESSION_THRESHOLD}, else 10)
 * @param warnPct a metric worse by more than this (and not a regression) is a {@code WARN}; 5, at most the
 *     regression threshold
 * @param p95GatePct hard gate: a p95 latency worse by more than this fails even when the regression
 *     threshold is higher (20)
 * @param errorRateGate hard gate: an error rate above this fails whatever the baseline (0.01, i.e. 1 %)
 * @param confidence two-sided confidence of the interval of the change; a regression must be beyond the
 *     threshold at the interval's better end ({@code -Dregression.confidence}, 0.95)
 * @param replicates bootstrap replicates per group ({@code -Dregression.bootstrap.replicates}, 1000)
 * @param seed seed of the bootstrap ({@code -Dregression.bootstrap.seed}, 1)
 */
public record Thresholds(double regressionPct, double warnPct, double p95GatePct, double errorRateGate,
    double confidence, int replicates, long seed) {

  public static final double DEFAULT_REGRESSION_PCT = 10;
  public static final double DEFAULT_WARN_PCT = 5;
  public static final double P95_GATE_PCT = 20;
  public static final double ERROR_RATE_GATE = 0.01;

  public static final Thresholds DEFAULTS =
      new Thresholds(DEFAULT_REGRESSION_PCT, DEFAULT_WARN_PCT, P95_GATE_PCT, ERROR_RATE_GATE, 0.95, 1000, 1);

  public Thresholds {
    positive("regression threshold (%)", regressionPct);
    positive("warn threshold (%)", warnPct);
    positive("p95 gate (%)", p95GatePct);
    if (warnPct > regressionPct) {
      throw new IllegalArgumentException("warn threshold " + warnPct + " % must not exceed the regression threshold "
          + regressionPct + " %");
    }
    if (!(errorRateGate >= 0 && errorRateGate <= 1)) {
      throw new IllegalArgumentException("error rate gate must be in [0, 1], but was " + errorRateGate);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), but was " + confidence);
    }
    if (replicates < 100) {
      throw new IllegalArgumentException("bootstrap replicates must be >= 100, but was " + replicates);
    }
  }

  /**
   * The thresholds from properties and the environment: {@code -Dregression.threshold} wins over
   * {@code REGRESSION_THRESHOLD}; both are percentages such as {@code 10} or {@code 7.5}.
   *
   * @throws ConfigException naming the property and the value when one is invalid
   */
  public static Thresholds from(Props props, Map<String, String> env) {
    double regression;
    if (props.has("regression.threshold")) {
      regression = props.decimal("regression.threshold", DEFAULT_REGRESSION_PCT, 0.1, 1000);
    } else {
      String fromEnv = env.get("REGRESSION_THRESHOLD");
      regression = fromEnv == null || fromEnv.isBlank() ? DEFAULT_REGRESSION_PCT
          : Props.of(Map.of("REGRESSION_THRESHOLD (environment)", fromEnv))
              .decimal("REGRESSION_THRESHOLD (environment)", DEFAULT_REGRESSION_PCT, 0.1, 1000);
    }
    return new Thresholds(regression, Math.min(DEFAULT_WARN_PCT, regression), P95_GATE_PCT, ERROR_RATE_GATE,
        props.decimal("regression.confidence", 0.95, 0.5, 0.999),
        props.integer("regression.bootstrap.replicates", 1000, 100, 100_000),
        props.longValue("regression.bootstrap.seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  /** The limit (%) beyond which this metric is a regression: the p95 gate caps it for p95 latencies. */
  public double limitPct(Metric m) {
    return m.isP95Latency() ? Math.min(regressionPct, p95GatePct) : regressionPct;
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + v);
    }
  }
}
