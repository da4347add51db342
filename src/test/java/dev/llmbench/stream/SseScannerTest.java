package dev.llmbench.stream;

import static dev.llmbench.stream.StreamDecoderTest.BASE;
import static dev.llmbench.stream.StreamDecoderTest.DONE;
import static dev.llmbench.stream.StreamDecoderTest.FINISH_NANOS;
import static dev.llmbench.stream.StreamDecoderTest.LLAMA_CPP_CHAT;
import static dev.llmbench.stream.StreamDecoderTest.OPENAI_COMPLETIONS;
import static dev.llmbench.stream.StreamDecoderTest.SGLANG;
import static dev.llmbench.stream.StreamDecoderTest.TRT;
import static dev.llmbench.stream.StreamDecoderTest.VLLM_CHAT;
import static dev.llmbench.stream.StreamDecoderTest.bytes;
import static dev.llmbench.stream.StreamDecoderTest.contentNanos;
import static dev.llmbench.stream.StreamDecoderTest.feed;
import static dev.llmbench.stream.StreamDecoderTest.feedBytewise;
import static dev.llmbench.stream.StreamDecoderTest.split;
import static dev.llmbench.stream.StreamDecoderTest.summary;
import static dev.llmbench.stream.StreamDecoderTest.vllmContent;
import static dev.llmbench.stream.StreamDecoderTest.vllmUsage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * SSE framing: the decoded result must not depend on how the bytes of a stream are split across
 * reads, and each event is stamped with the time of the read that completed it.
 */
class SseScannerTest {

