package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each API shape's stream through {@link SseScanner} into {@link StreamDecoder} and {@link StreamRecord}:
 * content events, tokens per event, usage, end marker, malformed and error events. The hand-made
 * streams here are shared with {@link SseScannerTest}.
 */
class StreamDecoderTest {

  static final String VLLM_ROLE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
      + "\"finish_reason\":null}]}\n\n";

  static String vllmContent(String text, String finishReason) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"logprobs\":null,"
        + "\"finish_reason\":" + finishReason + "}]}\n\n";
  }

  static String vllmUsage(int prompt, int completion) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + (prompt + completion)
        + ",\"completion_tokens\":" + completion + "}}\n\n";
  }

  static final String DONE = "data: [DONE]\n\n";

  /** vLLM chat: role chunk, 4 content chunks, usage (5 prompt, 4 completion), [DONE]. */
  static final String VLLM_CHAT = VLLM_ROLE + vllmContent(" tok", "null") + vllmContent(" tok", "null")
      + vllmContent(" tok", "null") + vllmContent(" tok", "\"length\"") + vllmUsage(5, 4) + DONE;

  private static final String LLAMA_TAIL = "\"created\":1,\"id\":\"chatcmpl-x\",\"model\":\"m\","
      + "\"system_fingerprint\":\"b1\",\"object\":\"chat.completion.chunk\"";

  /** llama.cpp chat: role chunk with null content, 3 content chunks, final chunk with usage and timings, [DONE]. */
  static final String LLAMA_CPP_CHAT =
      "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}],"
          + LLAMA_TAIL + "}\n\n"
          + ("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" tok\"}}],"
              + LLAMA_TAIL + "}\n\n").repeat(3)
          + "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}]," + LLAMA_TAIL
          + ",\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":6,\"total_tokens\":9},"
          + "\"timings\":{\"prompt_n\":6,\"prompt_ms\":1.5,\"predicted_n\":3,\"predicted_ms\":3.0}}\n\n"
          + DONE;

  static String completionsChunk(String text) {
    return "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":"
        + "[{\"index\":0,\"text\":\"" + text + "\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}],"
        + "\"usage\":null}\n\n";
  }

  /** OpenAI completions: an empty text chunk, 3 content chunks, usage (7 prompt, 3 completion), [DONE]. */
  static final String OPENAI_COMPLETIONS = completionsChunk("") + completionsChunk(" tok").repeat(3)
      + "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":10,\"completion_tokens\":3}}\n\n"
      + DONE;

  static String sglang(String text, String finishReason, int completionTokens) {
    return "data: {\"text\":\"" + text + "\",\"meta_info\":{\"id\":\"x\",\"finish_reason\":" + finishReason
        + ",\"prompt_tokens\":3,\"completion_tokens\":" + completionTokens + ",\"cached_tokens\":0}}\n\n";
  }

  /** SGLang /generate, cumulative: 2, then +2, then +1 tokens (finish_reason object), [DONE]. */
  static final String SGLANG = sglang("a b", "null", 2) + sglang("a b c d", "null", 4)
      + sglang("a b c d e", "{\"type\":\"length\",\"length\":5}", 5) + DONE;

  static String trt(String text, boolean space) {
    return "data:" + (space ? " " : "") + "{\"model_name\":\"ensemble\",\"model_version\":\"1\","
        + "\"sequence_end\":false,\"sequence_id\":0,\"sequence_start\":false,\"text_output\":\"" + text + "\"}\n\n";
  }

  /** TRT-LLM generate_stream: 4 content events, with and without a space after "data:", no [DONE]. */
  static final String TRT = trt(" tok", true) + trt(" tok", false) + trt(" tok", true) + trt(" tok", false);

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /**
   * Feeds {@code data} split at the given ascending offsets; piece {@code i} is drained at nanos
   * {@code (i + 1) * 100}, and finish() is called at {@link #FINISH_NANOS}.
   */
  static StreamRecord feed(StreamDecoder decoder, byte[] data, int... splits) {
    SseScanner scanner = new SseScanner();
    StreamRecord record = new StreamRecord();
    int from = 0;
    for (int i = 0; i <= splits.length; i++) {
      int to = i < splits.length ? splits[i] : data.length;
      scanner.append(data, from, to - from);
      scanner.drain((i + 1) * 100L, decoder, record);
      from = to;
    }
    scanner.finish(FINISH_NANOS, decoder, record);
    return record;
  }

  static final long FINISH_NANOS = 1_000_000_000L;

  /** Feeds one byte per append; the byte at offset {@code i} is drained at nanos {@code BASE + i}. */
  static StreamRecord feedBytewise(StreamDecoder decoder, byte[] data) {
    SseScanner scanner = new SseScanner();
    StreamRecord record = new StreamRecord();
    for (int i = 0; i < data.length; i++) {
      scanner.append(data, i, 1);
      scanner.drain(BASE + i, decoder, record);
    }
    scanner.finish(FINISH_NANOS, decoder, record);
    return record;
  }

  static final long BASE = 10_000L;

  /** Everything a record holds except timestamps, for comparing runs of one stream. */
  static String summary(StreamRecord r) {
    int[] tokens = new int[r.contentEvents()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.contentTokens(i);
    }
    return "events=" + r.contentEvents() + " tokens=" + Arrays.toString(tokens) + " usage=" + r.usagePromptTokens
        + "/" + r.usageCompletionTokens + " done=" + r.done + " malformed=" + r.malformedEvents + " error="
        + r.error + " out=" + r.outputTokens() + "(" + r.outputTokensSource() + ")";
  }

  static long[] contentNanos(StreamRecord r) {
    long[] t = new long[r.contentEvents()];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.contentNanos(i);
    }
    return t;
  }

  static int[] contentTokens(StreamRecord r) {
    int[] t = new int[r.contentEvents()];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.contentTokens(i);
    }
    return t;
  }

  @Test
  void vllmChatCountsContentChunksButNotTheRoleChunkAndTakesUsage() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_CHAT));
    assertEquals(4, r.contentEvents());
    assertArrayEquals(new int[] {1, 1, 1, 1}, contentTokens(r));
    assertEquals(5, r.usagePromptTokens);
    assertEquals(4, r.usageCompletionTokens);
    assertEquals(4, r.outputTokens());
    assertEquals("usage", r.outputTokensSource());
    assertTrue(r.done);
    assertEquals(0, r.malformedEvents);
    assertNull(r.error);
  }

  @Test
  void roleChunkAloneIsNotAContentEvent() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE));
    assertEquals(0, r.contentEvents());
    assertEquals(100, r.lastEventNanos, "the role chunk is still an event for e2e");
    assertFalse(r.done);
  }

  @Test
  void llamaCppChatSkipsNullContentAndReadsUsageFromTheFinalChunk() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(LLAMA_CPP_CHAT));
    assertEquals(3, r.contentEvents());
    assertEquals(6, r.usagePromptTokens);
    assertEquals(3, r.usageCompletionTokens);
    assertEquals(3, r.outputTokens());
    assertTrue(r.done);
    assertNull(r.error);
  }

  @Test
  void openAiCompletionsCountsNonEmptyTextChunks() {
    StreamRecord r = feed(StreamDecoder.OPENAI_COMPLETIONS, bytes(OPENAI_COMPLETIONS));
    assertEquals(3, r.contentEvents(), "the empty-text chunk is not a content event");
    assertEquals(7, r.usagePromptTokens);
    assertEquals(3, r.usageCompletionTokens);
    assertTrue(r.done);
    assertNull(r.error);
  }

  @Test
  void sglangNewTokensAreTheGrowthOfCompletionTokens() {
    StreamRecord r = feed(StreamDecoder.SGLANG_GENERATE, bytes(SGLANG));
    assertEquals(3, r.contentEvents());
    assertArrayEquals(new int[] {2, 2, 1}, contentTokens(r));
    assertEquals(5, r.tokensFromEvents());
    assertEquals(5, r.outputTokens());
    assertTrue(r.done);
    assertNull(r.error);
  }

  @Test
  void sglangIsDoneWhenFinishReasonIsAnObjectEvenWithoutDoneMarker() {
    StreamRecord open = feed(StreamDecoder.SGLANG_GENERATE, bytes(sglang("a", "null", 1) + sglang("a b", "null", 2)));
    assertFalse(open.done, "finish_reason null is not the end");
    StreamRecord finished = feed(StreamDecoder.SGLANG_GENERATE,
        bytes(sglang("a b", "null", 2) + sglang("a b", "{\"type\":\"stop\",\"matched\":2}", 2)));
    assertTrue(finished.done);
    assertEquals(1, finished.contentEvents(), "no growth in the final chunk: no content event");
  }

  @Test
  void sglangChunkWithoutGrowthIsNotAContentEvent() {
    StreamRecord r = feed(StreamDecoder.SGLANG_GENERATE,
        bytes(sglang("", "null", 0) + sglang("a", "null", 1) + sglang("a", "null", 1) + sglang("a b b", "null", 3)));
    assertArrayEquals(new int[] {1, 2}, contentTokens(r));
    assertArrayEquals(new long[] {200, 400}, contentNanos(split(StreamDecoder.SGLANG_GENERATE,
        sglang("", "null", 0), sglang("a", "null", 1), sglang("a", "null", 1), sglang("a b b", "null", 3))));
  }

  @Test
  void trtReadsTextOutputWithOrWithoutSpaceAfterDataAndHasNoDoneMarker() {
    StreamRecord r = feed(StreamDecoder.TRT_GENERATE, bytes(TRT));
    assertEquals(4, r.contentEvents());
    assertEquals(4, r.outputTokens());
    assertEquals("events", r.outputTokensSource());
    assertFalse(r.done);
    assertFalse(StreamDecoder.TRT_GENERATE.endsWithDone());
    assertTrue(StreamDecoder.OPENAI_CHAT.endsWithDone());
    assertNull(r.error);
    StreamRecord empty = feed(StreamDecoder.TRT_GENERATE, bytes(trt("", true)));
    assertEquals(0, empty.contentEvents(), "empty text_output is not a content event");
  }

  @Test
  void outputTokensPreferUsageOverCountedEvents() {
    String stream = VLLM_ROLE + vllmContent(" a b", "null") + vllmContent(" c", "null") + vllmUsage(5, 7) + DONE;
    StreamRecord withUsage = feed(StreamDecoder.OPENAI_CHAT, bytes(stream));
    assertEquals(2, withUsage.tokensFromEvents());
    assertEquals(7, withUsage.outputTokens());
    assertEquals("usage", withUsage.outputTokensSource());

    StreamRecord without = feed(StreamDecoder.OPENAI_CHAT,
        bytes(VLLM_ROLE + vllmContent(" a b", "null") + vllmContent(" c", "null") + DONE));
    assertEquals(-1, without.usageCompletionTokens);
    assertEquals(-1, without.usagePromptTokens);
    assertEquals(2, without.outputTokens());
    assertEquals("events", without.outputTokensSource());
  }

  @Test
  void usageOfZeroCompletionTokensStillWinsOverEvents() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(vllmContent(" a", "null") + vllmUsage(5, 0) + DONE));
    assertEquals(0, r.outputTokens());
    assertEquals("usage", r.outputTokensSource());
  }

  @Test
  void malformedEventIsCountedAndSetsError() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT,
        bytes(vllmContent(" a", "null") + "data: this is not json\n\n" + vllmContent(" b", "null") + DONE));
    assertEquals(1, r.malformedEvents);
    assertNotNull(r.error);
    assertTrue(r.error.contains("malformed"), r.error);
    assertTrue(r.error.contains("this is not json"), r.error);
    assertEquals(2, r.contentEvents(), "events after a malformed one are still read");
  }

  @Test
  void firstErrorIsKept() {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes("data: [1,2]\n\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"));
    assertEquals(1, r.malformedEvents);
    assertTrue(r.error.contains("[1,2]"), r.error);
  }

  @Test
  void errorEventSetsErrorWithTheServerMessage() {
    for (StreamDecoder d : StreamDecoder.values()) {
      StreamRecord r = feed(d, bytes("data: {\"error\":{\"message\":\"boom\",\"type\":\"InternalServerError\",\"code\":500}}\n\n"));
      assertNotNull(r.error, d.name());
      assertTrue(r.error.contains("boom"), d + ": " + r.error);
      assertEquals(0, r.contentEvents(), d.name());
      assertEquals(0, r.malformedEvents, d.name());
    }
  }

  @Test
  void errorMessageReadsNestedFlatAndStringErrors() {
    assertEquals("boom", message("{\"error\":{\"message\":\"boom\",\"type\":\"x\"}}"));
    assertEquals("boom", message("{\"object\":\"error\",\"message\":\"boom\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
    assertEquals("boom", message("{\"error\":\"boom\"}"));
    assertEquals("{\"detail\":\"x\"}", message("{\"detail\":\"x\"}"), "no message: the body itself");
    assertEquals("Internal Server Error", message("Internal Server Error"), "not JSON: the body itself");
    byte[] b = bytes("xx{\"message\":\"inner\"}yy");
    assertEquals("inner", StreamDecoder.errorMessage(b, 2, b.length - 2), "only the given range is read");
  }

  @Test
  void lastEventNanosCountsDoneAndUsageEvents() {
    StreamRecord r = split(StreamDecoder.OPENAI_CHAT, vllmContent(" a", "null"), vllmUsage(5, 1), DONE);
    assertArrayEquals(new long[] {100}, contentNanos(r));
    assertEquals(300, r.lastEventNanos);
  }

  private static String message(String body) {
    byte[] b = bytes(body);
    return StreamDecoder.errorMessage(b, 0, b.length);
  }

  /** Feeds each string as one append, drained at nanos 100, 200, ... */
  static StreamRecord split(StreamDecoder decoder, String... pieces) {
    StringBuilder all = new StringBuilder();
    int[] splits = new int[pieces.length - 1];
    for (int i = 0; i < pieces.length; i++) {
      all.append(pieces[i]);
      if (i < splits.length) {
        splits[i] = bytes(all.toString()).length;
      }
    }
    return feed(decoder, bytes(all.toString()), splits);
  }

  @Test
  void usageCountsAreReadAtTheTopLevelOfTheUsageObject() {
    // OpenAI's detail objects beside the counts, and a server that sends spaces or a null count.
    StreamRecord details = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE + vllmContent(" a", "null")
        + "data: {\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":2},"
        + "\"prompt_tokens\":7,\"completion_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":10,"
        + "\"completion_tokens\":3}}\n\n" + DONE));
    assertEquals(7, details.usagePromptTokens);
    assertEquals(3, details.usageCompletionTokens);

    StreamRecord spacedNull = feed(StreamDecoder.OPENAI_COMPLETIONS, bytes(
        "data: {\"choices\":[{\"text\":\" a\"}],\"usage\":{\"prompt_tokens\": 5, \"completion_tokens\": null}}\n\n"
            + DONE));
    assertEquals(5, spacedNull.usagePromptTokens);
    assertEquals(-1, spacedNull.usageCompletionTokens, "a null count is no count");
    assertEquals(1, spacedNull.outputTokens());
  }

  @Test
  void aUsageChunkThatIsNotJsonIsAMalformedEvent() {
    // Its braces close at its ends, so only reading it as JSON tells: a count is then not trusted.
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE + vllmContent(" a", "null")
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,,\"completion_tokens\":3}}\n\n" + DONE));
    assertEquals(1, r.malformedEvents);
    assertTrue(r.error.startsWith("malformed usage event: {\"choices\""), r.error);
    assertEquals(1, r.contentEvents(), "the content before it is kept");

    StreamRecord unbalanced = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE + vllmContent(" a", "null")
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}\n\n" + DONE));
    assertEquals(1, unbalanced.malformedEvents, summary(unbalanced));

    StreamRecord nested = feed(StreamDecoder.OPENAI_CHAT, bytes(VLLM_ROLE
        + "data: {\"choices\":[{\"delta\":{\"content\":\" a\"},\"usage\":{\"completion_tokens\":9}}]}\n\n" + DONE));
    assertEquals(-1, nested.usageCompletionTokens, "a usage object that is not the chunk's own is not read");
    assertEquals(0, nested.malformedEvents);
  }
}
