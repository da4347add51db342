package dev.llmbench.report.stats;

import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.ServerHealth;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a run's self-monitor figures against its thresholds; pure, no I/O. A figure strictly above
 * its limit is one reason; any reason makes the run {@code client-bound}:
 *
 * <ul>
 *   <li>event-loop timer lag: its p99 (a single late firing, such as a JIT compile, does not decide);
 *   <li>read lag: its p99, when the run read streams on the stream loops;
 *   <li>send lag: its p99, only when some request waited for a scheduled arrival (open model);
 *   <li>GC: the longest single pause;
 *   <li>CPU: the process's CPU time over the load window as a share of all cores.
 * </ul>
 *
 * <p>Before any of these, the server's health: when the circuit breaker stopped the run, or most
 * measured requests failed before any response byte, the run is {@code server-failing}, whatever the
 * client's figures say. Failing fast costs the client CPU too (thousands of refused connections a
 * second), and that must not be read as a saturated load generator.
 */
public final class ValidityCheck {
  private ValidityCheck() {}

  public static Validity judge(MonitorFigures m, ValidityThresholds t, boolean strict) {
    return judge(m, t, strict, null);
  }

  /** As {@link #judge(MonitorFigures, ValidityThresholds, boolean)}, with the server's health (null: unknown). */
  public static Validity judge(MonitorFigures m, ValidityThresholds t, boolean strict, ServerHealth server) {
    if (server != null && server.failing()) {
      return new Validity(Validity.Verdict.SERVER_FAILING, serverReasons(server), strict, t, m, server);
    }
    List<String> reasons = new ArrayList<>();
    if (m.loopLagSamples() > 0 && m.loopLagP99Micros() / 1_000.0 > t.loopLagMs()) {
      reasons.add(String.format(Locale.ROOT,
          "event-loop timer lag p99 %s ms > %s=%s (max %s ms; %d firings on %d loop%s)",
          ms(m.loopLagP99Micros()), ValidityThresholds.LOOP_LAG, ValidityThresholds.plain(t.loopLagMs()),
          ms(m.loopLagMaxMicros()), m.loopLagSamples(), m.eventLoops(), m.eventLoops() == 1 ? "" : "s"));
    }
    if (m.readLagSamples() > 0 && m.readLagP99Micros() / 1_000.0 > t.readLagMs()) {
      reasons.add(String.format(Locale.ROOT,
          "read lag p99 %s ms > %s=%s (max %s ms; %d reads)",
          ms(m.readLagP99Micros()), ValidityThresholds.READ_LAG, ValidityThresholds.plain(t.readLagMs()),
          ms(m.readLagMaxMicros()), m.readLagSamples()));
    }
    if (m.sendLagSamples() > 0 && m.sendLagP99Micros() / 1_000.0 > t.sendLagMs()) {
      reasons.add(String.format(Locale.ROOT, "send lag p99 %s ms > %s=%s (max %s ms; %d scheduled requests)",
          ms(m.sendLagP99Micros()), ValidityThresholds.SEND_LAG, ValidityThresholds.plain(t.sendLagMs()),
          ms(m.sendLagMaxMicros()), m.sendLagSamples()));
    }
    if (m.gcPauseMaxMs() > t.gcPauseMs()) {
      reasons.add(String.format(Locale.ROOT, "longest GC pause %d ms > %s=%s (%d pauses, %d ms in all)",
          m.gcPauseMaxMs(), ValidityThresholds.GC_PAUSE, ValidityThresholds.plain(t.gcPauseMs()), m.gcPauses(),
          m.gcPauseTotalMs()));
    }
    if (m.processCpuShare() > t.cpuShare()) {
      reasons.add(String.format(Locale.ROOT, "load-generator process CPU %s of %d cores > %s=%s (machine %s)",
          percent(m.processCpuShare()), m.availableProcessors(), ValidityThresholds.CPU_SHARE,
          ValidityThresholds.plain(t.cpuShare()),
          Double.isNaN(m.machineCpuLoad()) ? "unknown" : percent(m.machineCpuLoad())));
    }
    return new Validity(reasons.isEmpty() ? Validity.Verdict.VALID : Validity.Verdict.CLIENT_BOUND, reasons, strict,
        t, m, server);
  }

  /** Why a run is server-failing: the breaker's trip, the requests not sent, the fast failures. */
  static List<String> serverReasons(ServerHealth s) {
    List<String> reasons = new ArrayList<>();
    if (s.tripped()) {
      reasons.add("circuit breaker tripped" + (s.trippedAt() == null ? "" : " at " + s.trippedAt()) + ": "
          + s.breakerReason());
    }
    if (s.planned() >= 0 && s.stoppedEarly()) {
      reasons.add(s.notSentPhrase() + " (" + s.sent() + " sent)");
    }
    if (s.mostlyConnectionFailures()) {
      reasons.add(String.format(Locale.ROOT,
          "%d of %d measured requests failed before any response byte (connection refused, reset or closed)",
          s.connectionFailures(), s.measured()));
    }
    return reasons;
  }

  /** Microseconds as milliseconds with three decimals: {@code 1.250}. */
  public static String ms(long micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1_000.0);
  }

  /** A share as a percentage with one decimal: {@code 41.3%}. */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
