package dev.llmbench.monitor;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import dev.llmbench.report.model.MonitorFigures;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The load generator watching itself while a run goes, so that a run whose figures were bent by the
 * client can say so ({@code dev.llmbench.report.stats.ValidityCheck}). Started once when the load
 * starts and stopped once before any post-run work; between the two it measures:
 *
 * <ul>
 *   <li><b>event-loop timer lag</b>: every event loop given to {@link #watch} is handed a tick every
 *       {@value #LOOP_TICK_MICROS} µs from the monitor's own thread, and each tick records how long the loop
 *       took to run it (not a timer of the loop's own: see {@link Ticks}). A loop has one tick at a time, so a
 *       stall causes no burst of catch-up ticks; instead, as jHiccup does, the ticks a stall
 *       swallowed are back-filled ({@code recordValueWithExpectedInterval}): a one-second stall weighs as
 *       ten late ticks, not one. A loop busy with
 *       other work, or a thread waiting for a core, runs its tick late; every token event stamped on that
 *       loop meanwhile is stamped late too.
 *   <li><b>read lag</b> ({@link #readLags}): for each read of a stream on a watched loop, its stamp
 *       minus the stamp of the first read of the same I/O pass of that loop (one wake-up: the reads the
 *       kernel handed over together). A read ready when the pass began and stamped later than its
 *       first read was stamped late by at least the difference: the time the loop spent on the reads
 *       before it. Where a pass also takes in reads that arrived while it ran, as Netty's io_uring
 *       pass can, those are counted from its start too, so under heavy load the figure can overstate.
 *       The timer lag cannot see this, as a loop busy with a burst of reads is not late for its timer
 *       by much; it is what makes the error grow with the number of streams (docs/injector-efficiency.md,
 *       "Late reads at 256 streams, and the VM's wake-ups").
 *   <li><b>send lag</b> ({@link #sendLag}): how long after its scheduled arrival a request's bytes went
 *       to the socket, for requests that had to wait for their arrival (open model).
 *   <li><b>CPU</b>: the process's CPU time over the window ({@code getProcessCpuTime}) and the machine's
 *       busy share ({@code /proc/stat} on Linux, else the JDK's {@code getCpuLoad} since its last call).
 *   <li><b>GC</b>: each stop-the-world pause from GC notifications (count, total, longest), and the
 *       collectors' own totals. Notifications of concurrent cycles (collectors named "... Cycles", as
 *       ZGC and Shenandoah report them) are not pauses and are left out of the pause figures.
 * </ul>
 *
 * Cost: one tick per loop every {@value #LOOP_TICK_MICROS} µs (a task handed over, a nanoTime and a
 * histogram record), one histogram record per read (HdrHistogram's {@link SingleWriterRecorder}: no lock, the
 * loop is its only writer) and per scheduled request, and a handful of MXBean reads at start and
 * stop. Thread-safe; {@link #watch}, {@link #readLags} and {@link #sendLag} are called from event loops.
 */
public final class SelfMonitor {
  /**
   * Period of the tick on each event loop, µs. Each tick handed to an idle loop costs the handing thread an
   * eventfd write and the loop a wake-up of its own: every 10 ms that was about a sixth of the client's CPU
   * per token event at 64 streams on a 2-core VM (docs/injector-efficiency.md, "No timers on the stream
   * loops"). Every 100 ms a stall of 100 ms or more is still seen whole (back-filled), a shorter one in
   * proportion to its length.
   */
  public static final long LOOP_TICK_MICROS = 100_000;

  private static final long TICK_NANOS = LOOP_TICK_MICROS * 1_000;
  /** Loop identities seen, so that a loop is watched once; read on every request, written once per loop. */
  private final Map<EventExecutor, LoopProbe> loops = new ConcurrentHashMap<>();
  private final Histogram sendLag = new Histogram(3);
  private final Object gcLock = new Object();
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final NotificationListener gcListener = this::onGc;

  private volatile boolean running;
  private volatile boolean stopped;
  private volatile boolean restarted;
  private long startNanos;
  /**
   * Per collector, its collections before the window: a reported collection's id is its count, and
   * their total, set against the total at the end, is the window's number of collections.
   */
  private volatile Map<String, Long> startCounts = Map.of();
  private long startCpuNanos;
  private long[] startMachineTicks;
  private long startCollectorMs;
  private long gcPauses;
  private long gcPauseTotalMs;
  private long gcPauseMaxMs;
  private List<NotificationEmitter> emitters = List.of();
  private Optional<MonitorFigures> figures = Optional.empty();
  /** The thread that ticks the watched loops while the window is open ({@link Ticks}). */
  private ScheduledExecutorService ticks;

  /**
   * Starts the load window; later calls do nothing. Registers the GC listener and takes the CPU
   * readings the figures are differences of.
   */
  public synchronized void start() {
    if (running || stopped) {
      return;
    }
    List<NotificationEmitter> registered = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(gcListener, null, null);
        registered.add(emitter);
      }
    }
    emitters = List.copyOf(registered);
    startCollectorMs = collectorMillis();
    startMachineTicks = machineTicks();
    if (startMachineTicks == null) {
      os.getCpuLoad(); // primes the JDK's reading: the next call reports the load since this one
    }
    startCpuNanos = os.getProcessCpuTime();
    startNanos = System.nanoTime();
    startCounts = collectionCounts();
    running = true;
    ticks = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("llmb-loop-ticks", true));
    ticks.scheduleAtFixedRate(new Ticks(), TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts the window over from now, once: called when the first measured request is taken, so the
   * warm-up's cold start (JIT compilation, the first connections, hundreds of requests built at once
   * by code not yet compiled) is left out, as the warm-up's requests are left out of every statistic.
   * Later calls, or calls outside the window, do nothing. A call made while the first is still
   * starting the window over waits for it, so no measured request goes out before the window starts.
   */
  public void restart() {
    if (restarted || !running) {
      return; // the common case, once per request: no lock
    }
    synchronized (this) {
      if (!restarted && running) {
        restartWindow();
        restarted = true; // only now: until then, other callers wait on the lock instead of sending
      }
    }
  }

  private void restartWindow() {
    for (LoopProbe p : loops.values()) {
      synchronized (p.lag) {
        p.lag.reset();
      }
      p.reads.lags.reset();
    }
    synchronized (sendLag) {
      sendLag.reset();
    }
    synchronized (gcLock) {
      // Under the same lock as the count: a collection's notification is delivered either before
      // this (counted, then reset) or after it (left out by its id, if it ended before now).
      startCounts = collectionCounts();
      gcPauses = 0;
      gcPauseTotalMs = 0;
      gcPauseMaxMs = 0;
    }
    startCollectorMs = collectorMillis();
    startMachineTicks = machineTicks();
    if (startMachineTicks == null) {
      os.getCpuLoad();
    }
    startCpuNanos = os.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  /** Whether the window is open: started and not yet stopped. */
  public boolean running() {
    return running;
  }

  /**
   * Watches an event loop's timer lag from now until {@link #stop}; a loop already watched, or a call
   * outside the window, does nothing. Cheap enough to call for every request.
   */
  public void watch(EventExecutor loop) {
    if (!running || loops.containsKey(loop)) {
      return;
    }
    LoopProbe probe = new LoopProbe(loop);
    loops.putIfAbsent(loop, probe); // ticked from the next tick on (Ticks)
  }

  /**
   * The read-lag recorder of {@code loop}, or null when this monitor does not watch it ({@link #watch}
   * was not called for it in the window). Ask on the loop itself: its recorder has that one writer.
   */
  public ReadLags readLags(EventExecutor loop) {
    LoopProbe probe = loops.get(loop);
    return probe == null ? null : probe.reads;
  }

  /** Records a request that was ready to send {@code lagNanos} after its scheduled arrival. */
  public void sendLag(long lagNanos) {
    if (!running) {
      return;
    }
    synchronized (sendLag) {
      sendLag.recordValue(Math.max(0, lagNanos / 1_000));
    }
  }

  /**
   * Ends the window and returns its figures; later calls return the same. Empty when the window was
   * never opened (the run stopped before its load started).
   */
  public synchronized Optional<MonitorFigures> stop() {
    if (stopped) {
      return figures;
    }
    stopped = true;
    if (!running) {
      return figures;
    }
    running = false;
    long wall = System.nanoTime() - startNanos;
    ticks.shutdownNow();
    long cpu = Math.max(0, os.getProcessCpuTime() - startCpuNanos);
    double machine = machineLoad();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(gcListener);
      } catch (ListenerNotFoundException ignored) {
        // not registered on this one: nothing to remove
      }
    }
    Histogram loopLag = new Histogram(3);
    Histogram readLag = new Histogram(3);
    for (LoopProbe p : loops.values()) {
      synchronized (p.lag) {
        loopLag.add(p.lag);
      }
      readLag.add(p.reads.lags.getIntervalHistogram());
    }
    Histogram send;
    synchronized (sendLag) {
      send = sendLag.copy();
    }
    long pauses;
    long pauseMax;
    long pauseTotal;
    synchronized (gcLock) {
      pauses = gcPauses;
      pauseMax = gcPauseMaxMs;
      pauseTotal = gcPauseTotalMs;
    }
    figures = Optional.of(new MonitorFigures(wall, cpu, Runtime.getRuntime().availableProcessors(), machine,
        LOOP_TICK_MICROS, loops.size(), loopLag.getTotalCount(), quantile(loopLag, 50), quantile(loopLag, 99),
        loopLag.getMaxValue(), readLag.getTotalCount(), quantile(readLag, 50), quantile(readLag, 99),
        readLag.getMaxValue(), send.getTotalCount(), quantile(send, 50), quantile(send, 99), send.getMaxValue(),
        pauses, pauseTotal, pauseMax, Math.max(0, total(collectionCounts()) - total(startCounts)),
        Math.max(0, collectorMillis() - startCollectorMs)));
    return figures;
  }

  /**
   * A percentile as the histogram's highest equivalent value: within its 3 significant digits, never
   * below the true value, and never above the max (so p50 <= p99 <= max holds).
   */
  private static long quantile(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : Math.min(h.getValueAtPercentile(percentile), h.getMaxValue());
  }

  private void onGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()) || !running) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    gcPause(info.getGcName(), info.getGcInfo().getId(), info.getGcInfo().getDuration());
  }

  /**
   * One collection the JVM reported: its collector's name, its id (the collector's count of
   * collections, this one included) and its duration, ms. A collection that ended before the window
   * is left out: its notification comes later, on the JVM's service thread, and may arrive after the
   * window started over (a run collects the warm-up's garbage just before its measured load, see
   * {@code Phase}). Ids, not start times: the JVM stamps collections on a clock of its own, some ms
   * off the uptime's.
   */
  void gcPause(String collector, long id, long durationMs) {
    if (collector.endsWith("Cycles")) {
      return; // a concurrent cycle (ZGC, Shenandoah): its pauses are reported by the "... Pauses" collector
    }
    long ms = Math.max(0, durationMs);
    synchronized (gcLock) {
      if (id <= startCounts.getOrDefault(collector, 0L)) {
        return;
      }
      gcPauses++;
      gcPauseTotalMs += ms;
      gcPauseMaxMs = Math.max(gcPauseMaxMs, ms);
    }
  }

  /** Each collector's count of collections so far. */
  static Map<String, Long> collectionCounts() {
    Map<String, Long> counts = new HashMap<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      counts.put(gc.getName(), Math.max(0, gc.getCollectionCount()));
    }
    return Map.copyOf(counts);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long collectorMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** The machine's busy share since {@link #start}, 0..1, NaN when unknown. */
  private double machineLoad() {
    if (startMachineTicks != null) {
      long[] end = machineTicks();
      if (end != null) {
        double total = end[0] - startMachineTicks[0];
        double idle = end[1] - startMachineTicks[1];
        return total > 0 ? Math.min(1, Math.max(0, 1 - idle / total)) : Double.NaN;
      }
    }
    double load = os.getCpuLoad();
    return load >= 0 && load <= 1 ? load : Double.NaN;
  }

  /**
   * Total and idle (idle + iowait) jiffies of all CPUs from the first line of {@code /proc/stat}, or
   * null where there is none (not Linux).
   */
  static long[] machineTicks() {
    Path stat = Path.of("/proc/stat");
    if (!Files.isReadable(stat)) {
      return null;
    }
    try (var lines = Files.lines(stat)) {
      return lines.findFirst().map(SelfMonitor::parseCpuLine).orElse(null);
    } catch (IOException | RuntimeException e) {
      return null; // the machine's load is informative only: without it the figure is unknown
    }
  }

  /** {@code cpu  user nice system idle iowait irq softirq steal ...} to {total, idle + iowait}. */
  static long[] parseCpuLine(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 5 || !f[0].equals("cpu")) {
      return null;
    }
    long total = 0;
    // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total, idle};
  }

  /** The read lags of one event loop, recorded on that loop only. */
  public final class ReadLags {
    private final SingleWriterRecorder lags = new SingleWriterRecorder(3);

    private ReadLags() {}

    /** A read stamped {@code lagNanos} after the first read of its I/O pass; call on the loop only. */
    public void record(long lagNanos) {
      if (running) {
        lags.recordValue(Math.max(0, lagNanos / 1_000));
      }
    }
  }

  /**
   * The lags of one event loop; its histograms are written on the loop and read at stop. Its tick is handed
   * to the loop as a task by the monitor's own thread ({@link Ticks}), at most one at a time, and records how
   * long the loop took to run it.
   */
  private final class LoopProbe implements Runnable {
    private final EventExecutor loop;
    private final Histogram lag = new Histogram(3);
    private final ReadLags reads = new ReadLags();
    /** When the tick under way was handed to the loop; 0 when none is. Written by both threads, one at a time. */
    private volatile long handedNanos;

    LoopProbe(EventExecutor loop) {
      this.loop = loop;
    }

    /** Hands the loop its next tick, unless the last one has not run yet (a stall: it is back-filled then). */
    void tick(long now) {
      if (handedNanos != 0) {
        return;
      }
      handedNanos = now;
      try {
        loop.execute(this);
      } catch (RejectedExecutionException e) {
        // the loop is shutting down: the run is over for it
      }
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      long handed = handedNanos;
      if (running) {
        synchronized (lag) {
          // A stall of k ticks also held back the k - 1 ticks that could not be handed meanwhile: back-fill them
          // (lag - 1 tick, lag - 2 ticks, ...), as jHiccup does, so a long stall weighs as long as it lasted.
          lag.recordValueWithExpectedInterval(Math.max(0, (now - handed) / 1_000), LOOP_TICK_MICROS);
        }
      }
      handedNanos = 0;
    }
  }

  /**
   * The thread that hands each watched loop its tick every {@value #LOOP_TICK_MICROS} µs. A timer of the loop's
   * own would do the same, but a timer pending on a Netty loop makes each of its waits for I/O arm a kernel
   * timeout beside it (with io_uring, a timeout request completed by the next completion: more work per
   * wake-up for the kernel and the loop), and the stream loops wait thousands of times a second. With no
   * timer pending on the stream loops (this tick and the requests' timeouts, {@code StreamLoops}), the client
   * spent about a fifth less CPU per token event at 64 streams (docs/injector-efficiency.md, "No timers on
   * the stream loops"); what a tick handed over costs is why it comes every {@value #LOOP_TICK_MICROS} µs.
   */
  private final class Ticks implements Runnable {
    @Override
    public void run() {
      long now = System.nanoTime();
      for (LoopProbe p : loops.values()) {
        p.tick(now);
      }
    }
  }
}
