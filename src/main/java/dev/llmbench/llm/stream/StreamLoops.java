package dev.llmbench.llm.stream;

import dev.llmbench.monitor.SelfMonitor;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.session.Session;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * The event loops that read the streams: a group of our own, beside Gatling's, so that its transport
 * can be tuned for many small reads. With io_uring each loop gets a ring of provided buffers, and
 * each connection one multishot receive that stays armed for its life: a token event costs one
 * completion, where a plain receive costs a completion plus a new submission (on Gatling's loops
 * those submissions were about a fifth of the client's CPU; see docs/injector-efficiency.md).
 * A virtual user moves to its stream loop with its first request and stays there
 * ({@link StreamAction}): its requests are sent, read and accounted for there, and its next steps
 * run there too.
 *
 * <p>One group per run, made with the run's components ({@code LlmRun}) from its Gatling
 * configuration, with daemon threads, and shut down when the run ends.
 */
public final class StreamLoops {
  private static final short BUFFER_GROUP = 1;

  /**
   * How many virtual users a loop carries before the next loop takes any: a user goes to the first loop that
   * carries fewer ({@link #place}), so up to this many streams are read on one loop, which then
   * wakes up once for the events of many streams instead of each loop waking up for a few. At 64 streams,
   * beside users dealt one by one over two loops, the whole process cost about 12 % less CPU per token
   * event (user time 18 % less) with TTFT error p50 0.28 to 0.35 ms instead of 0.20 to 0.29. A block of
   * 128 saved about 6 % at 128 streams too but read the bursts later there (TTFT error p50 0.47 to 0.59
   * ms instead of 0.36 to 0.42, the reader's 0.32 to 0.40): accuracy first (injector benchmark,
   * docs/injector-efficiency.md, "Users dealt to the loops in blocks"). From 128 streams on every loop
   * carries a share, as before.
   */
  static final int USERS_PER_LOOP = 64;

  private final MultiThreadIoEventLoopGroup group;
  private final EventLoop[] loops;
  private final ChannelFactory<? extends SocketChannel> channels;
  private final boolean bufferRing;
  private final String transport;
  /** Each loop's passes, for the read lags its connections report (the run's self-monitor). */
  private final Map<EventLoop, IoPasses> passes;
  /**
   * The requests' timeouts, kept off the loops: a timer pending on a Netty loop makes each of its waits for
   * I/O arm a kernel timeout beside it (with io_uring, a timeout request that the next completion completes:
   * more work per wake-up for the kernel and the loop), and the stream loops wait thousands of times a
   * second while every request has its timeout pending. A wheel of 100 ms ticks on a thread of its own
   * fires a timeout up to a tick late, and hands it to the request's loop (docs/injector-efficiency.md,
   * "No timers on the stream loops").
   */
  private final HashedWheelTimer timeouts =
      new HashedWheelTimer(new DefaultThreadFactory("llmb-timeouts", true), 100, TimeUnit.MILLISECONDS);
  /** The virtual users each loop carries now ({@link #place}), under this object's lock. */
  private final int[] users;

  private StreamLoops(String transport, Map<EventLoop, IoPasses> passes, MultiThreadIoEventLoopGroup group,
      ChannelFactory<? extends SocketChannel> channels, boolean bufferRing) {
    this.transport = transport;
    this.passes = passes;
    this.group = group;
    this.channels = channels;
    this.bufferRing = bufferRing;
    List<EventLoop> all = new ArrayList<>();
    group.forEach(executor -> all.add((EventLoop) executor));
    this.loops = all.toArray(EventLoop[]::new);
    this.users = new int[loops.length];
  }

  /**
   * Loops of the first transport available among those allowed: io_uring with a buffer ring (consumed
   * incrementally where the kernel can), io_uring, epoll, then NIO. A transport whose loops cannot be
   * made (a kernel or a container that refuses the ring's locked memory, say) is passed over with one
   * line saying why.
   */
  static StreamLoops open(boolean nativeTransport, boolean ioUring, int threads, SelfMonitor monitor) {
    if (nativeTransport && ioUring && IoUring.isAvailable()) {
      if (IoUring.isRegisterBufferRingSupported()) {
        // 4 KiB buffers: an SSE event is a few hundred bytes, so one buffer holds every event that
        // arrived since the last read; 1,024 of them per loop cover a burst of that many streams.
        // Consumed incrementally where the kernel can (6.12 on): consecutive receives, of any connection,
        // fill the same buffer instead of taking one each, so a loop's reads stay in a few warm buffers
        // instead of cycling through 4 MiB. At 256 and 1,000 streams that cost 6 to 11 % less CPU per token
        // event, with TTFT errors the same or smaller; at 64 streams about 3 % more, within one pass's
        // spread (injector benchmark, alternating pairs: docs/injector-efficiency.md).
        boolean incremental = IoUring.isRegisterBufferRingIncSupported();
        IoUringIoHandlerConfig ring = new IoUringIoHandlerConfig().setBufferRingConfig(IoUringBufferRingConfig.builder()
            .bufferGroupId(BUFFER_GROUP)
            .bufferRingSize((short) 1024)
            .batchSize(64)
            .allocator(new IoUringFixedBufferRingAllocator(4096))
            .incremental(incremental)
            .build());
        String name = incremental ? "io_uring with an incremental buffer ring" : "io_uring with a buffer ring";
        StreamLoops loops = tryOpen(name, threads, IoUringIoHandler.newFactory(ring), IoUringSocketChannel::new, true,
            monitor);
        if (loops != null) {
          return loops;
        }
      }
      StreamLoops loops = tryOpen("io_uring", threads, IoUringIoHandler.newFactory(), IoUringSocketChannel::new, false,
          monitor);
      if (loops != null) {
        return loops;
      }
    }
    if (nativeTransport && Epoll.isAvailable()) {
      StreamLoops loops = tryOpen("epoll", threads, EpollIoHandler.newFactory(), EpollSocketChannel::new, false, monitor);
      if (loops != null) {
        return loops;
      }
    }
    return make("NIO", threads, NioIoHandler.newFactory(), NioSocketChannel::new, false, monitor);
  }

  private static StreamLoops tryOpen(String transport, int threads, IoHandlerFactory handlers,
      ChannelFactory<? extends SocketChannel> channels, boolean bufferRing, SelfMonitor monitor) {
    try {
      return make(transport, threads, handlers, channels, bufferRing, monitor);
    } catch (RuntimeException | LinkageError e) {
      System.err.println("llm-serving-bench: WARN stream loops: " + transport + " unavailable (" + e.getMessage()
          + "), trying the next transport");
      return null;
    }
  }

  private static StreamLoops make(String transport, int threads, IoHandlerFactory handlers,
      ChannelFactory<? extends SocketChannel> channels, boolean bufferRing, SelfMonitor monitor) {
    Map<EventLoop, IoPasses> passes = new ConcurrentHashMap<>();
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("llmb-stream", true), IoPasses.marking(handlers, monitor, passes));
    return new StreamLoops(transport, passes, group, channels, bufferRing);
  }

  /**
   * The stream loops of a run, {@code count} of them ({@code -Dstream.loops}) or, when null,
   * {@link #defaultCount} for this machine, of the transport its Gatling configuration allows, reporting
   * their read lags to the run's {@code monitor}.
   */
  public static StreamLoops open(GatlingConfiguration config, SelfMonitor monitor, Integer count) {
    int threads = count != null ? count : defaultCount(Runtime.getRuntime().availableProcessors());
    StreamLoops loops = open(config.netty().useNativeTransport(), config.netty().useIoUring(), threads, monitor);
    System.out.println("llm-serving-bench: streams are read on " + loops.loops.length + " loop"
        + (loops.loops.length == 1 ? "" : "s") + ", " + loops.transport
        + (count == null ? " (-Dstream.loops sets how many)" : ""));
    return loops;
  }

  /**
   * As many loops as cores, as Netty's default. One loop per two cores cost about 5 to 10 % less CPU
   * per token event at 64 to 1,000 streams on these 2-core VMs, where the server shares the cores, but
   * at 1,000 streams it read late (TTFT error p50 2.4 to 2.7 ms instead of 1.7 to 1.8, ITL error p50
   * 1.1 to 1.2 ms instead of 0.7) and the run judged itself client-bound by its read lag: accuracy
   * first (injector benchmark, docs/injector-efficiency.md, "How many stream loops"). A run of up to
   * {@link #USERS_PER_LOOP} streams is read on one of them anyway ({@link #place}).
   */
  static int defaultCount(int cores) {
    return Math.max(1, cores);
  }

  /** The passes of {@code loop}, or null for a loop not of this group. */
  IoPasses passes(EventLoop loop) {
    return passes.get(loop);
  }

  /**
   * The virtual user on the loop that carries its streams: always the same one, so its connections are
   * reused, and its steps run there too (Gatling runs a session's actions on the session's event loop), with
   * no hop between threads per request. A user already on one of these loops stays; one that comes from
   * Gatling's loops (its first request) moves to the first loop that carries fewer than
   * {@link #USERS_PER_LOOP} users, else to the loop that carries fewest, and is counted there until it ends
   * (its {@code onExit}). Counted by the users a loop carries now, not by user id: the ids of a run's users
   * after a warm-up phase need not start at a block's start, and a block cut in two put a user or two on a
   * loop of their own, which woke up for each of their events (at 64 streams, one user of 64 on the
   * second loop took 14 % of the client's CPU).
   */
  Session place(Session session) {
    if (indexOf(session.eventLoop()) >= 0) {
      return session;
    }
    int i = take();
    Function1<Session, BoxedUnit> exit = session.onExit();
    Function1<Session, BoxedUnit> ended = s -> {
      leave(i);
      return exit.apply(s);
    };
    return session.copy(session.scenario(), session.userId(), session.attributes(), session.baseStatus(),
        session.blockStack(), ended, loops[i]);
  }

  /**
   * Counts one more user on the first loop that carries fewer than a block, else on the one that carries
   * fewest. Once per user, from Gatling's loops and ours (a user's end): a lock is simpler than lock-free
   * counting and costs nothing at that rate.
   */
  private synchronized int take() {
    int chosen = 0;
    for (int i = 0; i < users.length; i++) {
      if (users[i] < USERS_PER_LOOP) {
        chosen = i;
        break;
      }
      if (users[i] < users[chosen]) {
        chosen = i;
      }
    }
    users[chosen]++;
    return chosen;
  }

  /** A user of loop {@code i} ended. */
  private synchronized void leave(int i) {
    users[i]--;
  }

  /** The users each loop carries now, in the loops' order (for tests). */
  synchronized int[] users() {
    return users.clone();
  }

  private int indexOf(EventLoop loop) {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i] == loop) {
        return i;
      }
    }
    return -1;
  }

  /** The loop of index {@code i} (for tests). */
  EventLoop loop(int i) {
    return loops[i];
  }

  /**
   * Which transport the loops use: {@code io_uring with an incremental buffer ring}, {@code io_uring with a
   * buffer ring}, {@code io_uring}, {@code epoll} or {@code NIO}.
   */
  String transport() {
    return transport;
  }

  /**
   * Runs {@code task} on {@code loop} once {@code nanos} have passed (to about 100 ms), unless the returned
   * timeout is cancelled first.
   */
  Timeout timeout(EventLoop loop, Runnable task, long nanos) {
    return timeouts.newTimeout(t -> {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        // the loop is shutting down: the run is over
      }
    }, nanos, TimeUnit.NANOSECONDS);
  }

  /** Closes the loops and their connections (the run is over). */
  public void shutdown() {
    timeouts.stop();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  ChannelFactory<? extends SocketChannel> channels() {
    return channels;
  }

  /** Options of every stream connection: with a buffer ring, the group its receives take buffers from. */
  Bootstrap configure(Bootstrap b) {
    return bufferRing ? b.option(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP) : b;
  }
}
