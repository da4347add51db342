package dev.llmbench.emulator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long one connection lives, when the emulator is told to end connections as real servers do
 * ({@code emulator.close.after.stream.ms}, {@code emulator.keepalive.max},
 * {@code emulator.keepalive.timeout.ms}): it advertises {@code Keep-Alive: timeout=…, max=…} on every
 * response and closes the connection without a {@code Connection: close} header, as llama.cpp's
 * server does after each streamed response. A request that arrives once the connection is being
 * closed is dropped unread, so the client sees its connection close before any byte of an answer:
 * the race a client must survive. One per connection, used on its event loop only.
 */
final class ConnectionLife {
  /** What llama.cpp's server (cpp-httplib) advertises. */
  static final int ADVERTISED_TIMEOUT_SEC = 5;
  static final int ADVERTISED_MAX = 100;
  /** Delay of the close after the response that used up {@code keepalive.max}, when no other is set. */
  private static final long MAX_CLOSE_DELAY_MS = 2;

  private final EmulatorConfig config;
  private final LlmEmulator emulator;
  private int requests;
  private boolean closing;
  private ScheduledFuture<?> idleClose;

  ConnectionLife(LlmEmulator emulator) {
    this.emulator = emulator;
    this.config = emulator.config();
  }

  /** Whether any of the connection-ending options is set (else nothing here does anything). */
  static boolean active(EmulatorConfig c) {
    return c.closeAfterStreamMillis() >= 0 || c.keepAliveMax() > 0 || c.keepAliveTimeoutMillis() > 0;
  }

  /**
   * A request arrived: false when the connection is closing and the request must be dropped unread;
   * else it is counted and the idle timer stopped.
   */
  boolean arrived() {
    if (closing) {
      emulator.countDroppedRequest();
      return false;
    }
    requests++;
    if (idleClose != null) {
      idleClose.cancel(false);
      idleClose = null;
    }
    return true;
  }

  /**
   * Sets a response's connection headers, the one place they are set: {@code Connection: close} when
   * the response ends its connection, else {@code Keep-Alive} when the emulator ends connections.
   */
  static void headers(Channel ch, HttpHeaders headers, boolean keepAlive) {
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      return;
    }
    HttpHandler handler = ch.pipeline().get(HttpHandler.class);
    ConnectionLife life = handler == null ? null : handler.life();
    if (life != null) {
      life.advertise(headers);
    }
  }

  /** Writes a whole response with its connection headers; a connection not kept alive closes after it. */
  static void sendWhole(Channel ch, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    headers(ch, response.headers(), keepAlive);
    writeLast(ch, response, keepAlive);
  }

  /** Writes a response's last message; a connection not kept alive closes once it is written. */
  static void writeLast(Channel ch, Object last, boolean keepAlive) {
    if (keepAlive) {
      ch.writeAndFlush(last, ch.voidPromise());
    } else {
      ch.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void advertise(HttpHeaders headers) {
    if (headers.contains(HttpHeaderNames.CONNECTION)) {
      return;
    }
    long timeout = config.keepAliveTimeoutMillis() > 0 ? config.keepAliveTimeoutMillis() / 1000 : ADVERTISED_TIMEOUT_SEC;
    int max = config.keepAliveMax() > 0 ? config.keepAliveMax() : ADVERTISED_MAX;
    headers.set("Keep-Alive", "timeout=" + timeout + ", max=" + max);
  }

  /** The response to the connection's request has been written (its last byte queued). */
  void responseEnded(ChannelHandlerContext ctx, boolean streamed) {
    if (closing) {
      return;
    }
    long delay = -1;
    if (streamed && config.closeAfterStreamMillis() >= 0) {
      delay = config.closeAfterStreamMillis();
    }
    if (config.keepAliveMax() > 0 && requests >= config.keepAliveMax()) {
      delay = delay >= 0 ? delay : MAX_CLOSE_DELAY_MS;
    }
    if (delay >= 0) {
      closing = true;
      ctx.executor().schedule(() -> ctx.close(), delay, TimeUnit.MILLISECONDS);
    } else if (config.keepAliveTimeoutMillis() > 0) {
      idleClose = ctx.executor().schedule(() -> {
        closing = true;
        ctx.close();
      }, config.keepAliveTimeoutMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
