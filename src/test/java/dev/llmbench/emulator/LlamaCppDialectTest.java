package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The llama.cpp stream shape: no role chunk, {@code stream_options} ignored, usage and timings in
 * the final chunk (the one with {@code finish_reason} and an empty delta), then {@code [DONE]}.
 */
class LlamaCppDialectTest {
  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().dialect(Dialect.LLAMA_CPP));
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void chatStreamHasNoRoleChunkAndUsageInTheFinalChunkWithoutStreamOptions() {
    EmulatorHttp.Stream s = http.stream("/v1/chat/completions", EmulatorHttp.chat(20, 15, true));

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done(), "[DONE] last");
    List<JsonNode> events = s.events();
    String id = events.get(0).path("id").asText();
    assertTrue(id.startsWith("chatcmpl-"), id);
    for (JsonNode chunk : events) {
      StreamFormatTest.assertChunkSchema(chunk, "chat.completion.chunk", id);
      assertFalse(chunk.path("choices").path(0).path("delta").has("role"), () -> "no role chunk: " + chunk);
    }
    assertEquals(15, WordTokenizer.count(String.join("", s.contents())));
    assertFinalChunk(events, 20, 15);
    for (JsonNode chunk : events.subList(0, events.size() - 1)) {
      assertFalse(chunk.hasNonNull("usage"), () -> "usage only in the final chunk: " + chunk);
      assertTrue(chunk.path("choices").path(0).path("finish_reason").isNull());
    }
  }

  @Test
  void chatStreamIgnoresIncludeUsage() {
    EmulatorHttp.Stream s = http.stream("/v1/chat/completions", EmulatorHttp.withUsage(EmulatorHttp.chat(20, 6, true)));

    assertEquals(200, s.status(), s.errorBody());
    List<JsonNode> events = s.events();
    assertTrue(events.stream().noneMatch(e -> e.path("choices").isEmpty()), "no separate usage chunk");
    assertEquals(1, events.stream().filter(e -> e.hasNonNull("usage")).count());
    assertFinalChunk(events, 20, 6);
    assertTrue(s.done());
  }

  @Test
  void completionsStreamHasUsageInTheFinalChunk() {
    EmulatorHttp.Stream s = http.stream("/v1/completions", EmulatorHttp.completion(8, 11, true));

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done());
    List<JsonNode> events = s.events();
    for (JsonNode chunk : events) {
      StreamFormatTest.assertChunkSchema(chunk, "text_completion", events.get(0).path("id").asText());
    }
    assertEquals(11, WordTokenizer.count(String.join("", s.contents())));
    JsonNode last = events.get(events.size() - 1);
    assertEquals("", last.path("choices").path(0).path("text").asText());
    assertEquals("length", last.path("choices").path(0).path("finish_reason").asText());
    StreamFormatTest.assertUsage(last.path("usage"), 8, 11);
  }

  private static void assertFinalChunk(List<JsonNode> events, int promptTokens, int completionTokens) {
    JsonNode last = events.get(events.size() - 1);
    JsonNode choice = last.path("choices").path(0);
    assertEquals("length", choice.path("finish_reason").asText(), () -> "final chunk: " + last);
    assertTrue(choice.path("delta").isObject() && choice.path("delta").isEmpty(), () -> "empty delta: " + last);
    StreamFormatTest.assertUsage(last.path("usage"), promptTokens, completionTokens);
    assertEquals(promptTokens, last.path("timings").path("prompt_n").asInt(-1), () -> "timings: " + last);
    assertEquals(completionTokens, last.path("timings").path("predicted_n").asInt(-1));
    assertTrue(last.path("timings").path("predicted_ms").asDouble() > 0);
  }
}
