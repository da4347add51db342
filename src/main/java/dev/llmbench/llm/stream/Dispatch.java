package dev.llmbench.llm.stream;

import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.metrics.ServingFormulas;
import io.gatling.core.session.Session;
import io.netty.channel.EventLoop;
import scala.collection.immutable.List;

/**
 * What every action on the stream loops ({@link StreamAction}, {@link PoolingAction}) does the same
 * way (the user moved to its stream loop first, {@link StreamLoops#place}): hand the exchange to that loop,
 * and at the end account for when it was sent; and name the row's group.
 */
final class Dispatch {
  private Dispatch() {}

  /**
   * Sends {@code exchange} on {@code loop}: its due time when the session was scheduled (open model)
   * and paused for it, its scheduled arrival when its phase gives arrivals (the phase's start plus
   * {@code arrivalOffsetNanos}), the loop watched by the self-monitor, the progress line told, and the
   * send queued on the loop, not before its due time.
   */
  static void send(Session session, Exchange exchange, long arrivalOffsetNanos, EventLoop loop, StreamLoops loops,
      StreamTarget target, RunMonitor run) {
    var attributes = session.attributes();
    Object due = attributes.get(Keys.DUE_NANOS).getOrElse(() -> null);
    if (due instanceof Long d) {
      exchange.dueNanos = d;
    }
    if (attributes.get(Keys.PHASE_START_NANOS).getOrElse(() -> null) instanceof Long start) {
      exchange.arrivalNanos = start + arrivalOffsetNanos;
      exchange.arrives = true;
    }
    run.monitor().watch(loop);
    run.progress().sent();
    Runnable send = () -> StreamConnection.send(loop, loops, target, exchange);
    long early = exchange.dueNanos == 0 ? 0 : exchange.dueNanos - System.nanoTime();
    if (early > 0) {
      // Gatling's pause counts whole milliseconds (it truncates), so a paused request can come up to 1 ms
      // before its arrival; sent then, it would leave early and its queue time would hide it (0, not
      // negative). The loop's timer waits out the rest, to the microsecond.
      loop.schedule(() -> Backlog.add(loop, send), early, java.util.concurrent.TimeUnit.NANOSECONDS);
    } else if (loop.inEventLoop()) {
      Backlog.add(loop, send);
    } else {
      loop.execute(() -> Backlog.add(loop, send));
    }
  }

  /**
   * At the exchange's end: one that failed before it was sent (no connection) takes no time, from now;
   * a scheduled one (open model) reports how late its loop began to send it, as the validity verdict
   * judges the client. Not its send stamp: a new connection's connect (a round trip, the server's
   * accept) comes between the two, and would call a run client-bound for a distant server.
   */
  static void ended(Exchange x, long endNanos, RunMonitor run) {
    if (x.record.sentNanos == 0) {
      x.markSent(endNanos);
      x.arrives = false; // never sent: it did not queue, it failed (no queue time)
    } else if (x.dueNanos != 0) {
      run.monitor().sendLag(x.readyNanos - x.dueNanos);
    }
  }

  /**
   * The exchange's client queue time in µs ({@link ServingFormulas#clientQueue}: its send stamp, where
   * E2E starts, minus its scheduled arrival), -1 when it has no arrival or was never sent. Call after
   * {@link #ended}.
   */
  static long queueMicros(Exchange x) {
    return x.arrives ? ServingFormulas.clientQueue(x.arrivalNanos, x.record.sentNanos) / 1_000 : -1;
  }

  /** The row's group: the session's innermost Gatling group, or "" outside any. */
  static String group(Session session) {
    List<String> groups = session.groups();
    return groups.isEmpty() ? "" : groups.head();
  }
}
