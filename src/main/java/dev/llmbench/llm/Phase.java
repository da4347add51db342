package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.run.RunBreaker;
import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.llm.stream.Keys;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A step of a run: its tickets, served in order by {@code workers} virtual users that each take the
 * next ticket, wait for its arrival time, stream it, and go on until none is left. With as many
 * workers as tickets this is an open workload (arrivals alone decide); with fewer it is bench_serving's
 * {@code --max-concurrency}: a request that arrives while every worker is busy waits for one.
 *
 * <p>A request a worker took before its arrival time, and so paused for, carries its due time: the
 * stream action reports its send lag to the run's self-monitor ({@link RunMonitor}), when its stream
 * loop began to send it minus the scheduled arrival. A request taken after its arrival
 * time waited for a worker (closed model, or {@code request.rate=inf}), which is the load shape, not
 * the client being late.
 *
 * <p>In a phase with a schedule or a concurrency limit, every request has a scheduled arrival, the
 * phase's start plus its ticket's offset (all at the start for {@code request.rate=inf}): each virtual
 * user carries the phase's start ({@link Keys#PHASE_START_NANOS}, set once per user, not per request),
 * and the stream action measures the request's client queue time from it (vLLM's
 * {@code client_queue_time}: sent minus arrival). A phase without either (as many workers as
 * requests, all due at once) has no arrival to wait from.
 *
 * <p>Once the run's circuit breaker has tripped ({@link RunBreaker}), a worker takes no more tickets:
 * the rest of the phase is counted as not sent, and the phase ends as its requests in flight do.
 */
public final class Phase {
  private final String name;
  private final List<Ticket> all;
  private final ConcurrentLinkedQueue<Ticket> tickets;
  private final int workers;
  private final AtomicLong startNanos = new AtomicLong();
  /** Whether any request has an arrival time after the phase's start (an open model's schedule). */
  private final boolean scheduled;
  /**
   * Whether the requests have arrival times a client queue time is measured from: a schedule, or fewer
   * workers than requests (bench_serving's {@code --max-concurrency}), where a request may wait for a worker.
   */
  private final boolean arrivals;

  public Phase(String name, List<Ticket> tickets, int workers) {
    if (tickets.isEmpty()) {
      throw new IllegalArgumentException("phase " + name + " has no request");
    }
    this.name = name;
    this.all = List.copyOf(tickets);
    this.tickets = new ConcurrentLinkedQueue<>(tickets);
    this.workers = Math.max(1, Math.min(workers, tickets.size()));
    this.scheduled = tickets.stream().anyMatch(t -> t.arrivalOffsetNanos() > 0);
    this.arrivals = scheduled || this.workers < tickets.size();
  }

  public String name() {
    return name;
  }

  public List<Ticket> tickets() {
    return all;
  }

  public int workers() {
    return workers;
  }

  /** The virtual users of this phase, all started at once, streaming with {@code stream}. */
  public PopulationBuilder population(StreamActionBuilder stream) {
    RunMonitor run = stream.run().monitor();
    ChainBuilder take = exec(session -> take(session, run));
    ChainBuilder send = group(s -> ticket(s).group()).on(exec(stream));
    // Gatling's pause schedules a timer task even for no wait, an extra pass of the user's event loop
    // per request: a phase whose requests all arrive at once (request.rate=inf) goes without it.
    ChainBuilder request = scheduled ? exec(pause(this::untilArrival), exec(this::ready), send) : send;
    ChainBuilder loop = take.asLongAs(s -> s.contains(Keys.TICKET)).on(request, take);
    // The phase's start, once per user: the arrivals are measured from it, with no attribute per request.
    return scenario(name)
        .exec(arrivals ? exec(this::withStart).exec(loop) : loop)
        .injectOpen(atOnceUsers(workers));
  }

  private Session take(Session session, RunMonitor run) {
    if (startNanos.get() == 0) {
      start();
    }
    long now = System.nanoTime();
    RunBreaker breaker = run.breaker();
    if (breaker.open()) {
      // The server is failing (RunBreaker): hand out nothing more; the rest is not sent.
      for (Ticket left; (left = tickets.poll()) != null; ) {
        breaker.notSent(left);
      }
    }
    // Gatling's loops are not watched: a user leaves them with its first request. The stream loops,
    // where users then live and tokens are stamped, are (StreamAction); a late send shows as send lag.
    // Each watched loop's timer is a wake-up, which costs CPU per event (docs/injector-efficiency.md, "What made the difference").
    Ticket t = tickets.poll();
    if (t == null) {
      return session.remove(Keys.TICKET);
    }
    if (!t.warmup()) {
      run.monitor().restart(); // the judged window starts with the measured load
    }
    // One attribute for the whole request: Gatling converts each attribute into its session map, a
    // fifth of the virtual user's work with seven (docs/injector-efficiency.md, "What made the difference").
    return scheduled ? session.set(Keys.TICKET, t).set(Keys.TAKEN_NANOS, now) : session.set(Keys.TICKET, t);
  }

  /** The user's session with the phase's start, starting the phase's clock if no user has yet. */
  private Session withStart(Session session) {
    if (startNanos.get() == 0) {
      start();
    }
    return session.set(Keys.PHASE_START_NANOS, startNanos.get());
  }

  /**
   * The phase's clock starts with its first take (in a phase with arrivals, as its first user begins,
   * just before that). A measured phase first collects the garbage of start-up and warm-up, as a
   * benchmark harness does between iterations: otherwise the JVM's first young collections fall inside the measured load, each pausing the stream loops while they copy
   * what start-up left, and a pause that falls where a round's first tokens arrive makes most of that
   * round late; after it, young pauses copy only requests in flight (docs/injector-efficiency.md, "What made the difference"). The other users' first takes wait here, so no
   * request starts before the clock, and the self-monitor's window starts after it.
   */
  private synchronized void start() {
    if (startNanos.get() == 0) {
      if (!all.get(0).warmup()) {
        System.gc();
      }
      startNanos.set(System.nanoTime());
    }
  }

  private static Ticket ticket(Session session) {
    return (Ticket) session.get(Keys.TICKET);
  }

  private long due(Session session) {
    return startNanos.get() + ticket(session).arrivalOffsetNanos();
  }

  private Duration untilArrival(Session session) {
    return Duration.ofNanos(Math.max(0, due(session) - System.nanoTime()));
  }

  /**
   * After the pause: a request that waited for its scheduled arrival carries its due time, and the
   * stream action reports its send lag (when its stream loop began to send it, minus that).
   */
  private Session ready(Session session) {
    long due = due(session);
    // nanoTime stamps are compared by difference: they may wrap.
    if (due - session.getLong(Keys.TAKEN_NANOS) > 0) {
      return session.set(Keys.DUE_NANOS, due);
    }
    return session.remove(Keys.DUE_NANOS);
  }
}
