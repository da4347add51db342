package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.workload.Conversation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session turn's answer text, as each API streams it, read besides the timing; a request without a transcript
 * keeps no text; a conversation's body carries every message.
 */
class TranscriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static StreamRecord read(StreamDecoder decoder, boolean keep, String... events) {
    StringBuilder sse = new StringBuilder();
    for (String e : events) {
      sse.append("data: ").append(e).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    StreamRecord r = new StreamRecord();
    if (keep) {
      r.transcript = new Transcript();
    }
    SseScanner scanner = new SseScanner();
    byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
    scanner.append(bytes, 0, bytes.length);
    scanner.drain(1, decoder, r);
    return r;
  }

  @Test
  void chatDeltasAreJoinedAndTheTimingIsUnchanged() {
    String[] events = {"{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\" w\\u00f6rld\"}}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}"};
    StreamRecord kept = read(StreamDecoder.OPENAI_CHAT, true, events);
    StreamRecord plain = read(StreamDecoder.OPENAI_CHAT, false, events);
    assertEquals("Hello w\u00f6rld", kept.transcript.text());
    assertEquals(plain.contentEvents(), kept.contentEvents());
    assertNull(plain.transcript, "a single request keeps no text");
  }

  @Test
  void completionsTextAndSglangsCumulativeText() {
    assertEquals("ab c", read(StreamDecoder.OPENAI_COMPLETIONS, true, "{\"choices\":[{\"text\":\"ab\"}]}",
        "{\"choices\":[{\"text\":\" c\"}]}").transcript.text());
    assertEquals("ab c", read(StreamDecoder.SGLANG_GENERATE, true,
        "{\"text\":\"ab\",\"meta_info\":{\"completion_tokens\":1}}",
        "{\"text\":\"ab c\",\"meta_info\":{\"completion_tokens\":2}}").transcript.text());
  }

  @Test
  void aConversationsBodyCarriesEveryMessage() throws IOException {
    Conversation c = Conversation.start("session-1", "be brief").withUser("hi").withAssistant("hello").withUser("more");
    JsonNode chat = JSON.readTree(Backend.OPENAI_CHAT.body("m", c, 8));
    assertEquals(List.of("system", "user", "assistant", "user"),
        JSON.convertValue(chat.get("messages").findValues("role").stream().map(JsonNode::asText).toList(), List.class));
    assertEquals("more", chat.get("messages").get(3).get("content").asText());
    JsonNode completions = JSON.readTree(Backend.OPENAI.body("m", c, 8));
    assertEquals(c.flattened(), completions.get("prompt").asText());
  }
}
