package dev.llmbench.llm.run;

import dev.llmbench.monitor.SelfMonitor;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ValidityCheck;
import dev.llmbench.stream.CircuitBreaker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's self-monitor ({@link SelfMonitor}) and the thresholds it is judged by, one per
 * {@link LlmRun}; {@code LlmSimulation.before()} opens
 * the load window, {@code Phase} shows it the event loops and the send lags, and
 * {@code LlmSimulation.after()} closes it before any post-run work. The console {@link Progress} line
 * runs over the same window. It also holds the phases' over-saturation watches ({@link SaturationWatch}) and
 * the daemon timer that judges the running phase's every {@value #SATURATION_PERIOD_MS} ms.
 */
public final class RunMonitor {
  private final SelfMonitor monitor = new SelfMonitor();
  private final Progress progress = new Progress(System.out);
  private volatile ValidityThresholds thresholds = ValidityThresholds.DEFAULTS;
  private volatile boolean strict;
  /** Until the run is announced: the default breaker, planned requests unknown. */
  private volatile RunBreaker breaker = new RunBreaker(CircuitBreaker.Settings.DEFAULTS, -1);

  /** How often the running phase is judged for over-saturation. */
  static final int SATURATION_PERIOD_MS = 1_000;
  private final List<SaturationWatch> watches = new CopyOnWriteArrayList<>();
  /** The watch of the phase running now; null when it is not watched. Phases run one after another. */
  private volatile SaturationWatch saturation;
  private volatile boolean stopOnSaturation;
  private volatile boolean quiet;
  private ScheduledExecutorService saturationTimer;

  RunMonitor() {}

  /** Stops watching, if it still does (a run that ended before its load, or failed). */
  void close() {
    monitor.stop();
    progress.stop();
    stopSaturationTimer();
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

  /**
   * What a phase's over-saturation watch does: {@code -Dstop.on.saturation}, and whether its line is
   * printed ({@code -Dquiet} prints none; the run description records it all the same).
   */
  public void saturationPolicy(boolean stop, boolean quietConsole) {
    this.stopOnSaturation = stop;
    this.quiet = quietConsole;
  }

  boolean stopOnSaturation() {
    return stopOnSaturation;
  }

  /** A new phase's watch, judged once it {@link #saturationStarts starts}, and recorded when the run ends. */
  public SaturationWatch saturationWatch(String phase, long plannedRequests) {
    SaturationWatch w = new SaturationWatch(phase, plannedRequests, this);
    watches.add(w);
    return w;
  }

  /**
   * A phase starts: from now on its sends and ends feed {@code watch}, and the timer judges it; null for
   * a phase not watched (warm-up, closed model, every request at once).
   */
  public synchronized void saturationStarts(SaturationWatch watch) {
    saturation = watch;
    if (watch != null && saturationTimer == null) {
      saturationTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llmb-saturation");
        t.setDaemon(true);
        return t;
      });
      saturationTimer.scheduleAtFixedRate(this::checkSaturation, SATURATION_PERIOD_MS, SATURATION_PERIOD_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The running phase's over-saturation watch, null when it is not watched (a volatile read, no lock). */
  public SaturationWatch saturation() {
    return saturation;
  }

  private void checkSaturation() {
    SaturationWatch w = saturation;
    if (w == null) {
      return;
    }
    try {
      String line = w.check(System.nanoTime());
      if (line != null && !quiet) {
        System.out.println(line);
      }
    } catch (RuntimeException e) {
      // A failed judgement must not end the timer: later phases are still judged.
      System.err.println("llm-serving-bench: WARN over-saturation check of " + w.phase() + " failed: " + e);
    }
  }

  private synchronized void stopSaturationTimer() {
    if (saturationTimer != null) {
      saturationTimer.shutdownNow();
      saturationTimer = null;
    }
    saturation = null;
  }

  /** {@code llm-run.json}'s {@code liveSaturation}: each watched phase's verdict; null when none was watched. */
  public List<RunDescription.LiveSaturation> liveSaturation() {
    return watches.isEmpty() ? null : watches.stream().map(SaturationWatch::record).toList();
  }

  /** Closes the load window and judges it; empty when the load never started. */
  public Optional<Validity> finish() {
    progress.stop();
    stopSaturationTimer();
    return monitor.stop().map(figures -> ValidityCheck.judge(figures, thresholds, strict));
  }
}
