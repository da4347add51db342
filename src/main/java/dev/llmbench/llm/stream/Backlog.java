package dev.llmbench.llm.stream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Per-request work of a stream loop (sending a request, the bookkeeping of a finished stream), done
 * in slices of at most {@value #SLICE_MICROS} µs between I/O passes, so that reads are never held
 * back longer than that. Netty runs a loop's queued tasks for up to 100 ms before its next I/O pass;
 * when hundreds of streams end in the same server step (a closed model with equal lengths), their
 * bookkeeping would then hold every other stream's token events for milliseconds
 * (docs/injector-efficiency.md, "What made the difference"). A slice that runs out reschedules the rest as a timer due now, which Netty takes up only after
 * the next I/O pass. Confined to its loop: no locks.
 */
final class Backlog implements Runnable {
  static final long SLICE_MICROS = 500;
  private static final long SLICE_NANOS = SLICE_MICROS * 1_000;
  private static final FastThreadLocal<Backlog> BACKLOGS = new FastThreadLocal<>();
  private static final InternalLogger LOG = InternalLoggerFactory.getInstance(Backlog.class);

  private final EventLoop loop;
  private final ArrayDeque<Runnable> work = new ArrayDeque<>();
  private boolean scheduled;

  private Backlog(EventLoop loop) {
    this.loop = loop;
  }

  /** Queues work on {@code loop}; call on that loop. */
  static void add(EventLoop loop, Runnable task) {
    Backlog backlog = BACKLOGS.get();
    if (backlog == null) {
      backlog = new Backlog(loop);
      BACKLOGS.set(backlog);
    }
    backlog.work.addLast(task);
    if (!backlog.scheduled) {
      backlog.scheduled = true;
      loop.execute(backlog); // after the I/O pass under way, as any task
    }
  }

  @Override
  public void run() {
    long deadline = System.nanoTime() + SLICE_NANOS;
    Runnable task;
    while ((task = work.pollFirst()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("a stream task failed; the others go on", e); // as Netty reports a failed task
      }
      if (System.nanoTime() - deadline >= 0 && !work.isEmpty()) {
        loop.schedule(this, 0, TimeUnit.NANOSECONDS); // the rest after the next I/O pass
        return;
      }
    }
    scheduled = false;
  }
}
