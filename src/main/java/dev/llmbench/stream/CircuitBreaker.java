package dev.llmbench.stream;

import static dev.llmbench.io.PlainNumbers.plain;

import dev.llmbench.requests.RequestResult;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Stops a run from sending to a server that is gone or failing. It watches every completed request
 * (warm-ups too) and trips, once and for good, on the first of two triggers, as inference-perf's
 * circuit breakers ({@code consecutive} and {@code rate_over_window} triggers) and AIPerf's
 * {@code --failed-request-threshold} do:
 *
 * <ul>
 *   <li>{@value #CONSECUTIVE} connection failures in a row, with no success between them
 *       ({@link #isConnectionFailure}: no response byte came back: cannot connect, or reset or closed
 *       before the status line);
 *   <li>more than {@value #ERROR_RATE} of the last {@value #WINDOW} completed requests failed, for
 *       any reason (judged once that many have completed).
 * </ul>
 *
 * Once tripped, the run sends nothing more ({@link #open()}): the requests it did not send are
 * counted as not sent. Thread-safe: requests complete on several event loops. Its cost is one short
 * lock per completed request, none per token.
 */
public final class CircuitBreaker {
  public static final String ENABLED = "breaker.enabled";
  public static final String CONSECUTIVE = "breaker.consecutive.failures";
  public static final String ERROR_RATE = "breaker.error.rate";
  public static final String WINDOW = "breaker.window.requests";

  /**
   * When the breaker trips.
   *
   * @param enabled {@value #ENABLED}: false never trips (a run that must send every request whatever
   *     happens)
   * @param consecutiveFailures {@value #CONSECUTIVE}: connection failures in a row that trip it, >= 1
   * @param errorRate {@value #ERROR_RATE}: share of failed requests in the window above which it trips,
   *     in (0, 1]; 1 never trips on the rate
   * @param windowRequests {@value #WINDOW}: completed requests the rate is judged over, >= 1
   */
  public record Settings(boolean enabled, int consecutiveFailures, double errorRate, int windowRequests) {
    /**
     * Ten connection failures in a row never happen to a healthy server on a healthy network (a stale
     * pooled connection is sent again, not counted twice); half of the last hundred requests failing
     * means the figures describe failures, not serving. AIPerf's examples stop at 10 % failed; a
     * benchmark is less strict than a production gate, so a server that is merely overloaded (some
     * 503s) still gets measured.
     */
    public static final Settings DEFAULTS = new Settings(true, 10, 0.5, 100);

    public Settings {
      if (consecutiveFailures < 1) {
        throw new IllegalArgumentException(CONSECUTIVE + " must be an integer >= 1, but was " + consecutiveFailures);
      }
      if (!(errorRate > 0 && errorRate <= 1)) {
        throw new IllegalArgumentException(ERROR_RATE + " must be a share in (0, 1], but was " + errorRate);
      }
      if (windowRequests < 1) {
        throw new IllegalArgumentException(WINDOW + " must be an integer >= 1, but was " + windowRequests);
      }
    }

    /** One phrase for the start of the run: {@code breaker: 10 connection failures in a row or >50% of 100 failed}. */
    public String describe() {
      return enabled
          ? String.format(Locale.ROOT, "breaker: %d connection failures in a row or >%s%% of the last %d failed",
              consecutiveFailures, plain(errorRate * 100), windowRequests)
          : "breaker: off";
    }
  }

  private final Settings settings;
  /** Outcomes of the last {@code windowRequests} completed requests, a ring: true = failed. */
  private final boolean[] window;
  private int windowNext;
  private int windowFilled;
  private int windowFailed;
  private int consecutive;
  private String lastConnectionError;
  private volatile boolean open;
  private String reason;
  private Instant trippedAt;

  public CircuitBreaker(Settings settings) {
    this.settings = settings;
    this.window = new boolean[settings.windowRequests()];
  }

  public Settings settings() {
    return settings;
  }

  /** Whether a failed request got no response byte at all ({@link RequestResult#isConnectionFailure}). */
  public static boolean isConnectionFailure(boolean ok, int httpStatus, String error) {
    return RequestResult.isConnectionFailure(ok, httpStatus, error);
  }

  /** How the stream action's timeout message starts ({@code no complete answer within N s}). */
  public static final String TIMEOUT_PREFIX = RequestResult.TIMEOUT_PREFIX;

  /**
   * Records a completed request; returns true when this one tripped the breaker.
   *
   * @param error what went wrong, null when ok
   * @param clock when it tripped, read only then
   */
  public boolean completed(boolean ok, int httpStatus, String error, Supplier<Instant> clock) {
    // Once per request on the stream loops: no lock and no clock read while the breaker is off or open.
    return settings.enabled() && !open && record(ok, httpStatus, error, clock);
  }

  private synchronized boolean record(boolean ok, int httpStatus, String error, Supplier<Instant> clock) {
    if (open) {
      return false;
    }
    if (isConnectionFailure(ok, httpStatus, error)) {
      consecutive++;
      lastConnectionError = error;
    } else if (ok) {
      // Only a success breaks the row: streams cut when a server dies fail otherwise, among its refusals.
      consecutive = 0;
    }
    boolean failed = !ok;
    if (windowFilled == window.length) {
      windowFailed -= window[windowNext] ? 1 : 0;
    } else {
      windowFilled++;
    }
    window[windowNext] = failed;
    windowFailed += failed ? 1 : 0;
    windowNext = (windowNext + 1) % window.length;
    if (consecutive >= settings.consecutiveFailures()) {
      return trip(clock.get(), consecutive + " connection failures in a row (" + CONSECUTIVE + "="
          + settings.consecutiveFailures() + "), the last: " + lastConnectionError);
    }
    if (windowFilled == window.length && windowFailed > settings.errorRate() * window.length) {
      return trip(clock.get(), windowFailed + " of the last " + window.length + " requests failed (" + ERROR_RATE + "="
          + plain(settings.errorRate()) + ", " + WINDOW + "=" + window.length + ")"
          + (error == null ? "" : ", the last: " + error));
    }
    return false;
  }

  private boolean trip(Instant now, String why) {
    open = true;
    reason = why;
    trippedAt = now;
    return true;
  }

  /** Whether it tripped: nothing more may be sent. A volatile read, once per request. */
  public boolean open() {
    return open;
  }

  /** Why it tripped, or null. */
  public synchronized String reason() {
    return reason;
  }

  /** When it tripped, or null. */
  public synchronized Instant trippedAt() {
    return trippedAt;
  }
}
