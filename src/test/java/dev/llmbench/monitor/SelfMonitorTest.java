package dev.llmbench.monitor;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.llmbench.report.model.MonitorFigures;
import io.netty.channel.DefaultEventLoop;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.junit.jupiter.api.Test;

/**
 * The self-monitor on real event loops: lag is checked against a stall the test itself causes (ground
 * truth), never against a wall-clock limit.
 */
class SelfMonitorTest {

  @Test
  void aLoopBlockedOnPurposeShowsTheBlockAsLagForAsLongAsItLasted() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      SelfMonitor monitor = new SelfMonitor();
      monitor.start();
      monitor.watch(loop);
      monitor.watch(loop); // a loop is watched once
      long tickMillis = SelfMonitor.LOOP_TICK_MICROS / 1_000;
      Thread.sleep(2 * tickMillis); // some ticks on time
      long blockNanos = TimeUnit.MILLISECONDS.toNanos(10 * tickMillis);
      loop.submit(() -> {
        long end = System.nanoTime() + blockNanos;
        while (System.nanoTime() - end < 0) {
          // the loop does nothing else meanwhile, as under a stall
        }
      }).get();
      Thread.sleep(tickMillis / 2);
      MonitorFigures m = monitor.stop().orElseThrow();
      assertEquals(1, m.eventLoops());
      assertTrue(m.loopLagSamples() >= 2, m.toString());
      // The tick handed during the block ran after it: at least the block less one period late.
      long lowerBound = (blockNanos / 1_000) - SelfMonitor.LOOP_TICK_MICROS;
      assertTrue(m.loopLagMaxMicros() >= lowerBound, "max lag " + m.loopLagMaxMicros() + " µs < " + lowerBound);
      // The ticks the block swallowed (about 9) are back-filled (jHiccup), so the block weighs as long as it
      // lasted: late samples outnumber the ~2 on-time ones and the median is late. Counted once, the
      // block would leave the median on time.
      assertTrue(m.loopLagP50Micros() >= SelfMonitor.LOOP_TICK_MICROS, m.toString());
      assertTrue(m.loopLagP50Micros() <= m.loopLagP99Micros() && m.loopLagP99Micros() <= m.loopLagMaxMicros());
      assertEquals(SelfMonitor.LOOP_TICK_MICROS, m.loopTickMicros());
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * The monitor leaves no timer on the loops it watches (a timer pending on a stream loop makes each of its
   * waits for I/O arm a kernel timeout too): their ticks are handed to them from its own thread, and still
   * come every period.
   */
  @Test
  void aWatchedLoopIsTickedWithoutATimerOfItsOwn() throws Exception {
    TimerAwareLoop loop = new TimerAwareLoop();
    try {
      SelfMonitor monitor = new SelfMonitor();
      monitor.start();
      monitor.watch(loop);
      for (int i = 0; i < 10; i++) {
        Thread.sleep(SelfMonitor.LOOP_TICK_MICROS / 1_000 / 2);
        assertFalse(loop.submit(loop::timers).get(), "a timer pending on the watched loop");
      }
      Thread.sleep(100);
      MonitorFigures m = monitor.stop().orElseThrow();
      assertTrue(m.loopLagSamples() >= 3, "ticks in about six periods: " + m.loopLagSamples());
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** A loop that tells whether a timer is pending on it. */
  private static final class TimerAwareLoop extends DefaultEventLoop {
    boolean timers() {
      return hasScheduledTasks();
    }
  }

  @Test
  void aRestartLeavesTheWarmUpOut() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      SelfMonitor monitor = new SelfMonitor();
      monitor.start();
      monitor.watch(loop);
      long blockNanos = TimeUnit.MICROSECONDS.toNanos(2 * SelfMonitor.LOOP_TICK_MICROS);
      loop.submit(() -> {
        long end = System.nanoTime() + blockNanos;
        while (System.nanoTime() - end < 0) {
          // a cold start: the loop does nothing else meanwhile
        }
      }).get();
      Thread.sleep(SelfMonitor.LOOP_TICK_MICROS / 1_000 / 2); // the late tick is recorded
      long restartedAt = System.nanoTime();
      monitor.restart();
      monitor.restart(); // once only
      Thread.sleep(3 * SelfMonitor.LOOP_TICK_MICROS / 1_000); // on-time ticks
      MonitorFigures m = monitor.stop().orElseThrow();
      long sinceRestart = System.nanoTime() - restartedAt;
      assertTrue(m.loopLagSamples() > 0, m.toString());
      assertTrue(m.loopLagMaxMicros() < blockNanos / 2_000, "the block before the restart is left out: " + m);
      assertTrue(m.wallNanos() <= sinceRestart, "the window starts at the restart: " + m);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void theWindowCountsCpuAndWallOfWhatRanInIt() {
    SelfMonitor monitor = new SelfMonitor();
    long before = System.nanoTime();
    monitor.start();
    long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    while (System.nanoTime() - spinUntil < 0) {
      // busy: this thread's CPU time is the ground truth
    }
    long threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore;
    MonitorFigures m = monitor.stop().orElseThrow();
    long elapsed = System.nanoTime() - before;
    assertTrue(m.wallNanos() > 0 && m.wallNanos() <= elapsed, m.wallNanos() + " ns within " + elapsed + " ns");
    // The process clock ticks coarser than the thread's; allow one tick (10 ms) of difference.
    assertTrue(m.processCpuNanos() + 10_000_000 >= threadCpu,
        "process CPU " + m.processCpuNanos() + " ns holds this thread's " + threadCpu + " ns");
    assertEquals(Runtime.getRuntime().availableProcessors(), m.availableProcessors());
    assertTrue(Double.isNaN(m.machineCpuLoad()) || m.machineCpuLoad() >= 0 && m.machineCpuLoad() <= 1);
    assertEquals(0, m.eventLoops());
    assertEquals(0, m.loopLagSamples());
  }

  @Test
  void readLagsAreRecordedOnWatchedLoopsOnlyInsideTheWindow() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      SelfMonitor monitor = new SelfMonitor();
      assertNull(monitor.readLags(loop), "not watched");
      monitor.start();
      monitor.watch(loop);
      SelfMonitor.ReadLags lags = monitor.readLags(loop);
      assertNotNull(lags);
      loop.submit(() -> lags.record(7_000_000)).get(); // the warm-up's: left out by the restart
      monitor.restart();
      loop.submit(() -> {
        lags.record(0); // the first read of a pass
        lags.record(400_000);
        lags.record(2_000_000);
        lags.record(-1_000); // clock granularity: no lag
      }).get();
      MonitorFigures m = monitor.stop().orElseThrow();
      loop.submit(() -> lags.record(9_000_000)).get(); // after: ignored
      assertEquals(4, m.readLagSamples(), m.toString());
      assertEquals(2_000, m.readLagMaxMicros(), 2, "within the histogram's 3 significant digits");
      assertEquals(0, m.readLagP50Micros(), m.toString());
      assertEquals(2_000, m.readLagP99Micros(), 2, m.toString());
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void sendLagsAreRecordedOnlyInsideTheWindow() {
    SelfMonitor monitor = new SelfMonitor();
    monitor.sendLag(5_000_000); // before the window: ignored
    monitor.start();
    monitor.sendLag(1_000_000);
    monitor.sendLag(3_000_000);
    monitor.sendLag(-2_000); // ready before the due time (clock granularity): no lag
    MonitorFigures m = monitor.stop().orElseThrow();
    monitor.sendLag(9_000_000); // after: ignored
    assertEquals(3, m.sendLagSamples());
    assertEquals(3_000, m.sendLagMaxMicros(), 3, "within the histogram's 3 significant digits");
    assertEquals(1_000, m.sendLagP50Micros(), 1);
    assertSame(m, monitor.stop().orElseThrow(), "stop is idempotent");
  }

  @Test
  void aMonitorNeverStartedHasNoFigures() {
    SelfMonitor monitor = new SelfMonitor();
    assertEquals(Optional.empty(), monitor.stop());
    monitor.start();
    assertFalse(monitor.running(), "a stopped monitor does not start again");
    assertEquals(Optional.empty(), monitor.stop());
  }

  @Test
  void gcPausesInTheWindowAreCounted() throws Exception {
    // Our own listener tells when the JVM has delivered the collection's notification.
    CountDownLatch delivered = new CountDownLatch(1);
    NotificationListener probe = (n, h) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        delivered.countDown();
      }
    };
    SelfMonitor monitor = new SelfMonitor();
    monitor.start();
    try (AutoCloseable listening = listen(probe)) {
      System.gc();
      assertTrue(delivered.await(10, TimeUnit.SECONDS), "the JVM reports the collection");
      Thread.sleep(100); // the monitor's listener is called by the same thread, around ours
      MonitorFigures m = monitor.stop().orElseThrow();
      assertTrue(m.gcCollections() >= 1, m.toString());
      assertTrue(m.gcPauses() >= 1, m.toString());
      assertTrue(m.gcPauseMaxMs() <= m.gcPauseTotalMs());
    }
  }

