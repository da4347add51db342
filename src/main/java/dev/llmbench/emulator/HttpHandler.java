package dev.llmbench.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One per connection: routes requests, answers the small endpoints at once and hands generation
 * requests to the {@link Engine}. Runs on the connection's event loop.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  /**
   * Stamps the arrival of a request at the first bytes read for it, before the HTTP decoder: while
   * the JVM is cold, decoding a request head takes long enough to bend the ground truth.
   */
  static final class ArrivalStamp extends ChannelInboundHandlerAdapter {
    private final HttpHandler handler;

    ArrivalStamp(HttpHandler handler) {
      this.handler = handler;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (handler.arrivalNanos == 0 && handler.current == null) {
        handler.arrivalNanos = System.nanoTime();
      }
      ctx.fireChannelRead(msg);
    }
  }

  private final LlmEmulator emulator;
  /** Null unless the emulator is told to end connections ({@link ConnectionLife#active}). */
  private final ConnectionLife life;
  private ChannelHandlerContext ctx;
  private long arrivalNanos;
  /** The generation in flight on this connection, if any. */
  Sequence current;

  HttpHandler(LlmEmulator emulator) {
    this.emulator = emulator;
    this.life = ConnectionLife.active(emulator.config()) ? new ConnectionLife(emulator) : null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    long arrival = arrivalNanos != 0 ? arrivalNanos : System.nanoTime();
    arrivalNanos = 0;
    if (life != null && !life.arrived()) {
      return; // the connection is closing: the request is never read
    }
    if (!req.decoderResult().isSuccess()) {
      error(ctx, req, new BadRequest("malformed HTTP request: " + req.decoderResult().cause()), false);
      return;
    }
    try {
      route(ctx, req, new QueryStringDecoder(req.uri()).path(), arrival);
    } catch (BadRequest e) {
      error(ctx, req, e, HttpUtil.isKeepAlive(req));
    }
    if (life != null && current == null) {
      life.responseEnded(ctx, false); // answered at once (not a generation in flight)
    }
  }

  /** Answers a small endpoint at once, or hands a generation request to {@link #generate}. */
  private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, long arrival) throws BadRequest {
    switch (path) {
      case "/health", "/v1/health" -> {
        requireMethod(req, HttpMethod.GET);
        respond(ctx, req, HttpResponseStatus.OK, "text/plain", "");
      }
      case "/v1/models" -> {
        requireMethod(req, HttpMethod.GET);
        respond(ctx, req, HttpResponseStatus.OK, "application/json", emulator.modelsJson());
      }
      case "/version" -> { // vLLM's route: a run records the server's version from it
        requireMethod(req, HttpMethod.GET);
        respond(ctx, req, HttpResponseStatus.OK, "application/json", emulator.versionJson());
      }
      case "/metrics" -> {
        requireMethod(req, HttpMethod.GET);
        respond(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", emulator.metricsText());
      }
      case "/v1/chat/completions" -> generate(ctx, req, Api.CHAT, arrival);
      case "/v1/completions" -> generate(ctx, req, Api.COMPLETIONS, arrival);
      case "/generate" -> generate(ctx, req, Api.SGLANG_GENERATE, arrival);
      case "/v1/score" -> generate(ctx, req, Api.SCORE, arrival); // or vLLM's, by its fields: see generate
      case "/v1/rerank" -> generate(ctx, req, Api.RERANK, arrival);
      case "/v1/embeddings" -> generate(ctx, req, Api.EMBEDDINGS, arrival);
      case "/tokenize", "/detokenize" -> tokenize(ctx, req, path);
      default -> {
        if (path.startsWith("/v2/models/") && (path.endsWith("/generate_stream") || path.endsWith("/generate"))) {
          checkTritonModel(path.substring("/v2/models/".length(), path.lastIndexOf('/')));
          generate(ctx, req, Api.TRT_GENERATE, arrival);
        } else {
          throw new BadRequest(HttpResponseStatus.NOT_FOUND, "NotFoundError", "no route " + req.method() + " " + path
              + "; served: /v1/chat/completions, /v1/completions, /v1/score, /v1/rerank, /v1/embeddings, "
              + "/v1/models, /health, /version, /metrics, /generate, /v2/models/{model}/generate_stream, /tokenize, /detokenize");
        }
      }
    }
  }

  private void tokenize(ChannelHandlerContext ctx, FullHttpRequest req, String path) throws BadRequest {
    if (!emulator.config().tokenizeEndpoint()) {
      throw new BadRequest(HttpResponseStatus.NOT_FOUND, "NotFoundError", "no route " + req.method() + " " + path
          + " (emulator.tokenize.endpoint=false)");
    }
    requireMethod(req, HttpMethod.POST);
    JsonNode body = RequestParser.json(req.content());
    String answer = path.equals("/tokenize") ? TokenizeEndpoint.tokenize(emulator.config(), body)
        : TokenizeEndpoint.detokenize(emulator.config(), body);
    respond(ctx, req, HttpResponseStatus.OK, "application/json", answer);
  }

  /** Triton serves TRT-LLM's pipeline as {@code ensemble}; the served model's own name is taken too. */
  private void checkTritonModel(String model) throws BadRequest {
    if (!model.equals("ensemble") && !model.equals(emulator.config().model())) {
      throw new BadRequest(HttpResponseStatus.NOT_FOUND, "NotFoundError",
          "unknown model '" + model + "'; this server serves 'ensemble' and '" + emulator.config().model() + "'");
    }
  }

  private void generate(ChannelHandlerContext ctx, FullHttpRequest req, Api api, long arrival) throws BadRequest {
    requireMethod(req, HttpMethod.POST);
    if (emulator.dies()) {
      ctx.close(); // emulator.die.after.requests: gone, as a killed server is
      return;
    }
    if (current != null) {
      throw new BadRequest("a request is still streaming on this connection; pipelining is not supported");
    }
    JsonNode body = RequestParser.json(req.content());
    if (api == Api.SCORE && (body.has("text_1") || body.has("text_2"))) {
      api = Api.VLLM_SCORE; // one path, two servers' APIs: vLLM's pairs texts, SGLang's scores label tokens
    }
    Sequence seq = api.pooling()
        ? emulator.parser().parsePooling(api, body, req, ctx.channel(), arrival)
        : emulator.parser().parse(api, body, req, ctx.channel(), arrival);
    if (seq.fault != null && seq.fault.answersBeforeWork()) {
      emulator.countFault(seq.fault);
      boolean tooMany = seq.fault == Fault.HTTP_429;
      FullHttpResponse response;
      if (seq.fault == Fault.OOM) {
        response = oomResponse(seq);
      } else {
        response = errorResponse(tooMany
            ? new BadRequest(HttpResponseStatus.TOO_MANY_REQUESTS, "RateLimitError", "emulated overload: retry later")
            : new BadRequest(HttpResponseStatus.INTERNAL_SERVER_ERROR, "InternalServerError", "emulated server error"));
      }
      if (tooMany) {
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      }
      emulator.publish(seq, System.nanoTime(), "fault:" + seq.fault.wireName());
      send(ctx, response, HttpUtil.isKeepAlive(req));
      return;
    }
    current = seq;
    if (seq.stream) {
      // Headers go out at once, as a streaming ASGI server sends them; tokens follow as the engine makes them.
      DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
          .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ConnectionLife.headers(ctx.channel(), head.headers(), seq.keepAlive);
      ctx.writeAndFlush(head);
    }
    emulator.engine().submit(seq);
  }

  /** Null unless the emulator ends connections. */
  ConnectionLife life() {
    return life;
  }

  /** Called by the sink when the sequence's response is complete. */
  void done(Sequence seq) {
    if (current == seq) {
      current = null;
      if (life != null) {
        // Run after the response's last bytes, which the sink writes once this returns.
        ctx.executor().execute(() -> life.responseEnded(ctx, seq.stream));
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Sequence seq = current;
    if (seq != null) {
      seq.cancelled = true;
      emulator.publish(seq, System.nanoTime(), "cancelled");
      current = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A peer that resets the connection is ordinary under load; anything else closes it too.
    ctx.close();
  }

  private static void requireMethod(FullHttpRequest req, HttpMethod method) throws BadRequest {
    if (!req.method().equals(method)) {
      throw new BadRequest(HttpResponseStatus.METHOD_NOT_ALLOWED, "MethodNotAllowed",
          req.method() + " is not allowed here; use " + method);
    }
  }

  /** Bytes of KV cache one token of the emulated 8B model holds (32 layers, 8 KV heads of 128, fp16, K and V). */
  static final long BYTES_PER_TOKEN = 32L * 8 * 128 * 2 * 2;

  /**
   * The {@link Fault#OOM} answer, as sglang-jax relays XLA's error: HTTP 500 and
   * {@code {"error":{"message":"RESOURCE_EXHAUSTED: Out of memory while trying to allocate N bytes",
   * "type":"InternalServerError","code":500}}}, N the request's tokens' KV cache.
   */
  static FullHttpResponse oomResponse(Sequence seq) {
    long bytes = Math.max(1, seq.promptTokens + seq.outputTokens) * BYTES_PER_TOKEN;
    String body = "{\"error\":{\"message\":\"RESOURCE_EXHAUSTED: Out of memory while trying to allocate " + bytes
        + " bytes\",\"type\":\"InternalServerError\",\"code\":500}}";
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.INTERNAL_SERVER_ERROR, Unpooled.copiedBuffer(body, UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return response;
  }

  static FullHttpResponse errorResponse(BadRequest e) {
    String body = "{\"object\":\"error\",\"message\":" + Json.quote(e.getMessage()) + ",\"type\":\"" + e.type
        + "\",\"param\":null,\"code\":" + e.status.code() + "}";
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, e.status,
        Unpooled.copiedBuffer(body, UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return response;
  }

  private static void error(ChannelHandlerContext ctx, FullHttpRequest req, BadRequest e, boolean keepAlive) {
    send(ctx, errorResponse(e), keepAlive);
  }

  static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    send(ctx, response, HttpUtil.isKeepAlive(req));
  }

  static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    ConnectionLife.sendWhole(ctx.channel(), response, keepAlive);
  }
}
