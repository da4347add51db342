package dev.llmbench.llm.stream;

import dev.llmbench.workload.Conversation;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.llmbench.stream.CircuitBreaker;
import dev.llmbench.stream.HttpResponseReader;
import dev.llmbench.stream.KeepAlive;
import dev.llmbench.stream.SseScanner;
import dev.llmbench.stream.StreamDecoder;
import dev.llmbench.stream.StreamRecord;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection carrying one stream at a time, pinned to one of the stream loops
 * ({@link StreamLoops}), with a pool of idle connections per loop and target (touched only by its
 * loop, so no lock).
 * Every read is stamped with {@link System#nanoTime()} before anything else happens to it.
 *
 * <p>Connections are kept as production HTTP clients keep them (curl, OkHttp, Netty's pool): one the
 * server ends ({@code Connection: close}, its {@code Keep-Alive} {@code max} used up) is closed after
 * its response; one idle for longer than the server's {@code Keep-Alive} {@code timeout}, less a
 * margin ({@link #IDLE_MARGIN_NANOS}), is not reused; one the server closes while idle leaves the
 * pool at once. A server may still close a connection just as a request is written to it (llama.cpp's
 * server closes after every streamed response without saying so): a request that fails on a reused
 * connection before any byte of its answer is sent once more on a new connection ({@link #resend}),
 * and counted ({@link StreamRecord#resends}); its times start at the new send.
 * With {@code -Dhttp.keepalive=false} every request has a connection of its own and says
 * {@code Connection: close}, as bench_serving's client does.
 */
final class StreamConnection extends ChannelDuplexHandler implements HttpResponseReader.Listener {
  private static final int MAX_ERROR_BODY_CHARS = 2_000;
  /** Most bytes of a one-body answer kept (an embedding batch of 200 inputs of 4,096 floats is about 16 MB). */
  static final int MAX_ANSWER_BYTES = 64 << 20;
  /**
   * How much sooner than the server's {@code Keep-Alive} timeout an idle connection stops being
   * reused: a second (half the timeout when that is shorter), so a request is not written to a
   * connection the server is closing at that moment.
   */
  static final long IDLE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * How soon after its send a reused connection must fail for the request to be sent again. The race
   * with a server closing the connection ends within a round trip (milliseconds on a LAN); a wait of
   * a second is the server holding the request, and re-sending it would hide that wait from TTFT.
   */
  static final long RESEND_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final FastThreadLocal<Map<String, ArrayDeque<Channel>>> POOLS = new FastThreadLocal<>() {
    @Override
    protected Map<String, ArrayDeque<Channel>> initialValue() {
      return new HashMap<>();
    }
  };

  private final StreamTarget target;
  private final StreamLoops loops;
  private final HttpResponseReader reader = new HttpResponseReader();
  /** The events of the response being read; reused by the connection's next request. */
  private final SseScanner scanner = new SseScanner();
  /** The stamp of the read being handled. */
  private long readNanos;
  private Exchange current;
  private boolean keepAlive;
  private Channel channel;
  /** Its loop's passes, for the read lag; null on a loop not made by StreamLoops. */
  private IoPasses passes;
  /** The request head for {@link #headPath} ({@link StreamTarget#requestHead}). */
  private byte[] head;
  private String headPath;
  /** Requests written on this connection. */
  private int requests;
  /** Most requests the server serves on it ({@code Keep-Alive: max}), or Long.MAX_VALUE. */
  private long requestLimit = Long.MAX_VALUE;
  /** How long it may stay idle and still be reused ({@code Keep-Alive: timeout} less the margin), or -1. */
  private long idleLimitNanos = -1;
  /** When it went back to the pool. */
  private long idleSinceNanos;

  private StreamConnection(StreamTarget target, StreamLoops loops) {
    this.target = target;
    this.loops = loops;
  }

  /** Sends the exchange on an idle pooled connection of {@code loop}, or a new one. Call on {@code loop}. */
  static void send(EventLoop loop, StreamLoops loops, StreamTarget target, Exchange x) {
    x.readyNanos = System.nanoTime();
    if (target.keepAlive()) {
      ArrayDeque<Channel> pool = POOLS.get().computeIfAbsent(target.poolKey(), k -> new ArrayDeque<>());
      Channel idle;
      while ((idle = pool.pollLast()) != null) {
        StreamConnection c = idle.pipeline().get(StreamConnection.class);
        if (c != null && c.reusable(x.readyNanos)) {
          c.write(x);
          return;
        }
        idle.close(); // closed by the server, or idle past its timeout: it may close any moment
      }
    }
    connect(loop, loops, target, x);
  }

  /** Sends the exchange on a new connection of {@code loop}. */
  private static void connect(EventLoop loop, StreamLoops loops, StreamTarget target, Exchange x) {
    loops.configure(new Bootstrap())
        .group(loop)
        .channelFactory(loops.channels())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            StreamConnection connection = new StreamConnection(target, loops);
            // The send stamp is taken when the request's bytes are flushed to the socket, after encoding
            // (slow while the JVM is cold) and, with TLS, encryption: below TLS by a handler of its own;
            // without, by the connection itself, so that each read passes one handler fewer on its way
            // in (a handler skipped still costs a cache miss per read: docs/injector-efficiency.md).
            if (target.tls()) {
              ch.pipeline().addLast(connection.new SendStamp());
              ch.pipeline().addLast(target.ssl().newHandler(ch.alloc(), target.host(), target.port()));
            }
            // The request is written as bytes (encode), the response read by HttpResponseReader straight
            // from the bytes read (see there why).
            ch.pipeline().addLast(connection);
          }
        })
        .connect(target.host(), target.port())
        .addListener((ChannelFuture f) -> {
          if (f.isSuccess()) {
            f.channel().pipeline().get(StreamConnection.class).write(x);
          } else {
            x.failure = "cannot connect to " + target + ": " + f.cause().getMessage();
            x.completed = true;
            handBack(loop, x, System.nanoTime());
          }
        });
  }

  /** Stamps the request as sent when its bytes are flushed to the socket, below TLS. */
  final class SendStamp extends ChannelOutboundHandlerAdapter {
    @Override
    public void flush(ChannelHandlerContext ctx) {
      stampSend();
      ctx.flush();
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (!target.tls()) {
      stampSend(); // nothing below this handler but the socket
    }
    ctx.flush();
  }

  private void stampSend() {
    Exchange x = current;
    if (x != null && x.sendPending) {
      x.sendPending = false;
      x.markSent(System.nanoTime());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    passes = loops.passes(channel.eventLoop());
  }

  /** Whether an idle pooled connection may carry another request at {@code now}. */
  private boolean reusable(long now) {
    return channel.isActive() && (idleLimitNanos < 0 || now - idleSinceNanos < idleLimitNanos);
  }

  private void write(Exchange x) {
    current = x;
    requests++;
    readNanos = 0; // stays 0 until a byte of the answer is read: see resend
    keepAlive = true;
    reader.reset();
    scanner.reset();
    x.timeout = loops.timeout(channel.eventLoop(), () -> fail(x, CircuitBreaker.TIMEOUT_PREFIX + " "
        + TimeUnit.NANOSECONDS.toSeconds(x.action.timeoutNanos()) + " s (request.timeout.sec)"),
        x.action.timeoutNanos());
    x.sendPending = true;
    channel.writeAndFlush(encode(x)).addListener(f -> {
      if (!f.isSuccess()) {
        lost(x, "cannot send the request: " + f.cause().getMessage());
      }
    });
  }

  private ByteBuf encode(Exchange x) {
    String path = x.action.path();
    if (!path.equals(headPath)) {
      head = target.requestHead(path);
      headPath = path;
    }
    String rest = "X-Request-Id: " + x.requestId + "\r\n"
        + (x.conversation == null ? "" : Conversation.SESSION_HEADER + ": " + x.conversation.sessionId() + "\r\n")
        + "Content-Length: " + x.body.length + "\r\n\r\n";
    ByteBuf buf = channel.alloc().buffer(head.length + rest.length() + x.body.length);
    buf.writeBytes(head);
    buf.writeCharSequence(rest, US_ASCII);
    buf.writeBytes(x.body);
    return buf;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    ByteBuf in = (ByteBuf) msg;
    Exchange x = current;
    try {
      if (x == null) {
        return; // nothing expected on an idle connection
      }
      readNanos = now;
      if (passes != null) {
        passes.read(now);
      }
      reader.read(in, this);
      StreamDecoder decoder = x.action.decoder();
      boolean stream = x.answer == null;
      if (stream && x.record.httpStatus == 200) {
        scanner.drain(now, decoder, x.record);
        if (x.watch != null && !x.firstTokenTold && x.record.contentEvents() > 0) {
          // Once per request, as soon as its TTFT is known: the over-saturation watch sees a backlog early.
          x.firstTokenTold = true;
          x.watch.firstToken(x.record.sentNanos, (x.record.contentNanos(0) - x.record.sentNanos) / 1_000);
        }
      }
      if (reader.done()) {
        if (stream) {
          scanner.finish(now, decoder, x.record);
        }
        complete(x, true, now);
      }
    } catch (HttpResponseReader.HttpException e) {
      keepAlive = false;
      fail(x, "malformed HTTP response after " + x.record.contentEvents() + " content events: " + e.getMessage());
    } finally {
      in.release();
    }
  }

  @Override
  public void head(int status, boolean keepAlive) {
    current.record.httpStatus = status;
    current.record.headersNanos = readNanos;
    this.keepAlive = keepAlive;
    if (keepAlive && target.keepAlive()) {
      limits(reader.keepAliveParameters());
    }
  }

  /**
   * The server's {@code Keep-Alive} limits, once per response. {@code max} is read as the requests
   * it still serves counting this one (Apache httpd counts down; llama.cpp's server repeats 100), so
   * the connection carries at most {@code requests - 1 + max}, the smallest any response allowed.
   */
  private void limits(KeepAlive k) {
    if (k.max() >= 0) {
      requestLimit = Math.min(requestLimit, requests - 1 + k.max());
    }
    if (k.timeoutSeconds() >= 0) {
      long timeout = TimeUnit.SECONDS.toNanos(k.timeoutSeconds());
      idleLimitNanos = timeout - Math.min(IDLE_MARGIN_NANOS, timeout / 2);
    }
  }

  @Override
  public void body(ByteBuf in, int index, int length) {
    Exchange x = current;
    if (x.record.httpStatus == 200) {
      if (x.answer == null) {
        scanner.append(in, index, length);
      } else if (x.answer.size() + length <= MAX_ANSWER_BYTES) {
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        x.answer.write(bytes, 0, length);
      } else if (x.failure == null) {
        x.failure = "the answer is larger than " + MAX_ANSWER_BYTES + " bytes: not read to its end";
      }
    } else if (x.errorBody == null || x.errorBody.length() < MAX_ERROR_BODY_CHARS) {
      if (x.errorBody == null) {
        x.errorBody = new StringBuilder();
      }
      x.errorBody.append(in.toString(index, Math.min(length, MAX_ERROR_BODY_CHARS), UTF_8));
    }
  }

  @Override
  public void end() {
    // Seen by reader.done() once the read is through: the events of this read are drained first.
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange x = current;
    if (x != null) {
      if (canResend(x)) {
        resend(x);
      } else {
        long now = System.nanoTime();
        readNanos = now;
        boolean ended = reader.closed(this) && reader.done(); // a body framed by the close ends here
        if (x.answer == null) {
          scanner.finish(now, x.action.decoder(), x.record);
        }
        if (!ended) {
          x.failure = "connection closed by the server after " + x.record.contentEvents() + " content events";
        }
        complete(x, false, now);
      }
    } else {
      // Closed while idle: out of the pool now, not when a request would find it dead.
      ArrayDeque<Channel> pool = POOLS.get().get(target.poolKey());
      if (pool != null) {
        pool.remove(ctx.channel());
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange x = current;
    if (x != null) {
      if (cause instanceof IOException) {
        lost(x, "connection closed by the server after " + x.record.contentEvents() + " content events: "
            + cause.getMessage());
      } else {
        fail(x, "connection error after " + x.record.contentEvents() + " content events: " + cause.getMessage());
      }
    } else {
      ctx.close();
    }
  }

  /** The connection failed under the exchange: sent again when it may be ({@link #canResend}), else a failure. */
  private void lost(Exchange x, String message) {
    if (x != current || x.completed) {
      return;
    }
    if (canResend(x)) {
      resend(x);
    } else {
      fail(x, message);
    }
  }

  /**
   * Whether a failed exchange is sent again: it was written to a reused connection (the server may
   * have closed it as the request went out, which is no failure of the server), nothing of its answer
   * was read (so the server did not begin to serve it), it was not sent again already, and the
   * connection failed within {@link #RESEND_WINDOW_NANOS} of the send: a request the server held
   * longer before it dropped the connection was the server's to serve, and its failure is one.
   */
  private boolean canResend(Exchange x) {
    return requests > 1 && readNanos == 0 && x.record.resends == 0 && !x.completed
        && (x.sendPending || System.nanoTime() - x.record.sentNanos < RESEND_WINDOW_NANOS);
  }

  /**
   * Sends the exchange again on a new connection, as curl and OkHttp do after a stale pooled
   * connection. Its first send never reached the server, so its times start at the new send stamp.
   */
  private void resend(Exchange x) {
    current = null;
    if (x.timeout != null) {
      x.timeout.cancel();
      x.timeout = null;
    }
    channel.close();
    int resends = x.record.resends;
    x.record.reset();
    x.record.resends = resends + 1;
    x.errorBody = null;
    x.failure = null;
    x.sendPending = false;
    connect(channel.eventLoop(), loops, target, x);
  }

  private void fail(Exchange x, String message) {
    if (x.completed || x != current) {
      return;
    }
    x.failure = message;
    complete(x, false, System.nanoTime());
  }

  private void complete(Exchange x, boolean reusable, long now) {
    if (x.completed) {
      return;
    }
    x.completed = true;
    current = null;
    if (x.timeout != null) {
      x.timeout.cancel();
    }
    if (x.errorBody != null && x.errorBody.length() > 0) {
      byte[] b = x.errorBody.toString().getBytes(UTF_8);
      String message = StreamDecoder.errorMessage(b, 0, b.length);
      x.errorBody.setLength(0);
      x.errorBody.append(message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
    if (reusable && keepAlive && target.keepAlive() && requests < requestLimit && channel.isActive()) {
      idleSinceNanos = now;
      POOLS.get().computeIfAbsent(target.poolKey(), k -> new ArrayDeque<>()).addLast(channel);
    } else {
      channel.close();
    }
    handBack(channel.eventLoop(), x, now);
  }

  /**
   * The rest (a result row, one Gatling stats row per ITL gap) waits behind the reads already due on
   * this loop: when many streams end together (a closed model with equal lengths ends them in the
   * same server step), doing it at once would stamp the other streams' events late, and doing it on
   * another thread lets that thread take the core from this one for a whole time slice
   * (docs/measurement-accuracy.md). It runs in the loop's {@link Backlog},
   * a slice at a time between I/O passes, and so do the user's next steps, on this loop, which is its
   * session's ({@link StreamAction}).
   */
  private static void handBack(EventLoop loop, Exchange x, long now) {
    Backlog.add(loop, () -> x.action.complete(x, now));
  }
}
