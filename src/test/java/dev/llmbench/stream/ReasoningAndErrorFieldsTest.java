package dev.llmbench.stream;

import static dev.llmbench.stream.StreamDecoderTest.DONE;
import static dev.llmbench.stream.StreamDecoderTest.VLLM_ROLE;
import static dev.llmbench.stream.StreamDecoderTest.bytes;
import static dev.llmbench.stream.StreamDecoderTest.contentNanos;
import static dev.llmbench.stream.StreamDecoderTest.split;
import static dev.llmbench.stream.StreamDecoderTest.summary;
import static dev.llmbench.stream.StreamDecoderTest.vllmContent;
import static dev.llmbench.stream.StreamDecoderTest.vllmUsage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reasoning deltas and error fields as real servers send them: a reasoning model's thinking is timed
 * as output (vLLM's and Ollama's {@code reasoning}, as {@code reasoning_content}), and an error a
 * server reports in a field or event of its own fails the request with the server's message.
 */
class ReasoningAndErrorFieldsTest {

  /** vLLM chat chunk with a reasoning delta, as vLLM sends it since PR #27752 (reasoning_content renamed). */
  static String vllmReasoning(String field, String text) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"" + field + "\":\"" + text + "\"},\"logprobs\":null,"
        + "\"finish_reason\":null}]}\n\n";
  }

  /** vLLM's current {@code reasoning} field is a token event, as its former {@code reasoning_content}. */
  @Test
  void vllmReasoningFieldCountsLikeReasoningContent() {
    // 3 reasoning deltas, then one answer token; usage 5/4; each event in its own read (100, 200, ...).
    String[] old = {VLLM_ROLE, vllmReasoning("reasoning_content", " a"), vllmReasoning("reasoning_content", " b"),
        vllmReasoning("reasoning_content", " c"), vllmContent(" d", "\"length\""), vllmUsage(5, 4) + DONE};
    String[] now = {VLLM_ROLE, vllmReasoning("reasoning", " a"), vllmReasoning("reasoning", " b"),
        vllmReasoning("reasoning", " c"), vllmContent(" d", "\"length\""), vllmUsage(5, 4) + DONE};
    StreamRecord before = split(StreamDecoder.OPENAI_CHAT, old);
    StreamRecord after = split(StreamDecoder.OPENAI_CHAT, now);
    assertArrayEquals(new long[] {200, 300, 400, 500}, contentNanos(before), "reasoning_content: first token at 200");
    // Without it only [500]: TTFT to the first answer token, 3 ITL gaps lost, TPOT over 4 tokens.
    assertArrayEquals(contentNanos(before), contentNanos(after), "reasoning: " + summary(after));
  }

  /** A reasoning model still thinking at max_tokens has content events (else a false failure). */
  @Test
  void vllmStreamThatIsAllReasoningHasContentEvents() {
    String s = VLLM_ROLE + vllmReasoning("reasoning", " a") + vllmReasoning("reasoning", " b")
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,"
        + "\"delta\":{\"reasoning\":\" c\"},\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n"
        + vllmUsage(5, 3) + DONE;
    StreamRecord r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    // StreamAction.complete: contentEvents() == 0 -> KO "stream ended without any content event".
    assertEquals(3, r.contentEvents(), summary(r));
  }

  /** Ollama's OpenAI chat sends thinking as "reasoning" next to "content":"" (openai/openai.go ToChunk). */
  @Test
  void ollamaChatThinkingChunksAreTokenEvents() {
    String think = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"qwen3\","
        + "\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\",\"reasoning\":\"Okay\"},\"finish_reason\":null}]}\n\n";
    String answer = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"qwen3\","
        + "\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
    StreamRecord r = split(StreamDecoder.OPENAI_CHAT, think, think, answer + DONE);
    assertArrayEquals(new long[] {100, 200, 300}, contentNanos(r), summary(r));
  }

  /**
   * llama.cpp's server (server.cpp up to the 2025 builds: handle_completions_impl's error callback
   * `server_sent_event(sink, "error", error_data)`, then `data: [DONE]`) reports a mid-stream error
   * (e.g. "Input prompt is too big compared to KV size", sent to every slot when llama_decode fails)
   * as an SSE field named {@code error}, not {@code data}. Skipping it would count a truncated stream,
   * ended by [DONE], as a success.
   */
  @Test
  void llamaCppErrorFieldMidStreamIsAFailure() {
    String tail = "\"created\":1,\"id\":\"chatcmpl-x\",\"model\":\"m\",\"system_fingerprint\":\"b1\","
        + "\"object\":\"chat.completion.chunk\"}\n\n";
    String s = "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" tok\"}}]," + tail
        + "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" tok\"}}]," + tail
        + "error: {\"code\":500,\"message\":\"Input prompt is too big compared to KV size."
        + " Please try increasing KV size.\","
        + "\"type\":\"server_error\"}\n\n"
        + DONE;
    StreamRecord r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    boolean okAsStreamActionJudgesIt = r.error == null && r.contentEvents() > 0 && r.done;
    assertNotNull(r.error, "recorded as OK (ok=" + okAsStreamActionJudgesIt + "): " + summary(r));
    assertTrue(r.error.contains("KV size"), r.error);
  }

  /** An {@code event: error} event fails the request with its message, whatever the shape of its data. */
  @Test
  void anErrorEventFailsTheRequestWhateverItsData() {
    String s = vllmContent(" a", "null") + "event: error\r\ndata: {\"message\":\"overloaded\"}\r\n\r\n" + DONE;
    StreamRecord r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(s));
    assertEquals("error event from server: overloaded", r.error, summary(r));
    assertEquals(1, r.contentEvents());
  }

  /** SSE allows an event's fields in any order: an {@code event: error} line after the data line counts too. */
  @Test
  void anErrorAfterTheDataLineFailsTheRequestWithItsMessage() {
    String event = vllmContent(" a", "null") + "data: {\"message\":\"overloaded\"}\nevent: error\n\n" + DONE;
    StreamRecord r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(event));
    assertEquals("error event from server: overloaded", r.error, summary(r));
    assertEquals(1, r.contentEvents());

    String crlf = vllmContent(" a", "null") + "data: {\"error\":{\"message\":\"KV full\"}}\r\nevent: error\r\n\r\n";
    r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(crlf));
    assertEquals("error event from server: KV full", r.error, summary(r));

    // Another event type after the data: the data is read as it is (here, a token).
    String other = vllmContent(" a", "null") + vllmContent(" b", "null").replace("\n\n", "\nevent: message\n\n") + DONE;
    r = StreamDecoderTest.feed(StreamDecoder.OPENAI_CHAT, bytes(other));
    assertEquals(null, r.error, summary(r));
    assertEquals(2, r.contentEvents());
  }
}
