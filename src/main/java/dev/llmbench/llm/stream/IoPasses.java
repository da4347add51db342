package dev.llmbench.llm.stream;

import dev.llmbench.llm.RunMonitor;
import dev.llmbench.monitor.SelfMonitor;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * true lateness; below that, passes are short and it is a lower bound (README, "Measurement
 * validity").
 */
final class IoPasses {
  private static final Map<EventLoop, IoPasses> LOOPS = new ConcurrentHashMap<>();

  private final EventLoop loop;
  private boolean read;
  private long firstReadNanos;
  /** The run's monitor the cached recorder belongs to; a new run brings a new one. */
  private SelfMonitor monitor;
  private SelfMonitor.ReadLags lags;

  private IoPasses(EventLoop loop) {
    this.loop = loop;
  }

  /** The transport's handlers, each wrapped to mark the start of its loop's passes. */
  static IoHandlerFactory marking(IoHandlerFactory transport) {
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
        IoHandler handler = transport.newHandler(executor);
        if (!(executor instanceof EventLoop loop)) {
          return handler; // not a loop of ours: nothing will read through it
        }
        IoPasses passes = new IoPasses(loop);
        LOOPS.put(loop, passes);
        return new Marking(handler, passes);
      }

      @Override
      public boolean isChangingThreadSupported() {
        return transport.isChangingThreadSupported();
      }
    };
  }

  /** The passes of {@code loop}, or null for a loop that was not made by {@link #marking}. */
  static IoPasses of(EventLoop loop) {
    return LOOPS.get(loop);
  }

  /** A read stamped {@code nowNanos} on this loop: its lag behind the pass's first read, to the run's monitor. */
  void read(long nowNanos) {
    if (!read) {
      read = true;
      firstReadNanos = nowNanos;
      // Once per pass, not per read: a new run brings a new monitor, and a loop is watched from its
      // run's first request on.
      SelfMonitor current = RunMonitor.current().monitor();
      if (current != monitor || lags == null) {
        monitor = current;
        lags = current.readLags(loop); // null until the run watches this loop
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

    Marking(IoHandler transport, IoPasses passes) {
      this.transport = transport;
      this.passes = passes;
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
      LOOPS.remove(passes.loop);
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
