package dev.llmbench.llm.stream;

import dev.llmbench.llm.run.RunMonitor;
import io.gatling.core.session.Session;
import io.netty.channel.EventLoop;
import scala.collection.immutable.List;

/**
 * What every action on the stream loops ({@link StreamAction}, {@link PoolingAction}) does the same
 * way: move the virtual user to its stream loop, hand the exchange to that loop, and at the end account
 * for when it was sent; and name the row's group.
 */
final class Dispatch {
  private Dispatch() {}

  /**
   * The virtual user on {@code loop} for good (its first request comes from Gatling's loop): Gatling
   * runs a session's actions on the session's event loop, so from then on the user's own steps run
   * there too, with no hop between threads per request, each a wake-up.
   */
  static Session onLoop(Session session, EventLoop loop) {
    return session.eventLoop() == loop ? session : session.copy(session.scenario(), session.userId(),
        session.attributes(), session.baseStatus(), session.blockStack(), session.onExit(), loop);
  }

  /**
   * Sends {@code exchange} on {@code loop}: its due time when the session was scheduled (open model),
   * the loop watched by the self-monitor, the progress line told, and the send queued on the loop.
   */
  static void send(Session session, Exchange exchange, EventLoop loop, StreamLoops loops, StreamTarget target,
      RunMonitor run) {
    Object due = session.attributes().get(Keys.DUE_NANOS).getOrElse(() -> null);
    if (due instanceof Long d) {
      exchange.dueNanos = d;
    }
    run.monitor().watch(loop);
    run.progress().sent();
    Runnable send = () -> StreamConnection.send(loop, loops, target, exchange);
    if (loop.inEventLoop()) {
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
    } else if (x.dueNanos != 0) {
      run.monitor().sendLag(x.readyNanos - x.dueNanos);
    }
  }

  /** The row's group: the session's innermost Gatling group, or "" outside any. */
  static String group(Session session) {
    List<String> groups = session.groups();
    return groups.isEmpty() ? "" : groups.head();
  }
}
