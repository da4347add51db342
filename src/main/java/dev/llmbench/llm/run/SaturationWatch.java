package dev.llmbench.llm.run;

import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.report.stats.OverSaturation;
import java.util.Arrays;
import java.util.Locale;

/**
 * Over-saturation noticed while a phase runs: the post-run rule ({@link OverSaturation#judge}, GuideLLM's
 * detector as the post-run step applies it) on the points of the phase so far, so the load generator says
 * when the server fell behind its arrivals as it happens, and with {@code -Dstop.on.saturation=true} stops
 * the step there. One per phase ({@link RunMonitor#saturationWatch}); only a phase of measured requests
 * with scheduled arrivals (open model) is watched. A phase whose concurrency limit binds keeps its
 * backlog in the load generator: its in-flight count stays flat and it is not flagged, as after the run.
 *
 * <p><b>The points.</b> At each measured request's send ({@link #sent}, from the stream action, on the
 * thread that sends it): the send time and the in-flight count just after it (the phase's requests sent
 * and not yet ended). At its first token ({@link #firstToken}, from the stream's connection, once per
 * request): its send stamp and its TTFT, as soon as it is known, so a backlog shows while the requests
 * that waited in it still decode. At its end ({@link #ended}): it leaves the in-flight count. Each is an
 * append to primitive arrays that double when full, under this object's lock: no allocation per request.
 *
 * <p><b>The judgement.</b> Every {@value RunMonitor#SATURATION_PERIOD_MS} ms, off the event loops
 * ({@link RunMonitor}'s timer), the rule is applied to a copy of the points since the phase's first
 * measured send. A request in the server's queue has no TTFT yet, so the sends are cut at the latest
 * send of a request that has its first token: the windows are where both series have points, and the
 * watch sees the fall-behind later than it began, by about the wait of the requests then queued. The rule
 * judges only {@value #MIN_SECONDS} s or more after the first send and with {@value #MIN_ENDED} first
 * tokens or more (its own minimum is 10 sends and, per window, 5 points of each series): a second of a
 * fast run is too short to tell a ramp-up from a backlog. Applied every second, the rule would flag a
 * burst of arrivals while it rises, before the server absorbs it (the post-run rule asks the rise to last
 * to the group's end, which a live judgement cannot see): so the phase is saturated once
 * {@value #CONFIRMATIONS} checks in a row find it so. That verdict is kept, with the first of those
 * checks' {@code sinceSec} (seconds from the phase's first send), and printed as one line; the phase is
 * not judged again.
 */
public final class SaturationWatch {
  /** Fewest seconds from the phase's first send before it is judged. */
  static final int MIN_SECONDS = 3;

  /** Checks in a row, a second apart, that must find the phase saturated before it is said to be. */
  static final int CONFIRMATIONS = 3;

  /** Fewest requests with a first token (a TTFT) before it is judged. */
  static final int MIN_ENDED = 10;

  private final String phase;
  /** Measured requests the phase holds. */
  private final long planned;
  private final RunMonitor run;

  // The points, under this object's lock.
  private long firstNanos;
  private long[] sendNanos = new long[256];
  private int[] inFlightAt = new int[256];
  private int sends;
  private int inFlight;
  private long[] ttftSendNanos = new long[256];
  private long[] ttftMicros = new long[256];
  private int ttfts;

  /** The first saturated verdict, null until then; read on every send once {@link #stopped} is asked. */
  private volatile Saturation verdict;
  /** The first of the saturated checks in a row so far, null after one that was not; the timer's thread only. */
  private Saturation rising;
  private int confirmations;
  /** When it was seen, seconds from the phase's first send. */
  private volatile double seenSec;

  SaturationWatch(String phase, long planned, RunMonitor run) {
    this.phase = phase;
    this.planned = planned;
    this.run = run;
  }

  public String phase() {
    return phase;
  }

  /** A measured request is sent now: its time, and the in-flight count with it. */
  public synchronized void sent() {
    sent(System.nanoTime()); // under the lock: the sends are in order
  }

  /** A measured request sent at {@code now} ({@link System#nanoTime()}), no earlier than the last one. */
  synchronized void sent(long now) {
    if (sends == 0) {
      firstNanos = now;
    }
    if (sends == sendNanos.length) {
      sendNanos = Arrays.copyOf(sendNanos, sends * 2);
      inFlightAt = Arrays.copyOf(inFlightAt, sends * 2);
    }
    sendNanos[sends] = now;
    inFlightAt[sends++] = ++inFlight;
  }

  /** A request that {@link #sent} counted ended, succeeded or not. */
  public synchronized void ended() {
    inFlight--;
  }

