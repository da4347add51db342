package dev.llmbench.llm.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.monitor.SelfMonitor;
import io.gatling.commons.stats.OK$;
import io.gatling.core.session.Session;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamLoopsTest {

  @Test
  void asManyLoopsAsCoresByDefault() {
    assertEquals(1, StreamLoops.defaultCount(1));
    assertEquals(2, StreamLoops.defaultCount(2));
    assertEquals(16, StreamLoops.defaultCount(16));
  }

  /**
   * As many loops as asked for, each user staying on the one it moved to: enough users use every loop, and
   * users beyond a block each are spread evenly.
   */
  @ParameterizedTest(name = "{0} loops")
  @CsvSource({"1", "2", "3"})
  void usersAreSpreadOverAsManyLoopsAsAskedFor(int count) {
    StreamLoops loops = StreamLoops.open(false, false, count, new SelfMonitor());
    try {
      int users = 3 * count * StreamLoops.USERS_PER_LOOP;
      java.util.Set<Object> used = new java.util.HashSet<>();
      for (int user = 0; user < users; user++) {
        Session placed = loops.place(session(user));
        used.add(placed.eventLoop());
        assertSame(placed, loops.place(placed), "user " + user + " stays on its loop");
      }
      assertEquals(count, used.size());
      int[] each = new int[count];
      java.util.Arrays.fill(each, 3 * StreamLoops.USERS_PER_LOOP);
      assertArrayEquals(each, loops.users());
    } finally {
      loops.shutdown();
    }
  }

  /**
   * Up to a block of users share one loop, so a low concurrency wakes one loop up instead of all, whatever
   * their ids (after a warm-up phase a run's ids need not start at a multiple of the block); the next users
   * go to the next loop; a user that ends leaves its loop's count, and its place is taken by the next user
   * that comes, on the first loop again.
   */
  @Test
  void usersFillALoopUpToABlockBeforeTheNextTakesAny() {
    StreamLoops loops = StreamLoops.open(false, false, 2, new SelfMonitor());
    try {
      int block = StreamLoops.USERS_PER_LOOP;
      java.util.List<Session> first = new java.util.ArrayList<>();
      for (int user = 0; user < block; user++) {
        Session placed = loops.place(session(513 + user)); // a block cut in two by the ids, on one loop
        assertSame(loops.loop(0), placed.eventLoop(), "user " + user + " of the first block");
        first.add(placed);
      }
      Session next = loops.place(session(513 + block));
      assertSame(loops.loop(1), next.eventLoop(), "the user after a block on the other loop");
      assertArrayEquals(new int[] {block, 1}, loops.users());

      first.get(10).exit(); // Gatling's Exit action: the user ends
      assertArrayEquals(new int[] {block - 1, 1}, loops.users());
      assertSame(loops.loop(0), loops.place(session(9_999)).eventLoop(), "its place taken on the first loop");
      next.exit();
      assertArrayEquals(new int[] {block, 0}, loops.users());
    } finally {
      loops.shutdown();
    }
  }

  /** Placing a user keeps what Gatling tells when it ends: its own onExit runs, once, after the loop's count. */
  @Test
  void aPlacedUserStillEndsAsGatlingSaysWhenItExits() {
    StreamLoops loops = StreamLoops.open(false, false, 1, new SelfMonitor());
    try {
      java.util.List<Long> ended = new java.util.ArrayList<>();
      Session user = new Session("s", 42, scala.collection.immutable.Map$.MODULE$.empty(), OK$.MODULE$,
          scala.collection.immutable.List$.MODULE$.empty(), s -> {
            ended.add(s.userId());
            return scala.runtime.BoxedUnit.UNIT;
          }, null);
      Session placed = loops.place(user);
      assertEquals(42, placed.userId());
      assertEquals("s", placed.scenario());
      placed.exit();
      assertEquals(java.util.List.of(42L), ended);
      assertArrayEquals(new int[] {0}, loops.users());
    } finally {
      loops.shutdown();
    }
  }

  /**
   * A request's timeout runs on the request's loop once it is due (the wheel's tick late at most), and not at
   * all once cancelled; it is kept off the loop until then (see StreamLoops#timeouts).
   */
  @Test
  void aTimeoutRunsOnItsLoopOnceDueUnlessCancelled() throws Exception {
    StreamLoops loops = StreamLoops.open(false, false, 2, new SelfMonitor());
    try {
      CompletableFuture<Boolean> fired = new CompletableFuture<>();
      java.util.concurrent.atomic.AtomicBoolean cancelledRan = new java.util.concurrent.atomic.AtomicBoolean();
      long start = System.nanoTime();
      loops.timeout(loops.loop(1), () -> fired.complete(loops.loop(1).inEventLoop()), TimeUnit.MILLISECONDS.toNanos(150));
      io.netty.util.Timeout cancelled = loops.timeout(loops.loop(0), () -> cancelledRan.set(true),
          TimeUnit.MILLISECONDS.toNanos(50));
      assertTrue(cancelled.cancel());
      assertTrue(fired.get(10, TimeUnit.SECONDS), "run on the request's loop");
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not before it is due");
      Thread.sleep(150); // past the cancelled one's time, by a tick and more
      assertFalse(cancelledRan.get(), "a cancelled timeout does not run");
    } finally {
      loops.shutdown();
    }
  }

  /** A user as Gatling starts it: on none of the stream loops, with nothing to do when it ends. */
  private static Session session(long userId) {
    return new Session("s", userId, scala.collection.immutable.Map$.MODULE$.empty(), OK$.MODULE$,
        scala.collection.immutable.List$.MODULE$.empty(), Session.NothingOnExit(), null);
  }

  /**
   * Each transport the stream loops can use reads a stream of small writes whole and in order: with
   * io_uring, through the multishot receive and the buffer ring, which hands each read a buffer of
   * its own and takes it back once the pipeline releases it.
   */
  @ParameterizedTest(name = "native={0} io_uring={1}")
  @CsvSource({"true, true, io_uring", "true, false, epoll", "false, false, NIO"})
  void everyTransportReadsManySmallWritesInOrder(boolean nativeTransport, boolean ioUring, String transport)
      throws Exception {
    Assumptions.assumeTrue(!nativeTransport || (ioUring ? IoUring.isAvailable() : Epoll.isAvailable()),
        "transport not available on this machine");
    String expected = !transport.equals("io_uring") ? transport
        : IoUring.isRegisterBufferRingIncSupported() ? "io_uring with an incremental buffer ring"
        : "io_uring with a buffer ring";
    StreamLoops loops = StreamLoops.open(nativeTransport, ioUring, 2, new SelfMonitor());
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      sent.append("data: {\"i\":").append(i).append("}\n\n");
    }
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(expected, loops.transport());
      CompletableFuture<String> received = new CompletableFuture<>();
      Channel channel = reader(loops, loops.loop(1), server.getLocalSocketAddress(), received, in -> false);
      assertSame(loops.loop(1), channel.eventLoop(), "a user's connections stay on its loop");
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        peer.setTcpNoDelay(true);
        byte[] bytes = sent.toString().getBytes(US_ASCII);
        for (int off = 0; off < bytes.length; off += 13) { // one small write per 13 bytes
          out.write(bytes, off, Math.min(13, bytes.length - off));
        }
      }
      assertEquals(sent.toString(), received.get(20, TimeUnit.SECONDS));
    } finally {
      loops.shutdown();
    }
  }

  /**
   * With io_uring's buffer ring consumed incrementally, the reads of several connections share buffers:
   * each connection still gets its own bytes, in order, and a buffer a handler still holds is not
   * handed back to the kernel and overwritten (the first reads of one connection are kept unreleased
   * to the end and read then, after twice the ring's buffers have gone through it).
   */
  @Test
  void connectionsSharingTheRingKeepTheirOwnBytes() throws Exception {
    Assumptions.assumeTrue(IoUring.isAvailable() && IoUring.isRegisterBufferRingSupported(),
        "io_uring's buffer ring not available on this machine");
    int connections = 8;
    StreamLoops loops = StreamLoops.open(true, true, 1, new SelfMonitor());
    String[] sent = new String[connections];
    for (int c = 0; c < connections; c++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 8_000; i++) { // 8 MiB in all: twice what the ring's 1,024 buffers of 4 KiB hold
        b.append("data: {\"c\":").append(c).append(",\"i\":").append(i).append(",\"p\":\"")
            .append("x".repeat(100)).append("\"}\n\n");
      }
      sent[c] = b.toString();
    }
    java.util.List<ByteBuf> held = new java.util.ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, connections, InetAddress.getLoopbackAddress())) {
      java.util.List<CompletableFuture<String>> received = new java.util.ArrayList<>();
      StringBuilder heldExpected = new StringBuilder();
      Socket[] peers = new Socket[connections];
      for (int c = 0; c < connections; c++) {
        boolean first = c == 0;
        CompletableFuture<String> done = new CompletableFuture<>();
        received.add(done);
        reader(loops, loops.loop(0), server.getLocalSocketAddress(), done, in -> {
          if (!first || held.size() == 50) {
            return false;
          }
          held.add(in); // released at the end, after its bytes are read again
          heldExpected.append(in.toString(US_ASCII));
          return true;
        });
        peers[c] = server.accept();
        peers[c].setTcpNoDelay(true);
      }
      byte[][] bytes = new byte[connections][];
      int longest = 0;
      for (int c = 0; c < connections; c++) {
        bytes[c] = sent[c].getBytes(US_ASCII);
        longest = Math.max(longest, bytes[c].length);
      }
      for (int off = 0; off < longest; off += 257) { // writes of a few events, the connections in turn
        for (int c = 0; c < connections; c++) {
          if (off < bytes[c].length) {
            peers[c].getOutputStream().write(bytes[c], off, Math.min(257, bytes[c].length - off));
          }
        }
      }
      for (Socket peer : peers) {
        peer.close();
      }
      for (int c = 0; c < connections; c++) {
        assertEquals(sent[c], received.get(c).get(20, TimeUnit.SECONDS), "connection " + c);
      }
      StringBuilder heldNow = new StringBuilder();
      held.forEach(b -> heldNow.append(b.toString(US_ASCII)));
      assertEquals(heldExpected.toString(), heldNow.toString(), "the buffers still held are as they were read");
    } finally {
      held.forEach(ByteBuf::release);
      loops.shutdown();
    }
  }

  /**
   * A connection on {@code loop} that reads its bytes as text and completes {@code closed} with all of
   * them when the peer closes; each read is released unless {@code hold} keeps it.
   */
  private static Channel reader(StreamLoops loops, io.netty.channel.EventLoop loop, java.net.SocketAddress to,
      CompletableFuture<String> closed, java.util.function.Predicate<ByteBuf> hold) throws InterruptedException {
    StringBuilder got = new StringBuilder();
    return loops.configure(new Bootstrap())
        .group(loop)
        .channelFactory(loops.channels())
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                got.append(in.toString(US_ASCII));
                if (!hold.test(in)) {
                  in.release();
                }
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                closed.complete(got.toString());
              }
            });
          }
        })
        .connect(to).sync().channel();
  }
}
