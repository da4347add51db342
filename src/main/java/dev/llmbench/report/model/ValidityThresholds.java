package dev.llmbench.report.model;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The limits beyond which a run's figures were bent by the load generator itself, so the run is
 * {@link Validity.Verdict#CLIENT_BOUND}. Each is a property (README, "Measurement validity"); a
 * figure equal to its limit is still valid.
 *
 * @param loopLagMs {@value #LOOP_LAG}: most allowed p99 of the event-loop timer lag, ms. Every token
 *     event is stamped on those loops, so a loop that runs late stamps late.
 * @param readLagMs {@value #READ_LAG}: most allowed p99 of the read lag (a read's stamp − the first
 *     stamp of the same I/O pass of its loop), ms. Reads that were ready together but were stamped that
 *     much apart were stamped late by at least the difference: the client's own part of each token's
 *     timing error that grows with the number of streams.
 * @param sendLagMs {@value #SEND_LAG}: most allowed p99 of the send lag (ready to send − scheduled
 *     arrival) in open-model runs, ms. A late send shortens the gap between arrivals the server sees.
 * @param gcPauseMs {@value #GC_PAUSE}: longest allowed single GC pause, ms. A pause delays every
 *     stamp taken during it.
 * @param cpuShare {@value #CPU_SHARE}: most CPU the load generator's process may use over the load
 *     window, as a share of all cores (0..1]. A process that uses them all waits for CPU.
 */
public record ValidityThresholds(double loopLagMs, double readLagMs, double sendLagMs, double gcPauseMs,
    double cpuShare) {

  public static final String LOOP_LAG = "validity.loop.lag.ms";
  public static final String READ_LAG = "validity.read.lag.ms";
  public static final String SEND_LAG = "validity.send.lag.ms";
  public static final String GC_PAUSE = "validity.gc.pause.ms";
  public static final String CPU_SHARE = "validity.cpu.share";
  /** The property that makes a client-bound run fail. */
  public static final String STRICT = "validity.strict";

  /**
   * Limits that a normal run on a small shared machine stays well inside (the smoke profile on 2
   * noisy cores, embedded emulator included, has p99 loop lag of a few ms), and that a starved client
   * crosses. The read lag's is the error the injector is built to stay within at p99 (5 ms): a client
   * that adds more than that to one read in a hundred cannot be trusted to that precision.
   */
  public static final ValidityThresholds DEFAULTS = new ValidityThresholds(25, 5, 25, 100, 0.9);

  public ValidityThresholds {
    limit(LOOP_LAG, loopLagMs);
    limit(READ_LAG, readLagMs);
    limit(SEND_LAG, sendLagMs);
    limit(GC_PAUSE, gcPauseMs);
    if (!(cpuShare > 0 && cpuShare <= 1)) {
      throw new IllegalArgumentException(CPU_SHARE + " must be in (0, 1], but was " + cpuShare);
    }
  }

  private static void limit(String name, double ms) {
    if (!(ms >= 0) || Double.isInfinite(ms)) {
      throw new IllegalArgumentException(name + " must be a finite number of ms >= 0, but was " + ms);
    }
  }

  /**
   * One line for the start of a run:
   * {@code loop.lag<=25ms read.lag<=5ms send.lag<=25ms gc.pause<=100ms cpu.share<=0.9}.
   */
  public String describe() {
    return String.format(Locale.ROOT, "loop.lag<=%sms read.lag<=%sms send.lag<=%sms gc.pause<=%sms cpu.share<=%s",
        plain(loopLagMs), plain(readLagMs), plain(sendLagMs), plain(gcPauseMs), plain(cpuShare));
  }

  /** A limit as the user would type it: {@code 25}, {@code 0.5}. */
  public static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
