package dev.llmbench.llm.stream;

import dev.llmbench.monitor.SelfMonitor;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.Map;

/**
 * The I/O passes of one stream loop, for the read lag of the validity verdict
 * ({@link SelfMonitor#readLags}): the loop's transport handler is wrapped ({@link #marking}) so that
 * each pass (one {@link IoHandler#run}: wait, then hand over what is ready) is known to start, and
 * each read of that pass is recorded as its stamp minus the pass's first stamp. Touched only on its
 * loop, but the map of loops, read once per connection.
 *
 * <p>With epoll and NIO a pass waits once, so every read of it was ready when it began. Netty's
 * io_uring pass enters the kernel again before it returns when more completions became due while it
 * handled the first ones (up to 128 times), and cannot be split from outside: a read that arrived
 * during such a pass is measured from the pass's first read too, which counts time before it
 * arrived. Under a steady stream of arrivals (1,000 streams here) the figure can then run above the
 * true lateness; below that, passes are short and it is a lower bound (docs/validity.md).
 */
final class IoPasses {
  private final EventLoop loop;
  private boolean read;
  private long firstReadNanos;
  /** The monitor of the run whose loop this is (a run makes its own loops). */
  private final SelfMonitor monitor;
  private SelfMonitor.ReadLags lags;

  private IoPasses(EventLoop loop, SelfMonitor monitor) {
    this.loop = loop;
    this.monitor = monitor;
  }

  /**
   * The transport's handlers, each wrapped to mark the start of its loop's passes, which it records
   * in {@code loops} (until the loop is destroyed) for {@code monitor}.
   */
  static IoHandlerFactory marking(IoHandlerFactory transport, SelfMonitor monitor, Map<EventLoop, IoPasses> loops) {
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        IoHandler handler = transport.newHandler(executor);
        if (!(executor instanceof EventLoop loop)) {
          return handler; // not a loop of ours: nothing will read through it
        }
        IoPasses passes = new IoPasses(loop, monitor);
        loops.put(loop, passes);
        return new Marking(handler, passes, loops);
      }

      @Override
      public boolean isChangingThreadSupported() {
        return transport.isChangingThreadSupported();
      }
    };
  }

  /** A read stamped {@code nowNanos} on this loop: its lag behind the pass's first read, to the run's monitor. */
  void read(long nowNanos) {
    if (!read) {
      read = true;
      firstReadNanos = nowNanos;
      // Once per pass, not per read: a loop is watched from its run's first request on.
      if (lags == null) {
        lags = monitor.readLags(loop); // null until the run watches this loop
      }
    }
    if (lags != null) {
      lags.record(nowNanos - firstReadNanos);
    }
  }

  /** The transport's handler, noting where each pass starts; everything else as the transport does it. */
  private static final class Marking implements IoHandler {
    private final IoHandler transport;
    private final IoPasses passes;
    private final Map<EventLoop, IoPasses> loops;

    Marking(IoHandler transport, IoPasses passes, Map<EventLoop, IoPasses> loops) {
      this.transport = transport;
      this.passes = passes;
      this.loops = loops;
    }

    @Override
    public void initialize() {
      transport.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
      passes.read = false;
      try {
        return transport.run(context);
      } finally {
        passes.read = false; // reads outside a pass (from tasks, until the next pass) are measured together
      }
    }

    @Override
    public void prepareToDestroy() {
      transport.prepareToDestroy();
    }

    @Override
    public void destroy() {
      loops.remove(passes.loop);
      transport.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
      return transport.register(handle);
    }

    @Override
    public void wakeup() {
      transport.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return transport.isCompatible(handleType);
    }
  }
}