  /**
   * A request that {@link #sent} counted got its first token.
   *
   * @param sentNanos its send stamp ({@link System#nanoTime()})
   * @param ttftMicros its TTFT
   */
  public synchronized void firstToken(long sentNanos, long ttftMicros) {
    if (ttfts == ttftSendNanos.length) {
      ttftSendNanos = Arrays.copyOf(ttftSendNanos, ttfts * 2);
      this.ttftMicros = Arrays.copyOf(this.ttftMicros, ttfts * 2);
    }
    ttftSendNanos[ttfts] = sentNanos;
    this.ttftMicros[ttfts++] = ttftMicros;
  }

  /** Whether the phase sends nothing more: it was found saturated with {@code -Dstop.on.saturation=true}. */
  public boolean stopped() {
    return verdict != null && run.stopOnSaturation();
  }

  /** The saturated verdict, or null while none. */
  public Saturation verdict() {
    return verdict;
  }

  /**
   * Judges the points so far at {@code nowNanos}, unless a verdict was already reached or there are too
   * few; on the first saturated verdict, keeps it and returns the line that says so (else null).
   */
  String check(long nowNanos) {
    if (verdict != null) {
      return null;
    }
    long first;
    long[] sendsCopy;
    int[] inFlightCopy;
    long[] ttftXCopy;
    long[] ttftYCopy;
    synchronized (this) {
      if (sends == 0 || ttfts < MIN_ENDED || nowNanos - firstNanos < MIN_SECONDS * 1_000_000_000L) {
        return null;
      }
      first = firstNanos;
      sendsCopy = Arrays.copyOf(sendNanos, sends);
      inFlightCopy = Arrays.copyOf(inFlightAt, sends);
      ttftXCopy = Arrays.copyOf(ttftSendNanos, ttfts);
      ttftYCopy = Arrays.copyOf(ttftMicros, ttfts);
    }
    Saturation s = judge(first, sendsCopy, inFlightCopy, ttftXCopy, ttftYCopy);
    if (s == null || !s.saturated()) {
      rising = null;
      confirmations = 0;
      return null;
    }
    // Judged each second, the rule would catch a burst while it rises, before the server absorbs it: the
    // verdict must hold at CONFIRMATIONS checks in a row, and is dated from the first of them.
    if (rising == null) {
      rising = s;
    }
    if (++confirmations < CONFIRMATIONS) {
      return null;
    }
    s = rising;
    seenSec = (nowNanos - first) / 1e9;
    verdict = s;
    return String.format(Locale.ROOT, "llm-serving-bench: over-saturation: the server fell behind the arrivals of "
        + "%s from %.1f s (in-flight %+.1f/s, TTFT %+.0f ms/s; seen at %.1f s)%s", phase, s.sinceSec(),
        s.inFlight().perSecond(), s.ttftMs().perSecond(), seenSec, run.stopOnSaturation()
            ? "; stop.on.saturation=true: the step sends no more requests"
            : "; -Dstop.on.saturation=true stops the step there");
  }

  /**
   * The rule on points stamped with {@link System#nanoTime()}: the sends (in order, {@code first} the
   * first) cut at the latest send whose request has a TTFT, all as seconds from {@code first}.
   */
  static Saturation judge(long first, long[] sendNanos, int[] inFlight, long[] ttftSendNanos, long[] ttftMicros) {
    double cut = Double.NEGATIVE_INFINITY;
    double[] ttftX = new double[ttftSendNanos.length];
    double[] ttftY = new double[ttftSendNanos.length];
    for (int i = 0; i < ttftX.length; i++) {
      // nanoTime stamps are compared by difference: they may wrap.
      ttftX[i] = (ttftSendNanos[i] - first) / 1e9;
      ttftY[i] = ttftMicros[i] / 1_000.0;
      cut = Math.max(cut, ttftX[i]);
    }
    int n = 0;
    while (n < sendNanos.length && (sendNanos[n] - first) / 1e9 <= cut) {
      n++;
    }
    double[] sendX = new double[n];
    double[] inFlightY = new double[n];
    for (int i = 0; i < n; i++) {
      sendX[i] = (sendNanos[i] - first) / 1e9;
      inFlightY[i] = inFlight[i];
    }
    return OverSaturation.judge(sendX, inFlightY, ttftX, ttftY);
  }

  /** {@code llm-run.json}'s record of this phase: saturated or not, since when, and whether the step stopped. */
  public synchronized RunDescription.LiveSaturation record() {
    Saturation s = verdict;
    boolean stopped = s != null && run.stopOnSaturation();
    return new RunDescription.LiveSaturation(phase, s != null, s == null ? null : s.sinceSec(),
        s == null ? null : seenSec, stopped, stopped ? Math.max(0, planned - sends) : 0);
  }
}
