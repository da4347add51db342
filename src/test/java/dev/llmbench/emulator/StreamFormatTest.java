package dev.llmbench.emulator;

import static dev.llmbench.emulator.EmulatorHttp.assertHasText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible stream and body shapes of the default (vLLM) dialect, over real HTTP. */
class StreamFormatTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String COMPLETIONS = "/v1/completions";

  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig());
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void chatStreamChunksFollowTheOpenAiSchemaAndCarryExactlyMaxTokens() {
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(50, 37, true));

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(s.done(), "[DONE] is the last event");
    assertEquals(1, s.data().stream().filter("[DONE]"::equals).count(), "exactly one [DONE]");
    List<JsonNode> events = s.events();
    String id = events.get(0).path("id").asText();
    for (JsonNode chunk : events) {
      assertChunkSchema(chunk, "chat.completion.chunk", id);
      JsonNode choice = chunk.path("choices").path(0);
      assertTrue(choice.path("delta").isObject(), () -> "delta in " + chunk);
    }
    assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText(),
        "vLLM sends a role chunk first");
    assertEquals(37, WordTokenizer.count(String.join("", s.contents())), "content tokens with ignore_eos");
    JsonNode last = events.get(events.size() - 1);
    assertEquals("length", last.path("choices").path(0).path("finish_reason").asText(), "last chunk finishes");
    for (JsonNode chunk : events.subList(0, events.size() - 1)) {
      assertTrue(chunk.path("choices").path(0).path("finish_reason").isNull(), () -> "not finished yet: " + chunk);
    }
    assertFalse(events.stream().anyMatch(e -> e.hasNonNull("usage")), "no usage without stream_options");
  }

  @Test
  void chatStreamWithIncludeUsageEndsWithAUsageChunkWithEmptyChoices() {
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.withUsage(EmulatorHttp.chat(64, 20, true)));

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done());
    List<JsonNode> events = s.events();
    JsonNode usageChunk = events.get(events.size() - 1);
    assertChunkEnvelope(usageChunk, "chat.completion.chunk", events.get(0).path("id").asText());
    assertTrue(usageChunk.path("choices").isArray() && usageChunk.path("choices").isEmpty(),
        () -> "usage chunk has empty choices: " + usageChunk);
    assertUsage(usageChunk.path("usage"), 64, 20);
    assertEquals(1, events.stream().filter(e -> e.hasNonNull("usage")).count(), "one usage chunk");
    assertEquals(20, WordTokenizer.count(String.join("", s.contents())));
  }

  @Test
  void completionsStreamFollowsTheOpenAiSchemaWithAndWithoutUsage() {
    EmulatorHttp.Stream plain = http.stream(COMPLETIONS, EmulatorHttp.completion(30, 25, true));
    EmulatorHttp.Stream withUsage = http.stream(COMPLETIONS, EmulatorHttp.withUsage(EmulatorHttp.completion(30, 25, true)));

    for (EmulatorHttp.Stream s : List.of(plain, withUsage)) {
      assertEquals(200, s.status(), s.errorBody());
      assertTrue(s.done(), "[DONE] last");
      assertEquals(25, WordTokenizer.count(String.join("", s.contents())));
      List<JsonNode> events = s.events();
      String id = events.get(0).path("id").asText();
      assertTrue(id.startsWith("cmpl-"), id);
      for (JsonNode chunk : events) {
        if (chunk.path("choices").isEmpty()) {
          continue; // the usage chunk, checked below
        }
        assertChunkSchema(chunk, "text_completion", id);
        assertTrue(chunk.path("choices").path(0).path("text").isTextual(), () -> "text in " + chunk);
      }
    }
    assertFalse(plain.events().stream().anyMatch(e -> e.hasNonNull("usage")), "no usage unless asked");
    List<JsonNode> events = withUsage.events();
    JsonNode usageChunk = events.get(events.size() - 1);
    assertTrue(usageChunk.path("choices").isEmpty(), () -> "usage chunk: " + usageChunk);
    assertUsage(usageChunk.path("usage"), 30, 25);
    assertEquals("length", events.get(events.size() - 2).path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void nonStreamingChatBodyHasMessageFinishReasonAndUsage() {
    EmulatorHttp.Reply r = http.post(CHAT, EmulatorHttp.chat(40, 12, false));

    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode body = r.json();
    assertHasText(body, "id");
    assertEquals("chat.completion", body.path("object").asText());
    assertEquals(EmulatorConfig.DEFAULT_MODEL, body.path("model").asText());
    assertTrue(body.path("created").isIntegralNumber());
    JsonNode choice = body.path("choices").path(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals(12, WordTokenizer.count(choice.path("message").path("content").asText()));
    assertEquals("length", choice.path("finish_reason").asText());
    assertUsage(body.path("usage"), 40, 12);
  }

  @Test
  void nonStreamingCompletionBodyHasTextAndUsage() {
    EmulatorHttp.Reply r = http.post(COMPLETIONS, EmulatorHttp.completion(10, 9, false));

    assertEquals(200, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals("text_completion", body.path("object").asText());
    assertEquals(9, WordTokenizer.count(body.path("choices").path(0).path("text").asText()));
    assertUsage(body.path("usage"), 10, 9);
  }

  @Test
  void withoutIgnoreEosTheAnswerStopsAtOrBeforeMaxTokensAndUsageAgrees() {
    for (int i = 0; i < 5; i++) {
      var body = EmulatorHttp.chat(16, 100, false);
      body.remove("ignore_eos");
      JsonNode r = http.post(CHAT, body).json();
      int tokens = WordTokenizer.count(r.path("choices").path(0).path("message").path("content").asText());
      int reported = r.path("usage").path("completion_tokens").asInt();
      assertEquals(tokens, reported, "usage counts what was sent");
      assertTrue(tokens >= 1 && tokens <= 100, "within max_tokens: " + tokens);
      String finish = r.path("choices").path(0).path("finish_reason").asText();
      assertEquals(tokens == 100 ? "length" : "stop", finish, "finish_reason of " + tokens + " tokens");
    }
  }

  @Test
  void modelsListsTheServedModelWithItsMaxModelLen() {
    EmulatorHttp.Reply r = http.get("/v1/models");

    assertEquals(200, r.status(), r.body());
    JsonNode model = r.json().path("data").path(0);
    assertEquals("list", r.json().path("object").asText());
    assertEquals(EmulatorConfig.DEFAULT_MODEL, model.path("id").asText());
    assertEquals(emulator.config().maxModelLen(), model.path("max_model_len").asInt());
  }

  @Test
  void healthAnswers200() {
    assertEquals(200, http.get("/health").status());
  }

  private static void assertChunkEnvelope(JsonNode chunk, String object, String id) {
    assertEquals(id, chunk.path("id").asText(), () -> "same id in every chunk: " + chunk);
    assertEquals(object, chunk.path("object").asText(), () -> "object of " + chunk);
    assertTrue(chunk.path("created").isIntegralNumber() && chunk.path("created").asLong() > 1_600_000_000L,
        () -> "created (epoch seconds) in " + chunk);
    assertEquals(EmulatorConfig.DEFAULT_MODEL, chunk.path("model").asText(), () -> "model of " + chunk);
    assertTrue(chunk.path("choices").isArray(), () -> "choices array in " + chunk);
  }

  static void assertChunkSchema(JsonNode chunk, String object, String id) {
    assertChunkEnvelope(chunk, object, id);
    assertEquals(1, chunk.path("choices").size(), () -> "one choice in " + chunk);
    JsonNode choice = chunk.path("choices").path(0);
    assertEquals(0, choice.path("index").asInt(-1), () -> "index in " + chunk);
    assertTrue(choice.has("finish_reason"), () -> "finish_reason present (null or a reason) in " + chunk);
    assertTrue(choice.path("finish_reason").isNull() || choice.path("finish_reason").isTextual());
  }

  static void assertUsage(JsonNode usage, int promptTokens, int completionTokens) {
    assertEquals(promptTokens, usage.path("prompt_tokens").asInt(-1), () -> "prompt_tokens in " + usage);
    assertEquals(completionTokens, usage.path("completion_tokens").asInt(-1), () -> "completion_tokens in " + usage);
    assertEquals(promptTokens + completionTokens, usage.path("total_tokens").asInt(-1), () -> "total in " + usage);
  }
}
