package dev.llmbench.llm.stream;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Gatling stats rows of finished requests (TTFT, one ITL row per gap, TPOT, E2E), handed to
 * Gatling's stats engine in batches from a thread of their own every {@value #PERIOD_MILLIS} ms.
 *
 * <p>Why not at once, on the stream loop: Gatling's file writer is an actor that a pool thread runs
 * whenever a row arrives while it is idle, and it writes a row about as fast as the loop can log one.
 * Logged one request at a time, it idled and was woken again several times per request: at 64
 * streams, more than half of that thread's time was going to sleep and waking (async-profiler), and
 * the stream loop paid for the wake-ups while it should be reading. In batches it wakes a few times
 * per batch.
 *
 * <p>Nothing is lost at the end: every virtual user, once out of requests, calls {@link #flush()}
 * before it ends ({@code Phase}), and a user's rows are queued before its session moves on, so the
 * last user to end has flushed every row before Gatling closes its writers. Thread-safe.
 */
public final class StatsRows {
  static final long PERIOD_MILLIS = 50;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final Object flushing = new Object();
  private volatile boolean running;
  private Thread thread;

  /** Queues what logs a finished request's rows; runs it at once when no batching thread runs. */
  public void add(Runnable logRows) {
    if (!running) {
      logRows.run();
      return;
    }
    queue.add(logRows);
  }

  /** Starts the batching thread. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(() -> {
      while (running) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        flush();
      }
    }, "llmb-stats-rows");
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands every queued row to Gatling now, on the caller's thread; returns once they all are. */
  public void flush() {
    // The lock makes a caller wait for a batch another thread has taken but not yet logged.
    synchronized (flushing) {
      Runnable logRows;
      while ((logRows = queue.poll()) != null) {
        logRows.run();
      }
    }
  }

  /** Stops the thread and flushes what is left; rows added later are logged at once. */
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
    flush();
  }
}
