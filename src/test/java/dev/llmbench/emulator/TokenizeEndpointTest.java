package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator's subword tokenizer: /tokenize and /detokenize in both shapes, and usage counted by it. */
class TokenizeEndpointTest {
  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().tokenizer(EmulatorConfig.Tokenizer.SUBWORD));
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void wordsAreNotTokens() {
    SubwordTokenizer t = SubwordTokenizer.get();
    assertEquals(3, t.count("kalomi"), "ka ##lo ##mi");
    assertEquals(1, t.count("water"), "a common word is whole");
    assertEquals(4, t.count("the water, now"), "the / water / , / now");
    assertEquals(1, t.count("caf\u00e9"), "a word it cannot cut is one [UNK]");
    assertEquals("kalomi the", t.decode(t.encode("kalomi the")));
  }

  @Test
  void vllmShape() {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("model", emulator.config().model())
        .put("prompt", "kalomi the water");
    JsonNode r = http.post("/tokenize", body).json();
    assertEquals(5, r.path("count").asInt());
    assertEquals(5, r.path("tokens").size());
    assertEquals(emulator.config().maxModelLen(), r.path("max_model_len").asInt());
    ObjectNode back = EmulatorHttp.JSON.createObjectNode().put("model", emulator.config().model());
    back.set("tokens", r.path("tokens"));
    assertEquals("kalomi the water", http.post("/detokenize", back).json().path("prompt").asText());
  }

  @Test
  void llamaCppShape() {
    JsonNode r = http.post("/tokenize", EmulatorHttp.JSON.createObjectNode().put("content", "kalomi")
        .put("with_pieces", true)).json();
    assertEquals(List.of("ka", "##lo", "##mi"), r.path("tokens").findValuesAsText("piece"));
    assertTrue(!r.has("count"), "llama.cpp's answer has only tokens");
    ObjectNode back = EmulatorHttp.JSON.createObjectNode();
    back.putArray("tokens").add(r.path("tokens").path(0).path("id").asInt());
    assertEquals("ka", http.post("/detokenize", back).json().path("content").asText());
  }

  @Test
  void usageCountsWithItAndChatAddsItsTemplate() {
    String prompt = EmulatorHttp.prompt(20, 3); // 20 words of three syllables each
    ObjectNode completion = EmulatorHttp.completion(1, 2, false).put("prompt", prompt);
    assertEquals(60, http.post("/v1/completions", completion).json().path("usage").path("prompt_tokens").asInt());
    ObjectNode chat = EmulatorHttp.chat(1, 2, false);
    ((ObjectNode) chat.path("messages").path(0)).put("content", prompt);
    assertEquals(60 + SubwordTokenizer.CHAT_TEMPLATE_TOKENS,
        http.post("/v1/chat/completions", chat).json().path("usage").path("prompt_tokens").asInt());
  }

  @Test
  void withoutTheEndpointItIsNotFound() {
    try (LlmEmulator plain = EmulatorHttp.start(EmulatorHttp.fastConfig().tokenizeEndpoint(false))) {
      ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("content", "a");
      new EmulatorHttp(plain).post("/tokenize", body).assertError(404);
    }
  }
}
