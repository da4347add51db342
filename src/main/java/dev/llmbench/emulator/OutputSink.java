package dev.llmbench.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * Writes what the engine produced, on the connection's event loop, and stamps the ground truth right
 * after each flush.
 */
final class OutputSink implements Engine.Sink {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LlmEmulator emulator;
  private final StreamFormat format;
  /** The events' wire style; null for the compact form, which is written as formatted. */
  private final WireStyle wire;

  OutputSink(LlmEmulator emulator, StreamFormat format) {
    this.emulator = emulator;
    this.format = format;
    this.wire = emulator.config().wireStyle().compact() ? null : emulator.config().wireStyle();
  }

  @Override
  public void emit(Engine.Emit e) {
    Sequence s = e.seq();
    Channel ch = s.channel;
    if (s.published || !ch.isActive()) {
      return; // the client went away; channelInactive recorded it
    }
    if (s.fault == Fault.DISCONNECT && (s.stream ? s.emitted : e.to()) >= s.faultAfterTokens) {
      disconnect(s, ch);
      return;
    }
    if (!s.stream) {
      if (e.finished()) {
        long now = System.nanoTime();
        s.trace.chunk(now, e.to(), e.plannedNanos());
        finish(s, now, completeBody(s, e.to()));
      }
      return;
    }
    ByteBuf buf = startChunk(ch, 128 + 16 * (e.to() - e.from()));
    if (e.from() == 0 && e.to() > 0 && format.hasRoleChunk(s)) {
      format.roleChunk(s, buf);
    }
    if (e.to() > e.from()) {
      format.contentChunk(s, e.from(), e.to(), e.finished(), buf);
    }
    writeChunk(s, buf);
    long now = System.nanoTime();
    if (e.to() > e.from()) {
      s.trace.chunk(now, e.to() - e.from(), e.plannedNanos());
    }
    s.emitted = e.to();
    if (s.fault == Fault.ERROR_EVENT && s.emitted >= s.faultAfterTokens) {
      errorEvent(s, ch, now);
      return;
    }
    if (s.fault == Fault.MALFORMED_CHUNK && !s.malformedSent && s.emitted >= s.faultAfterTokens) {
      s.malformedSent = true;
      ByteBuf bad = startChunk(ch, 128);
      format.malformedChunk(s, bad);
      writeChunk(s, bad);
    }
    if (e.finished()) {
      ByteBuf end = startChunk(ch, 256);
      format.end(s, e.to(), now - s.arrivalNanos, s.fault != Fault.NO_DONE, end);
      emulator.publish(s, now, s.fault == null ? "ok" : "fault:" + s.fault.wireName());
      done(s);
      if (end.writerIndex() > CHUNK_HEADER.length) {
        writeChunk(s, end);
      } else {
        end.release();
      }
      endResponse(s, ch);
    }
  }

  /** The terminating chunk goes through the HTTP encoder, which ends the response there. */
  private static void endResponse(Sequence s, Channel ch) {
    ConnectionLife.writeLast(ch, LastHttpContent.EMPTY_LAST_CONTENT, s.keepAlive);
  }

  /**
   * The ERROR_EVENT fault: records it, stops the sequence's generation, reports the error in the
   * stream and ends the response as a normal one ends (the connection stays usable).
   */
  private void errorEvent(Sequence s, Channel ch, long now) {
    emulator.publish(s, now, "fault:" + Fault.ERROR_EVENT.wireName());
    s.cancelled = true;
    done(s);
    ByteBuf report = startChunk(ch, 256);
    format.errorEvent(s, report);
    writeChunk(s, report);
    endResponse(s, ch);
  }

  /**
   * The DISCONNECT fault: records it, stops the sequence's generation (as a server does when its
   * client is gone) and resets the connection.
   */
  private void disconnect(Sequence s, Channel ch) {
    emulator.publish(s, System.nanoTime(), "fault:" + Fault.DISCONNECT.wireName());
    s.cancelled = true;
    done(s);
    ch.config().setOption(ChannelOption.SO_LINGER, 0); // close with a reset, not a clean FIN
    ch.close();
  }