  @Test
  void aCollectionJustBeforeTheRestartIsLeftOutThoughItsNotificationComesAfter() throws Exception {
    // A measured phase collects the warm-up's garbage and then starts the window over at once: the
    // collection's notification, on the JVM's service thread, arrives during or after the restart.
    List<String> after = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch full = new CountDownLatch(1);
    AtomicReference<Map<String, Long>> atRestart = new AtomicReference<>();
    NotificationListener probe = (n, h) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
        Map<String, Long> counts = atRestart.get();
        if (counts != null && info.getGcInfo().getId() > counts.getOrDefault(info.getGcName(), 0L)) {
          after.add(info.getGcName() + " " + info.getGcInfo().getId());
        }
        if ("System.gc()".equals(info.getGcCause())) {
          full.countDown();
        }
      }
    };
    try (AutoCloseable listening = listen(probe)) {
      SelfMonitor monitor = new SelfMonitor();
      monitor.start();
      System.gc();
      atRestart.set(SelfMonitor.collectionCounts());
      monitor.restart();
      assertTrue(full.await(10, TimeUnit.SECONDS), "the JVM reports the collection");
      Thread.sleep(100); // the monitor's listener is called by the same thread, around ours
      MonitorFigures m = monitor.stop().orElseThrow();
      // Only collections after the restart count (a real one may happen in the window).
      assertTrue(m.gcPauses() <= after.size(), m + ", collections after the restart: " + after);
    }
  }

  @Test
  void gcPausesAreCountedSummedAndTheLongestKeptAndConcurrentCyclesAndEarlierOnesLeftOut() throws Exception {
    // A real collection in the window would be counted too: a probe listening over a wider window
    // says whether one happened, and then only bounds can be checked.
    List<Long> real = java.util.Collections.synchronizedList(new ArrayList<>());
    NotificationListener probe = (n, h) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
        if (!info.getGcName().endsWith("Cycles")) {
          real.add(info.getGcInfo().getDuration());
        }
      }
    };
    MonitorFigures m;
    try (AutoCloseable listening = listen(probe)) {
      SelfMonitor monitor = new SelfMonitor();
      monitor.start();
      // Ids are each collector's count of collections: beyond the counts at the start, in the window.
      Map<String, Long> counts = SelfMonitor.collectionCounts();
      long young = counts.getOrDefault("G1 Young Generation", 0L) + 100;
      monitor.gcPause("G1 Old Generation", counts.getOrDefault("G1 Old Generation", 0L), 80); // before: left out
      monitor.gcPause("G1 Young Generation", young, 3);
      monitor.gcPause("G1 Young Generation", young + 1, 7);
      monitor.gcPause("ZGC Cycles", 1_000_000, 900); // concurrent: not a pause
      monitor.gcPause("ZGC Pauses", 1_000_000, 5);
      m = monitor.stop().orElseThrow();
      Thread.sleep(100); // notifications come on the JVM's service thread
    }
    if (real.isEmpty()) {
      assertEquals(3, m.gcPauses(), m.toString());
      assertEquals(3 + 7 + 5, m.gcPauseTotalMs(), m.toString());
      assertEquals(7, m.gcPauseMaxMs(), m.toString());
    } else {
      long sum = real.stream().mapToLong(Long::longValue).sum();
      assertTrue(m.gcPauses() >= 3 && m.gcPauses() <= 3 + real.size(), m + " with real pauses " + real);
      assertTrue(m.gcPauseTotalMs() >= 15 && m.gcPauseTotalMs() <= 15 + sum, m + " with real pauses " + real);
      assertTrue(m.gcPauseMaxMs() >= 7, m.toString());
    }
  }

  @Test
  void procStatLineGivesTotalAndIdleJiffies() {
    long[] t = SelfMonitor.parseCpuLine("cpu  100 5 50 800 20 3 2 10 7 0");
    // user+nice+system+idle+iowait+irq+softirq+steal; guest is inside user already.
    assertArrayEquals(new long[] {100 + 5 + 50 + 800 + 20 + 3 + 2 + 10, 800 + 20}, t);
    assertNull(SelfMonitor.parseCpuLine("cpu0 1 2 3 4 5"), "only the all-CPU line");
  }

  /** Adds {@code probe} to every collector's notifications; closing removes it. */
  private static AutoCloseable listen(NotificationListener probe) {
    List<NotificationEmitter> emitters = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(probe, null, null);
        emitters.add(e);
      }
    }
    return () -> {
      for (NotificationEmitter e : emitters) {
        e.removeNotificationListener(probe);
      }
    };
  }
}
