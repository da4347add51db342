package dev.llmbench.llm.run;

import dev.llmbench.monitor.SelfMonitor;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ValidityCheck;
import dev.llmbench.stream.CircuitBreaker;
import java.util.Optional;

/**
 * A run's self-monitor ({@link SelfMonitor}) and the thresholds it is judged by, one per
 * {@link LlmRun}; {@code LlmSimulation.before()} opens
 * the load window, {@code Phase} shows it the event loops and the send lags, and
 * {@code LlmSimulation.after()} closes it before any post-run work. The console {@link Progress} line
 * runs over the same window.
 */
public final class RunMonitor {
  private final SelfMonitor monitor = new SelfMonitor();
  private final Progress progress = new Progress(System.out);
  private volatile ValidityThresholds thresholds = ValidityThresholds.DEFAULTS;
  private volatile boolean strict;
  /** Until the run is announced: the default breaker, planned requests unknown. */
  private volatile RunBreaker breaker = new RunBreaker(CircuitBreaker.Settings.DEFAULTS, -1);

  RunMonitor() {}

  /** Stops watching, if it still does (a run that ended before its load, or failed). */
  void close() {
    monitor.stop();
    progress.stop();
  }

  public SelfMonitor monitor() {
    return monitor;
  }

  /** The run's console progress line, fed once per request. */
  public Progress progress() {
    return progress;
  }

  /** The limits the run will be judged by, and whether a client-bound run fails. */
  public void policy(ValidityThresholds limits, boolean failWhenClientBound) {
    this.thresholds = limits;
    this.strict = failWhenClientBound;
  }

  /** The run's circuit breaker, with the measured requests its plan holds. */
  public void breaker(CircuitBreaker.Settings settings, long planned) {
    this.breaker = new RunBreaker(settings, planned);
  }

  /** The run's circuit breaker (read once per request: a volatile read, no lock). */
  public RunBreaker breaker() {
    return breaker;
  }

  public ValidityThresholds thresholds() {
    return thresholds;
  }

  public boolean strict() {
    return strict;
  }

  /** Closes the load window and judges it; empty when the load never started. */
  public Optional<Validity> finish() {
    progress.stop();
    return monitor.stop().map(figures -> ValidityCheck.judge(figures, thresholds, strict));
  }
}
