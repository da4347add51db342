package dev.llmbench.llm.run;

import dev.llmbench.report.model.RunDescription;
import dev.llmbench.stream.CircuitBreaker;
import dev.llmbench.workload.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's {@link CircuitBreaker} and its count of requests sent and not sent. {@code Phase} stops
 * handing out requests once it trips (the rest of its queue is counted as not sent), and the stream
 * action asks before each send ({@link #send}), so a request that waited for its scheduled arrival
 * is not sent either. Requests in flight when it trips end as they will (a dead server fails them at
 * once); once none is left, the load ends ({@link #stopLoadWith}). When the run ends, {@code LlmSimulation.after()} records {@link #requests()} and
 * {@link #breaker()} in {@code llm-run.json}, and fails the run if it tripped.
 *
 * <p>Counts are of measured requests, as every figure of a result; warm-ups feed the breaker but are
 * not counted.
 */
public final class RunBreaker {
  private final CircuitBreaker breaker;
  /** Measured requests the run planned; -1 until {@code LlmSimulation.announce} tells. */
  private final long planned;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong notSent = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Runnable stopLoad;
  private final Instant started = Instant.now();

  RunBreaker(CircuitBreaker.Settings settings, long planned) {
    this.breaker = new CircuitBreaker(settings);
    this.planned = planned;
  }

  /** Whether this request may be sent: false once the breaker has tripped (it is then counted as not sent). */
  public boolean send(Ticket t) {
    if (breaker.open()) {
      notSent(t);
      return false;
    }
    if (!t.warmup()) {
      sent.incrementAndGet();
    }
    inFlight.incrementAndGet();
    return true;
  }

  /**
   * How to end the load at once (Gatling's stop of the load generator, as its {@code stopLoadGenerator}
   * step does, not as a crash: the run's stats and its {@code after()} hook are kept). Used once the
   * breaker has tripped and no request is in flight: virtual users still waiting for a scheduled
   * arrival, or phases not started yet, would only be counted as not sent, later.
   */
  public void stopLoadWith(Runnable stop) {
    this.stopLoad = stop;
  }

  /** Whether the breaker has tripped: nothing more is sent. */
  public boolean open() {
    return breaker.open();
  }

  public void notSent(Ticket t) {
    if (!t.warmup()) {
      notSent.incrementAndGet();
    }
  }

  /**
   * A request ended, and its rows are written: trips the breaker when its rule says so (docs/validity.md,
   * "When the server fails"), and ends the load once it has tripped and nothing is in flight.
   */
  public void completed(boolean ok, int httpStatus, String error) {
    breaker.completed(ok, httpStatus, error, Instant::now);
    if (inFlight.decrementAndGet() == 0 && breaker.open() && stopLoad != null && stopped.compareAndSet(false, true)) {
      stopLoad.run();
    }
  }

  /**
   * {@code llm-run.json}'s {@code requests}: planned, sent, not sent (measured requests). After a trip,
   * every planned request that was not sent is not sent, those whose users the load's stop ended too.
   */
  public RunDescription.Requests requests() {
    return new RunDescription.Requests(planned, sent.get(), notSent());
  }

  private long notSent() {
    return breaker.open() && planned >= 0 ? Math.max(notSent.get(), planned - sent.get()) : notSent.get();
  }

  /** {@code llm-run.json}'s {@code breaker}: its settings, and whether, when and why it tripped. */
  public RunDescription.Breaker breaker() {
    CircuitBreaker.Settings s = breaker.settings();
    return new RunDescription.Breaker(s.enabled(), s.consecutiveFailures(), s.errorRate(), s.windowRequests(),
        breaker.open(), breaker.reason(), breaker.trippedAt() == null ? null : breaker.trippedAt().toString());
  }

  /**
   * The one line that says the run stopped, when and why, or null when it did not:
   * {@code llm-serving-bench: ERROR server failing: <why>; stopped sending at <instant> (<s> s into the
   * run); N of M requests not sent}.
   */
  public String errorLine() {
    Instant at = breaker.trippedAt();
    if (at == null) {
      return null;
    }
    double into = Duration.between(started, at).toMillis() / 1000.0;
    return String.format(Locale.ROOT, "llm-serving-bench: ERROR server failing: %s; stopped sending at %s (%.1f s "
        + "into the run); %d of %s requests not sent", breaker.reason(), at, into, notSent(),
        planned < 0 ? "?" : Long.toString(planned));
  }
}
