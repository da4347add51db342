package dev.llmbench.stream;

import static dev.llmbench.stream.StreamDecoderTest.DONE;
import static dev.llmbench.stream.StreamDecoderTest.VLLM_CHAT;
import static dev.llmbench.stream.StreamDecoderTest.VLLM_ROLE;
import static dev.llmbench.stream.StreamDecoderTest.bytes;
import static dev.llmbench.stream.StreamDecoderTest.contentNanos;
import static dev.llmbench.stream.StreamDecoderTest.feed;
import static dev.llmbench.stream.StreamDecoderTest.split;
import static dev.llmbench.stream.StreamDecoderTest.summary;
import static dev.llmbench.stream.StreamDecoderTest.vllmContent;
import static dev.llmbench.stream.StreamDecoderTest.vllmUsage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Shapes real servers send that the scanner must read as they are meant: SSE without the optional
 * space, CRLF, comments and other fields; null, missing and escaped content; usage in every chunk;
 * errors as data events; chunk framing cut anywhere.
 */
class RealServerInputsTest {

  private static String chat(String delta, String finish) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}\n\n";
  }

  @Test
  void dataWithoutSpaceCrlfCommentsAndOtherFields() {
    String s = ": ping\r\n\r\n" + "event: message\r\nid: 1\r\nretry: 5\r\ndata:"
        + chat("{\"content\":\" a\"}", "null").substring(5).replace("\n\n", "\r\n\r\n")
        + ": keep-alive\n\n" + vllmUsage(1, 1).replace("\n\n", "\r\n\r\n") + "data:[DONE]\r\n\r\n";
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertEquals("events=1 tokens=[1] usage=1/1 done=true malformed=0 error=null out=1(usage)", summary(r));
  }

  @Test
  void contentNullMissingEmptyAndEscapes() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE
        + chat("{\"role\":\"assistant\",\"content\":null}", "null") + chat("{}", "null")
        + chat("{\"content\":\"\"}", "null") + chat("{\"content\":\"\\\"hi\"}", "null")
        + chat("{\"content\":\"\\u00e9\"}", "null") + chat("{\"content\":\"\\\\\"}", "null")
        + chat("{\"content\":\"\\\"\"}", "\"length\"") + DONE));
    assertEquals(4, r.contentEvents(), summary(r));
  }

  @Test
  void finalChunkWithContentAndFinishReasonAndContinuousUsage() {
    String u = ",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":%d,\"completion_tokens\":%d}}\n\n";
    String s = VLLM_ROLE.replace("}\n\n", String.format(u, 5, 0))
        + vllmContent(" a", "null").replace("}\n\n", String.format(u, 6, 1))
        + vllmContent(" b", "\"length\"").replace("}\n\n", String.format(u, 7, 2)) + DONE;
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertEquals("events=2 tokens=[1, 1] usage=5/2 done=true malformed=0 error=null out=2(usage)", summary(r));
  }

  @Test
  void sglangReasoningContentWithNullsIsAToken() {
    // SGLang serving_chat: DeltaMessage(reasoning_content=...) dumped with model_dump_json() (nulls kept).
    StreamRecord r = split(StreamDecoder.OPENAI_CHAT,
        chat("{\"role\":null,\"content\":null,\"reasoning_content\":\"x\",\"tool_calls\":null}", "null"),
        chat("{\"role\":null,\"content\":\"y\",\"reasoning_content\":null,\"tool_calls\":null}", "null") + DONE);
    assertArrayEquals(new long[] {100, 200}, contentNanos(r));
  }

  @Test
  void errorEventsOfVllmSglangTritonAndOpenAi() {
    String[] errors = {
        // vLLM's json.dumps
        "data: {\"error\": {\"message\": \"boom\", \"type\": \"BadRequestError\", \"param\": null, \"code\": 400}}\n\n",
        "data: {\"error\":{\"message\":\"boom\"}}\n\n", // SGLang /generate (orjson)
        "data: {\"error\":\"boom\"}\n\n", // Triton generate_stream
        "event: error\ndata: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"}; // OpenAI
    for (String e : errors) {
      StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(vllmContent(" a", "null") + e + DONE));
      assertNotNull(r.error, e);
      assertTrue(r.error.contains("boom"), r.error);
    }
  }

  @Test
  void ollamaRawErrorLineEndsWithoutDoneSoItStillFails() {
    // middleware/openai.go writeError: raw JSON, no "data: ", no [DONE]. A failure (no [DONE]), message lost.
    StreamRecord r = feed(StreamDecoder.OPENAI_COMPLETIONS, bytes(StreamDecoderTest.completionsChunk(" a")
        + "{\"error\":{\"message\":\"boom\",\"type\":\"api_error\",\"param\":null,\"code\":null}}\n"));
    assertFalse(r.done);
    assertNull(r.error);
  }

  /** Feeds a whole HTTP response through the reader into the scanner, as StreamConnection does, cut at {@code cuts}. */
  static StreamRecord wire(String response, StreamDecoder d, int... cuts) throws Exception {
    HttpResponseReader reader = new HttpResponseReader();
    SseScanner scanner = new SseScanner();
    StreamRecord rec = new StreamRecord();
    HttpResponseReader.Listener l = new HttpResponseReader.Listener() {
      public void head(int status, boolean keepAlive) { rec.httpStatus = status; }
      public void body(ByteBuf in, int index, int length) { scanner.append(in, index, length); }
      public void end() {}
    };
    byte[] b = response.getBytes(UTF_8);
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : b.length;
      reader.read(Unpooled.wrappedBuffer(b, from, to - from), l);
      scanner.drain((i + 1) * 100L, d, rec);
      from = to;
    }
    if (!reader.done()) {
      reader.closed(l);
    }
    scanner.finish(999, d, rec);
    return rec;
  }

  @Test
  void chunkedWithExtensionsSplitAnywhereAndCloseFramed() throws Exception {
    StringBuilder w = new StringBuilder(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
    String crlf = VLLM_CHAT.replace("\n", "\r\n");
    int k = 0;
    for (String ev : crlf.split("(?<=\r\n\r\n)")) {
      w.append(Integer.toHexString(ev.getBytes(UTF_8).length)).append(k++ % 2 == 0 ? "" : ";x=y").append("\r\n")
          .append(ev).append("\r\n");
    }
    w.append("0\r\n\r\n");
    String whole = summary(wire(w.toString(), StreamDecoder.OPENAI_CHAT));
    assertEquals("events=4 tokens=[1, 1, 1, 1] usage=5/4 done=true malformed=0 error=null out=4(usage)", whole);
    for (int c = 1; c < w.length(); c++) {
      assertEquals(whole, summary(wire(w.toString(), StreamDecoder.OPENAI_CHAT, c)), "cut " + c);
    }
    String close = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + vllmContent(" a", "null") + "data: [DONE]";
    assertTrue(wire(close, StreamDecoder.OPENAI_CHAT).done);
  }
}
