package dev.llmbench.emulator;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.emulator.WireStyle.Option;
import dev.llmbench.stream.Backend;
import dev.llmbench.stream.HttpResponseReader;
import dev.llmbench.stream.SseScanner;
import dev.llmbench.stream.StreamRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's read path (HTTP framing, SSE, decoding: what the load generator runs on each read)
 * against the emulator writing every {@link WireStyle}, for every backend and both dialects: the
 * content events, tokens per event and usage are the emulator's ground truth in every form, and the
 * compact form and reordered keys are read by the byte patterns alone.
 */
class WireStyleStreamsTest {
  private static final int OUTPUT_TOKENS = 12;

  private static final List<WireStyle> STYLES = List.of(
      WireStyle.COMPACT,
      WireStyle.of(Option.SPACED),
      WireStyle.of(Option.REORDERED),
      WireStyle.of(Option.ESCAPED),
      WireStyle.of(Option.MULTILINE),
      WireStyle.of(Option.CRLF, Option.COMMENTS),
      WireStyle.of(Option.CR, Option.BARE_DATA),
      WireStyle.of(Option.FIELDS),
      WireStyle.of(Option.SPACED, Option.REORDERED, Option.ESCAPED, Option.CR, Option.COMMENTS, Option.BARE_DATA,
          Option.FIELDS),
      WireStyle.of(Option.MULTILINE, Option.REORDERED, Option.CRLF, Option.COMMENTS, Option.FIELDS));

  static Stream<Arguments> styles() {
    List<Arguments> all = new ArrayList<>();
    for (Dialect dialect : Dialect.values()) {
      for (WireStyle style : STYLES) {
        all.add(Arguments.of(dialect, style));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void everyBackendReadsEveryWireStyleAsTheGroundTruth(Dialect dialect, WireStyle style) throws Exception {
    boolean patterns = !style.options().contains(Option.SPACED) && !style.options().contains(Option.MULTILINE);
    for (int tokensPerChunk : new int[] {1, 3}) {
      TimingModel timing = new TimingModel(200_000, 1_000, 10, 256, 1L << 20, 8_192, tokensPerChunk, 64);
      try (LlmEmulator emulator = EmulatorHttp.start(EmulatorConfig.builder().timing(timing)
          .dialect(dialect).wireStyle(style).reasoningTokens(2))) {
        for (Backend backend : List.of(Backend.OPENAI, Backend.OPENAI_CHAT, Backend.SGLANG, Backend.TRT_LLM)) {
          String id = "wire-" + dialect + "-" + backend + "-" + tokensPerChunk + "-" + style.describe();
          String what = id + ": ";
          StreamRecord r = stream(emulator, backend, id);
          RequestTrace truth = emulator.groundTruth().byClientRequestId(id);
          assertNotNull(truth, what + "no ground truth");
          assertNull(r.error, what + r.error);
          assertEquals(0, r.malformedEvents, what);
          assertTrue(r.done || !backend.decoder().endsWithDone(), what + "end marker");
          assertEquals(truth.chunkNanos().length, r.contentEvents(), what + "content events");
          int[] tokens = new int[r.contentEvents()];
          for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.contentTokens(i);
          }
          assertArrayEquals(backend == Backend.SGLANG ? truth.chunkTokens() : ones(tokens.length), tokens,
              what + "tokens per event");
          assertEquals(OUTPUT_TOKENS, truth.completionTokens(), what);
          if (backend == Backend.TRT_LLM) {
            assertEquals(-1, r.usageCompletionTokens, what + "TRT-LLM sends no usage");
          } else {
            assertEquals(truth.completionTokens(), r.usageCompletionTokens, what + "usage completion tokens");
            assertEquals(truth.promptTokens(), r.usagePromptTokens, what + "usage prompt tokens");
          }
          if (patterns) {
            assertEquals(0, r.fallbackParses, what + "the byte patterns read every event");
          } else {
            assertTrue(r.fallbackParses >= r.contentEvents(), what + "every content event by the full parse");
          }
        }
      }
    }
  }

  private static int[] ones(int n) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  /**
   * One streamed request over a plain socket, each read through the load generator's read path:
   * {@link HttpResponseReader}, then {@link SseScanner} into the backend's decoder.
   */
  private static StreamRecord stream(LlmEmulator emulator, Backend backend, String id) throws Exception {
    URI base = URI.create(emulator.baseUrl());
    String body = new String(backend.body(emulator.config().model(), "one two three four", OUTPUT_TOKENS),
        java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StreamRecord record = new StreamRecord();
    SseScanner scanner = new SseScanner();
    HttpResponseReader reader = new HttpResponseReader();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + backend.path() + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json"
          + "\r\nX-Request-Id: " + id + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[257]; // small reads: events split across them at many places
      HttpResponseReader.Listener listener = new HttpResponseReader.Listener() {
        @Override
        public void head(int status, boolean keepAlive) {
          record.httpStatus = status;
        }

        @Override
        public void body(ByteBuf b, int index, int length) {
          scanner.append(b, index, length);
        }

        @Override
        public void end() {}
      };
      int n;
      while (!reader.done() && (n = in.read(buf)) > 0) {
        ByteBuf read = Unpooled.wrappedBuffer(buf, 0, n);
        reader.read(read, listener);
        scanner.drain(System.nanoTime(), backend.decoder(), record);
      }
      scanner.finish(System.nanoTime(), backend.decoder(), record);
    }
    assertEquals(200, record.httpStatus, id);
    return record;
  }
}
