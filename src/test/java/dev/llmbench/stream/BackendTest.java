package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The request bodies: each backend's fields as bench_serving sends them, and any prompt text kept exactly. */
class BackendTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Quotes, backslash, line breaks, a control character, non-ASCII and a surrogate pair. */
  private static final String PROMPT = "say \"hi\" \\ then\nnew line\ttab \u0001 caf\u00e9 \u4e2d \ud83d\ude00";

  private static JsonNode body(Backend b) throws IOException {
    return JSON.readTree(b.body("org/model-8b", PROMPT, 77));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theBodyIsOneJsonObjectWhosePromptIsTheTextExactly(Backend b) throws IOException {
    JsonNode n = body(b);
    String prompt = switch (b) {
      case OPENAI, VLLM, OLLAMA -> n.get("prompt").asText();
      case OPENAI_CHAT -> n.get("messages").get(0).get("content").asText();
      case SGLANG -> n.get("text").asText();
      case TRT_LLM -> n.get("text_input").asText();
    };
    assertEquals(PROMPT, prompt);
  }

  @Test
  void openAiShapesAskForExactlyMaxTokensStreamedWithUsage() throws IOException {
    for (Backend b : new Backend[] {Backend.OPENAI, Backend.VLLM, Backend.OLLAMA, Backend.OPENAI_CHAT}) {
      JsonNode n = body(b);
      assertEquals("org/model-8b", n.get("model").asText(), b.name());
      assertEquals(77, n.get("max_tokens").asInt(), b.name());
      assertEquals(0.0, n.get("temperature").asDouble(), b.name());
      assertTrue(n.get("ignore_eos").asBoolean() && n.get("stream").asBoolean(), b.name());
      assertTrue(n.get("stream_options").get("include_usage").asBoolean(), b.name());
    }
    assertEquals("user", body(Backend.OPENAI_CHAT).get("messages").get(0).get("role").asText());
    assertEquals(1, body(Backend.OPENAI_CHAT).get("messages").size());
  }

  @Test
  void nativeShapesUseTheirOwnLengthFields() throws IOException {
    JsonNode sglang = body(Backend.SGLANG);
    assertEquals(77, sglang.get("sampling_params").get("max_new_tokens").asInt());
    assertEquals(0.0, sglang.get("sampling_params").get("temperature").asDouble());
    assertTrue(sglang.get("sampling_params").get("ignore_eos").asBoolean() && sglang.get("stream").asBoolean());
    assertNull(sglang.get("model"), "SGLang's /generate takes no model");

    JsonNode trt = body(Backend.TRT_LLM);
    assertEquals(77, trt.get("max_tokens").asInt());
    assertEquals(77, trt.get("min_length").asInt(), "no ignore_eos in TRT-LLM: the length is forced");
    assertEquals(1_048_576, trt.get("end_id").asInt());
    assertTrue(trt.get("stream").asBoolean());
  }
}