  private record Shape(String name, StreamDecoder decoder, String stream) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape("vllm-chat", StreamDecoder.OPENAI_CHAT, VLLM_CHAT),
      new Shape("vllm-chat-crlf", StreamDecoder.OPENAI_CHAT, VLLM_CHAT.replace("\n", "\r\n")),
      new Shape("llama.cpp-chat", StreamDecoder.OPENAI_CHAT, LLAMA_CPP_CHAT),
      new Shape("openai-completions", StreamDecoder.OPENAI_COMPLETIONS, OPENAI_COMPLETIONS),
      new Shape("sglang-generate", StreamDecoder.SGLANG_GENERATE, SGLANG),
      new Shape("sglang-generate-crlf", StreamDecoder.SGLANG_GENERATE, SGLANG.replace("\n", "\r\n")),
      new Shape("trt-generate", StreamDecoder.TRT_GENERATE, TRT),
      new Shape("with-comments", StreamDecoder.OPENAI_CHAT,
          ": ping\n\n" + vllmContent(" a", "null") + ": ping\r\n\r\n" + vllmContent(" b", "null") + DONE));

  /** Offsets of the last byte of each event's terminating blank line that carries content. */
  private static long[] contentEventEnds(Shape shape) {
    // One byte per read, stamped with its offset: each content event's stamp is where it ended.
    StreamRecord r = feedBytewise(shape.decoder(), bytes(shape.stream()));
    long[] ends = contentNanos(r);
    for (int i = 0; i < ends.length; i++) {
      ends[i] -= BASE;
    }
    return ends;
  }

  @Test
  void oneByteAtATimeStampsEachEventAtTheByteThatEndsIt() {
    String s = vllmContent(" a", "null") + vllmContent(" b", "null") + DONE;
    int first = bytes(vllmContent(" a", "null")).length - 1;
    int second = first + bytes(vllmContent(" b", "null")).length;
    StreamRecord r = feedBytewise(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertArrayEquals(new long[] {BASE + first, BASE + second}, contentNanos(r));
    assertEquals(BASE + bytes(s).length - 1, r.lastEventNanos, "[DONE] ends at the last byte");
  }

  @Test
  void resultDoesNotDependOnASingleSplitPoint() {
    for (Shape shape : SHAPES) {
      byte[] data = bytes(shape.stream());
      String whole = summary(feed(shape.decoder(), data));
      long[] ends = contentEventEnds(shape);
      assertEquals(whole, summary(feedBytewise(shape.decoder(), data)), shape.name() + " byte by byte");
      for (int k = 0; k <= data.length; k++) {
        StreamRecord r = feed(shape.decoder(), data, k);
        assertEquals(whole, summary(r), shape.name() + " split at " + k);
        long[] expected = new long[ends.length];
        for (int i = 0; i < ends.length; i++) {
          expected[i] = ends[i] < k ? 100 : 200;
        }
        assertArrayEquals(expected, contentNanos(r), shape.name() + " stamps, split at " + k);
      }
    }
  }

  @Test
  void resultDoesNotDependOnManyRandomSplitPoints() {
    Random random = new Random(42);
    for (Shape shape : SHAPES) {
      byte[] data = bytes(shape.stream());
      String whole = summary(feed(shape.decoder(), data));
      long[] ends = contentEventEnds(shape);
      for (int trial = 0; trial < 300; trial++) {
        TreeSet<Integer> points = new TreeSet<>();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
          points.add(random.nextInt(data.length + 1));
        }
        int[] splits = points.stream().mapToInt(Integer::intValue).toArray();
        StreamRecord r = feed(shape.decoder(), data, splits);
        assertEquals(whole, summary(r), shape.name() + " splits " + points);
        long[] expected = new long[ends.length];
        for (int i = 0; i < ends.length; i++) {
          int piece = 0;
          while (piece < splits.length && splits[piece] <= ends[i]) {
            piece++;
          }
          expected[i] = (piece + 1) * 100L;
        }
        assertArrayEquals(expected, contentNanos(r), shape.name() + " stamps, splits " + points);
      }
    }
  }

  @Test
  void crlfLineEndingsDecodeLikeLf() {
    StreamRecord lf = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_CHAT));
    StreamRecord crlf = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_CHAT.replace("\n", "\r\n")));
    assertEquals(summary(lf), summary(crlf));
    assertEquals(4, crlf.contentEvents());
    assertEquals(4, crlf.usageCompletionTokens);
    assertTrue(crlf.done);
  }

  @Test
  void commentLinesAreSkipped() {
    String s = ": ping\n\n" + ": keep-alive\n" + vllmContent(" a", "null") + ":\n\n" + DONE;
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertEquals(1, r.contentEvents());
    assertEquals(0, r.malformedEvents);
    assertTrue(r.done);
    assertEquals(null, r.error);
  }

  @Test
  void otherFieldsBeforeDataAreSkipped() {
    String s = "event: message\nid: 7\n" + vllmContent(" a", "null") + "retry: 10\n\n" + DONE;
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertEquals(1, r.contentEvents());
    assertEquals(0, r.malformedEvents);
    assertTrue(r.done);
  }

  @Test
  void severalEventsInOneAppendShareItsStamp() {
    StreamRecord r = split(StreamDecoder.OPENAI_CHAT,
        vllmContent(" a", "null") + vllmContent(" b", "null") + vllmContent(" c", "null"),
        vllmContent(" d", "null") + vllmUsage(2, 4) + DONE);
    assertArrayEquals(new long[] {100, 100, 100, 200}, contentNanos(r));
    assertEquals(200, r.lastEventNanos);
    assertEquals(4, r.outputTokens());
  }

  @Test
  void eventCompletedByALaterAppendTakesThatAppendsStamp() {
    String event = vllmContent(" a", "null");
    String head = event.substring(0, event.length() - 1); // all but the blank line's newline
    StreamRecord r = split(StreamDecoder.OPENAI_CHAT, head, "\n", DONE);
    assertArrayEquals(new long[] {200}, contentNanos(r));
    assertEquals(300, r.lastEventNanos);
  }

  @Test
  void trailingEventWithoutBlankLineIsHandledByFinish() {
    String s = StreamDecoderTest.trt(" a", true) + "data: {\"model_name\":\"ensemble\",\"text_output\":\" b\"}";
    SseScanner scanner = new SseScanner();
    StreamRecord r = new StreamRecord();
    byte[] b = bytes(s);
    scanner.append(b, 0, b.length);
    scanner.drain(100, StreamDecoder.TRT_GENERATE, r);
    assertEquals(1, r.contentEvents(), "the unterminated event waits");
    scanner.finish(500, StreamDecoder.TRT_GENERATE, r);
    assertEquals(2, r.contentEvents());
    assertArrayEquals(new long[] {100, 500}, contentNanos(r));

    StreamRecord crlf = feed(StreamDecoder.OPENAI_CHAT, bytes(vllmContent(" a", "null") + "data: [DONE]\r\n"));
    assertTrue(crlf.done, "[DONE] with a single line end");
    assertEquals(FINISH_NANOS, crlf.lastEventNanos);
  }

  @Test
  void finishWithNothingLeftDoesNothing() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(vllmContent(" a", "null")));
    assertEquals(1, r.contentEvents());
    assertEquals(100, r.lastEventNanos);
    assertFalse(r.done);
  }

  @Test
  void bufferGrowsForLongEventsAndManyEvents() {
    String big = vllmContent(" " + "x".repeat(20_000), "null");
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pieces.add(i % 50 == 0 ? big : vllmContent(" t", "null"));
    }
    pieces.add(DONE);
    String all = String.join("", pieces);
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(all), 3_000, 25_000, 60_000);
    assertEquals(300, r.contentEvents());
    assertTrue(r.done);
    assertEquals(summary(r), summary(feedBytewise(StreamDecoder.OPENAI_CHAT, bytes(all))));
  }

  @Test
  void resetForgetsAPartialEvent() {
    SseScanner scanner = new SseScanner();
    StreamRecord r = new StreamRecord();
    byte[] partial = bytes("data: {\"choices\":[{\"delta\":{\"content\":\" a");
    scanner.append(partial, 0, partial.length);
    scanner.drain(1, StreamDecoder.OPENAI_CHAT, r);
    scanner.reset();
    byte[] next = bytes(vllmContent(" b", "null"));
    scanner.append(next, 0, next.length);
    scanner.drain(2, StreamDecoder.OPENAI_CHAT, r);
    scanner.finish(3, StreamDecoder.OPENAI_CHAT, r);
    assertEquals(1, r.contentEvents());
    assertEquals(0, r.malformedEvents);
  }
}
