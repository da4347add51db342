package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.run.RunBreaker;
import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.llm.run.SaturationWatch;
import dev.llmbench.llm.stream.Keys;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
 * the rest of the phase is counted as not sent, and the phase ends as its requests in flight do. A phase
 * of measured requests with scheduled arrivals (open model) is watched for over-saturation while it runs
 * ({@link SaturationWatch}); with {@code -Dstop.on.saturation=true}, once the server is seen falling
 * behind, the phase stops as on a trip: no more tickets, and the stream action sends none that a user
 * already holds. So it does once a deferred phase's own stop says so ({@link Planned#stop}).
 *
 * <p>A <i>deferred</i> phase ({@link #deferred}) learns its tickets and workers only when it starts, from
 * what the phases before it measured: a capacity search's next step. It injects the most workers it
 * may need; those beyond the step's count leave at once.
 */
public final class Phase {
  private final String name;
  private volatile List<Ticket> all;
  private final ConcurrentLinkedQueue<Ticket> tickets;
  private volatile int workers;
  /** The virtual users injected: the workers, or for a deferred phase the most it may need. */
  private final int users;
  private final AtomicLong startNanos = new AtomicLong();
  /** Whether any request has an arrival time after the phase's start (an open model's schedule). */
  private final boolean scheduled;
  /** What decides a deferred phase's tickets when it starts; null for a phase planned up front. */
  private final Supplier<Planned> deferred;
  /** Why a deferred phase stops handing out tickets (null while it goes on); null for none. */
  private volatile Supplier<String> stop;
  /** Users that joined: those beyond {@link #workers} leave at once. */
  private final AtomicInteger joined = new AtomicInteger();

  /**
   * A deferred phase's requests, decided when it starts.
   *
   * @param tickets its requests; none to skip the phase
   * @param workers how many are in flight at most
   * @param stop why to stop handing out the rest (checked before each), null to go on; or null for no such stop
   */
  public record Planned(List<Ticket> tickets, int workers, Supplier<String> stop) {
    public Planned {
      tickets = List.copyOf(tickets);
    }

    /** A phase that sends nothing: every user leaves at once. */
    public static final Planned NONE = new Planned(List.of(), 1, null);
  }
  /**
   * Its over-saturation watch, made when it starts; null when not watched (not open model, or warm-up).
   * Set before the clock starts ({@link #startNanos}, volatile), so every take after it sees it.
   */
  private SaturationWatch watch;
  /**
   * Whether the requests have arrival times a client queue time is measured from: a schedule, or fewer
   * workers than requests (bench_serving's {@code --max-concurrency}), where a request may wait for a worker.
   * A deferred phase knows it when it starts.
   */
  private volatile boolean arrivals;

  public Phase(String name, List<Ticket> tickets, int workers) {
    if (tickets.isEmpty()) {
      throw new IllegalArgumentException("phase " + name + " has no request");
    }
    this.name = name;
    this.all = List.copyOf(tickets);
    this.tickets = new ConcurrentLinkedQueue<>(tickets);
    this.workers = Math.max(1, Math.min(workers, tickets.size()));
    this.users = this.workers;
    this.scheduled = tickets.stream().anyMatch(t -> t.arrivalOffsetNanos() > 0);
    this.arrivals = scheduled || this.workers < tickets.size();
    this.deferred = null;
  }

  private Phase(String name, int users, boolean scheduled, Supplier<Planned> deferred) {
    this.name = name;
    this.all = List.of();
    this.tickets = new ConcurrentLinkedQueue<>();
    this.workers = users;
    this.users = users;
    this.scheduled = scheduled;
    this.deferred = deferred;
  }

  /**
   * A phase whose requests are decided when it starts ({@code plan}, called once, when its first user
   * joins, after every phase before it has ended).
   *
   * @param maxWorkers the most workers it may get: as many virtual users are injected
   * @param scheduled whether its requests may carry arrival times (an open model): they are waited for
   */
  public static Phase deferred(String name, int maxWorkers, boolean scheduled, Supplier<Planned> plan) {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("phase " + name + " needs at least one worker, but had " + maxWorkers);
    }
    return new Phase(name, maxWorkers, scheduled, plan);
  }

  public String name() {
    return name;
  }

  /** Its requests: for a deferred phase, none until it started. */
  public List<Ticket> tickets() {
    return all;
  }

  public int workers() {
    return workers;
  }

  /** The virtual users of this phase, all started at once, streaming with {@code stream}. */
  public PopulationBuilder population(StreamActionBuilder stream) {
    RunMonitor run = stream.run().monitor();
    ChainBuilder join = exec(session -> join(session, run));
    ChainBuilder take = exec(session -> take(session, run));
    ChainBuilder send = group(s -> ticket(s).group()).on(exec(stream));
    // Gatling's pause schedules a timer task even for no wait, an extra pass of the user's event loop
    // per request: a phase whose requests all arrive at once (request.rate=inf) goes without it.
    ChainBuilder request = scheduled ? exec(pause(this::untilArrival), exec(this::ready), send) : send;
    return scenario(name)
        .exec(join.asLongAs(s -> s.contains(Keys.TICKET)).on(request, take))
        .injectOpen(atOnceUsers(users));
  }

  /** A user's first take: beyond the phase's workers (a deferred phase's), it leaves at once. */
  private Session join(Session session, RunMonitor run) {
    if (startNanos.get() == 0) {
      start(run);
    }
    if (joined.incrementAndGet() > workers) {
      return session.remove(Keys.TICKET);
    }
    // The phase's start, once per user: the arrivals are measured from it, with no attribute per request.
    return take(arrivals ? session.set(Keys.PHASE_START_NANOS, startNanos.get()) : session, run);
  }

  private Session take(Session session, RunMonitor run) {
    long now = System.nanoTime();
    RunBreaker breaker = run.breaker();
    Supplier<String> stopped = stop;
    if (breaker.open() || watch != null && watch.stopped() || stopped != null && stopped.get() != null) {
      // The server is failing (RunBreaker), fell behind with stop.on.saturation (SaturationWatch), or a
      // deferred phase's own stop says so: hand out nothing more; the rest is not sent.
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

  /**
   * The phase's clock starts with its first user's first take. A measured phase first collects the garbage of start-up and warm-up, as a
   * benchmark harness does between iterations: otherwise the JVM's first young collections fall inside the measured load, each pausing the stream loops while they copy
   * what start-up left, and a pause that falls where a round's first tokens arrive makes most of that
   * round late; after it, young pauses copy only requests in flight (docs/injector-efficiency.md, "What made the difference"). The other users' first takes wait here, so no
   * request starts before the clock, and the self-monitor's window starts after it.
   */
  private synchronized void start(RunMonitor run) {
    if (startNanos.get() == 0) {
      if (deferred != null) {
        Planned plan = deferred.get();
        all = plan.tickets();
        tickets.addAll(all);
        workers = Math.max(1, Math.min(plan.workers(), Math.min(users, Math.max(1, all.size()))));
        stop = plan.stop();
        arrivals = scheduled || workers < all.size();
      }
      if (!all.isEmpty() && !all.get(0).warmup()) {
        System.gc();
        // Watched under its requests' group, the name the result and a capacity search know it by.
        watch = scheduled ? run.saturationWatch(all.get(0).group(), all.stream().filter(t -> !t.warmup()).count())
            : null;
      }
      run.saturationStarts(watch); // phases run one after another: this one's sends feed its watch
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
