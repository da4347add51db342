package dev.llmbench.llm.stream;

import io.gatling.core.config.GatlingConfiguration;
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
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops that read the streams: a group of our own, beside Gatling's, so that its transport
 * can be tuned for many small reads. With io_uring each loop gets a ring of provided buffers, and
 * each connection one multishot receive that stays armed for its life: a token event costs one
 * completion, where a plain receive costs a completion plus a new submission (with Gatling's loops
 * about a quarter of the client's CPU per event went to those submissions; see README, "Injector
 * efficiency"). Sessions stay on Gatling's loops: a request hops to its stream loop to be sent, is
 * read and accounted for there, and its session hops back ({@link StreamAction}).
 *
 * <p>One group per JVM, made on first use from the first simulation's Gatling configuration, with
 * daemon threads, so successive simulations in one JVM (the tests) share it.
 */
final class StreamLoops {
  private static final short BUFFER_GROUP = 1;
  private static volatile StreamLoops instance;

  private final MultiThreadIoEventLoopGroup group;
  private final EventLoop[] loops;
  private final ChannelFactory<? extends SocketChannel> channels;
  private final boolean bufferRing;

  /** Loops of the first transport available among those allowed: io_uring, epoll, then NIO. */
  StreamLoops(boolean nativeTransport, boolean ioUring, int threads) {
    IoHandlerFactory handlers;
    if (nativeTransport && ioUring && IoUring.isAvailable()) {
      bufferRing = IoUring.isRegisterBufferRingSupported();
      IoUringIoHandlerConfig uring = new IoUringIoHandlerConfig();
      if (bufferRing) {
        // 4 KiB buffers: an SSE event is a few hundred bytes, so one buffer holds every event that
        // arrived since the last read; 1,024 of them per loop cover a burst of that many streams.
        uring.setBufferRingConfig(IoUringBufferRingConfig.builder()
            .bufferGroupId(BUFFER_GROUP)
            .bufferRingSize((short) 1024)
            .batchSize(64)
            .allocator(new IoUringFixedBufferRingAllocator(4096))
            .build());
      }
      handlers = IoUringIoHandler.newFactory(uring);
      channels = IoUringSocketChannel::new;
    } else if (nativeTransport && Epoll.isAvailable()) {
      bufferRing = false;
      handlers = EpollIoHandler.newFactory();
      channels = EpollSocketChannel::new;
    } else {
      bufferRing = false;
      handlers = NioIoHandler.newFactory();
      channels = NioSocketChannel::new;
    }
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("llmb-stream", true), handlers);
    loops = new EventLoop[threads];
    int i = 0;
    for (var executor : group) {
      loops[i++] = (EventLoop) executor;
    }
  }

  /** The JVM's stream loops, made on first use. */
  static StreamLoops get(GatlingConfiguration config) {
    StreamLoops loops = instance;
    if (loops == null) {
      synchronized (StreamLoops.class) {
        loops = instance;
        if (loops == null) {
          // As many loops as cores, as Netty's default; one loop instead of two measured the same on
          // 2 cores (injector benchmark, within its run-to-run noise).
          loops = new StreamLoops(config.netty().useNativeTransport(), config.netty().useIoUring(),
              Runtime.getRuntime().availableProcessors());
          instance = loops;
        }
      }
    }
    return loops;
  }

  /** The loop that carries a virtual user's streams: always the same one, so its connections are reused. */
  EventLoop loopFor(long userId) {
    return loops[(int) Math.floorMod(userId, (long) loops.length)];
  }

  /** The channels' class: which transport is used. */
  String transport() {
    return bufferRing ? "io_uring with a buffer ring" : channels.newChannel().getClass().getSimpleName();
  }

  void shutdown() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  ChannelFactory<? extends SocketChannel> channels() {
    return channels;
  }

  /** Options of every stream connection: with a buffer ring, the group its receives take buffers from. */
  Bootstrap configure(Bootstrap b) {
    return bufferRing ? b.option(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP) : b;
  }
}