  /** Size placeholder of a chunk: six hex digits (leading zeros are valid chunk-size syntax) and CRLF. */
  private static final byte[] CHUNK_HEADER = "000000\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** A buffer for one HTTP chunk, its size still to be filled in by {@link #writeChunk}. */
  private static ByteBuf startChunk(Channel ch, int capacity) {
    ByteBuf buf = ch.alloc().buffer(capacity + CHUNK_HEADER.length + 2);
    buf.writeBytes(CHUNK_HEADER);
    return buf;
  }

  /**
   * Frames and writes one HTTP chunk as a single buffer, straight below the HTTP encoder: the hot
   * path then costs one buffer and no message objects per event (the encoder would add a size
   * buffer, a CRLF buffer and a content object for each).
   */
  private void writeChunk(Sequence s, ByteBuf buf) {
    if (wire != null) {
      restyle(s, buf);
    }
    int size = buf.writerIndex() - CHUNK_HEADER.length;
    for (int i = 5; i >= 0; i--) {
      buf.setByte(i, HEX[size & 15]);
      size >>>= 4;
    }
    buf.writeByte('\r').writeByte('\n');
    if (s.rawOut == null) {
      s.rawOut = s.channel.pipeline().context(HttpServerCodec.class);
    }
    s.rawOut.writeAndFlush(buf, s.rawOut.voidPromise());
  }

  /** Rewrites the chunk's events in the configured {@link WireStyle}. */
  private void restyle(Sequence s, ByteBuf buf) {
    int from = CHUNK_HEADER.length;
    String events = buf.toString(from, buf.writerIndex() - from, StandardCharsets.UTF_8);
    buf.writerIndex(from);
    buf.writeCharSequence(wire.rewrite(events, s.id + "-" + s.emitted), StandardCharsets.UTF_8);
  }

  private void finish(Sequence s, long now, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    emulator.publish(s, now, s.fault == null ? "ok" : "fault:" + s.fault.wireName());
    done(s);
    ConnectionLife.sendWhole(s.channel, response, s.keepAlive);
  }

  private void done(Sequence s) {
    HttpHandler handler = s.channel.pipeline().get(HttpHandler.class);
    if (handler != null) {
      handler.done(s);
    }
  }

  /** The single JSON body of a non-streaming request. */
  private byte[] completeBody(Sequence s, int tokens) {
    ObjectNode root = MAPPER.createObjectNode();
    String text = StreamFormat.text(s, tokens);
    switch (s.api) {
      case CHAT, COMPLETIONS -> {
        root.put("id", s.id).put("object", s.api == Api.CHAT ? "chat.completion" : "text_completion")
            .put("created", s.createdEpochSeconds).put("model", s.model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        if (s.api == Api.CHAT) {
          choice.putObject("message").put("role", "assistant").put("content", text);
        } else {
          choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", s.finishReason);
        ObjectNode usage = root.putObject("usage").put("prompt_tokens", s.promptTokens)
            .put("total_tokens", s.promptTokens + tokens).put("completion_tokens", tokens);
        if (s.blockHashes != null) {
          usage.putObject("prompt_tokens_details").put("cached_tokens", s.cachedTokens);
        }
      }
      case SGLANG_GENERATE -> {
        root.put("text", text);
        ObjectNode meta = root.putObject("meta_info").put("id", s.id);
        ObjectNode finish = meta.putObject("finish_reason").put("type", s.finishReason);
        if ("length".equals(s.finishReason)) {
          finish.put("length", tokens);
        } else {
          finish.put("matched", 2);
        }
        meta.put("prompt_tokens", s.promptTokens).put("completion_tokens", tokens).put("cached_tokens", s.cachedTokens);
      }
      case TRT_GENERATE -> root.put("model_name", "ensemble").put("model_version", "1").put("text_output", text);
      case SCORE, VLLM_SCORE, RERANK, EMBEDDINGS -> s.pooling.answer(root, s, emulator.config().seed());
      default -> throw new IllegalStateException("unexpected api " + s.api);
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialise response of " + s.id, ex);
    }
  }
}
