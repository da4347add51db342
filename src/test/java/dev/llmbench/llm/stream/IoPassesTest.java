package dev.llmbench.llm.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.monitor.SelfMonitor;
import dev.llmbench.report.model.MonitorFigures;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The read lag on each transport, against ground truth the test makes: data for several connections
 * is made ready while their loop is held busy, so the loop's next pass hands it over at once, and the
 * handler spends a known time on each read before the next can be stamped. Two such bursts: each pass
 * is measured from its own first read.
 */
class IoPassesTest {
  private static final int CONNECTIONS = 4;
  private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

  @ParameterizedTest(name = "native={0} io_uring={1}")
  @CsvSource({"true, true", "true, false", "false, false"})
  void readsHandedOverTogetherLagTheFirstByTheTimeSpentOnTheOnesBefore(boolean nativeTransport, boolean ioUring)
      throws Exception {
    Assumptions.assumeTrue(!nativeTransport || (ioUring ? IoUring.isAvailable() : Epoll.isAvailable()),
        "transport not available on this machine");
    SelfMonitor monitor = new SelfMonitor();
    StreamLoops loops = StreamLoops.open(nativeTransport, ioUring, 1, monitor);
    List<Socket> peers = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, CONNECTIONS, InetAddress.getLoopbackAddress())) {
      EventLoop loop = loops.loop(0);
      IoPasses passes = loops.passes(loop);
      assertNotNull(passes, "every stream loop marks its passes");
      AtomicReference<CountDownLatch> reads = new AtomicReference<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        loops.configure(new Bootstrap()).group(loop).channelFactory(loops.channels())
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    long now = System.nanoTime();
                    passes.read(now);
                    ((ByteBuf) msg).release();
                    while (System.nanoTime() - now < SPIN_NANOS) {
                      // the work of one read: the next read of the pass waits for it
                    }
                    reads.get().countDown();
                  }
                });
              }
            })
            .connect(server.getLocalSocketAddress()).sync();
        Socket peer = server.accept();
        peer.setTcpNoDelay(true);
        peers.add(peer);
      }
      monitor.start();
      monitor.watch(loop);
      long betweenBursts = Long.MAX_VALUE;
      long firstBurstDone = 0;
      for (int burst = 0; burst < 2; burst++) {
        CountDownLatch read = new CountDownLatch(CONNECTIONS);
        reads.set(read);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        loop.execute(() -> {
          busy.countDown();
          try {
            written.await(); // the loop is busy: the data below waits for its next pass
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        assertTrue(busy.await(20, TimeUnit.SECONDS), "the loop took the task");
        for (Socket peer : peers) {
          OutputStream out = peer.getOutputStream();
          out.write("data: {}\n\n".getBytes(US_ASCII));
          out.flush();
        }
        Thread.sleep(50); // loopback data is queued as the write returns; this only leaves room
        if (burst == 1) {
          betweenBursts = System.nanoTime() - firstBurstDone;
        }
        written.countDown();
        assertTrue(read.await(20, TimeUnit.SECONDS), "every connection read");
        firstBurstDone = System.nanoTime();
      }
      MonitorFigures m = monitor.stop().orElseThrow();
      assertEquals(2 * CONNECTIONS, m.readLagSamples(), m.toString());
      // In each pass the last read was stamped after the work of the three before it, the median after one.
      long spinMicros = SPIN_NANOS / 1_000;
      assertTrue(m.readLagMaxMicros() >= (CONNECTIONS - 1) * spinMicros, m.toString());
      assertTrue(m.readLagP50Micros() >= spinMicros, m.toString());
      // Each pass starts over: measured from the first burst, the second's reads would lag by more than
      // the time between the bursts.
      assertTrue(m.readLagMaxMicros() < betweenBursts / 1_000, m + " within " + betweenBursts + " ns");
    } finally {
      monitor.stop();
      for (Socket peer : peers) {
        peer.close();
      }
      loops.shutdown();
    }
  }
}
