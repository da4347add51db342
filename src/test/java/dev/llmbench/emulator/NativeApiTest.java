package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SGLang /generate and /v1/score, TRT-LLM generate_stream, and the Prometheus /metrics page. */
class NativeApiTest {
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

  private static ObjectNode sglang(int promptTokens, int maxNewTokens, boolean stream) {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("text", EmulatorHttp.prompt(promptTokens, 7))
        .put("stream", stream);
    body.putObject("sampling_params").put("max_new_tokens", maxNewTokens).put("ignore_eos", true);
    return body;
  }

  @Test
  void sglangGenerateStreamsCumulativeTextWithMetaInfo() {
    EmulatorHttp.Stream s = http.stream("/generate", sglang(30, 20, true));

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done(), "SGLang ends its native stream with [DONE]");
    List<JsonNode> events = s.events();
    assertEquals(20, events.size(), "one event per token with tokensPerChunk=1");
    String previous = "";
    for (JsonNode e : events) {
      String text = e.path("text").asText();
      assertTrue(text.startsWith(previous) && text.length() > previous.length(),
          () -> "each event holds the whole text so far: " + e);
      JsonNode meta = e.path("meta_info");
      assertEquals(WordTokenizer.count(text), meta.path("completion_tokens").asInt(-1), () -> "meta_info of " + e);
      assertEquals(30, meta.path("prompt_tokens").asInt(-1));
      previous = text;
    }
    JsonNode last = events.get(events.size() - 1);
    assertEquals(20, WordTokenizer.count(last.path("text").asText()));
    assertEquals(20, last.path("meta_info").path("completion_tokens").asInt());
    assertEquals("length", last.path("meta_info").path("finish_reason").path("type").asText());
    assertTrue(events.get(0).path("meta_info").path("finish_reason").isNull());
  }

  @Test
  void sglangGenerateNonStreamingReturnsTextAndCompletionTokens() {
    EmulatorHttp.Reply r = http.post("/generate", sglang(5, 9, false));

    assertEquals(200, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals(9, WordTokenizer.count(body.path("text").asText()));
    assertEquals(9, body.path("meta_info").path("completion_tokens").asInt());
    assertEquals(5, body.path("meta_info").path("prompt_tokens").asInt());
  }

  @Test
  void trtGenerateStreamSendsTextOutputDeltasAndNoDone() {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("text_input", EmulatorHttp.prompt(12, 3))
        .put("max_tokens", 14).put("min_length", 14);
    EmulatorHttp.Stream s = http.stream("/v2/models/ensemble/generate_stream", body);

    assertEquals(200, s.status(), s.errorBody());
    assertFalse(s.data().contains("[DONE]"), "Triton sends no [DONE]");
    assertTrue(s.error() == null, () -> "stream ends cleanly: " + s.error());
    List<JsonNode> events = s.events();
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events) {
      assertTrue(e.path("text_output").isTextual(), () -> "text_output in " + e);
      assertEquals(1, WordTokenizer.count(e.path("text_output").asText()), () -> "a delta of one token: " + e);
      text.append(e.path("text_output").asText());
    }
    assertEquals(14, WordTokenizer.count(text));
    assertTrue(events.get(0).path("sequence_start").asBoolean());
    assertTrue(events.get(events.size() - 1).path("sequence_end").asBoolean());
    assertFalse(events.get(0).path("sequence_end").asBoolean());
  }

  @Test
  void trtGenerateByServedModelNameAlsoWorks() {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("text_input", "hello there")
        .put("max_tokens", 3).put("min_length", 3);
    EmulatorHttp.Reply r = http.post("/v2/models/" + EmulatorConfig.DEFAULT_MODEL + "/generate", body);

    assertEquals(200, r.status(), r.body());
    assertEquals(3, WordTokenizer.count(r.json().path("text_output").asText()));
  }

  private static ObjectNode score(int items, int itemTokens, boolean softmax) {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("query", "is this relevant")
        .put("apply_softmax", softmax);
    ArrayNode list = body.putArray("items");
    for (int i = 0; i < items; i++) {
      list.add(EmulatorHttp.prompt(itemTokens, 100 + i));
    }
    body.putArray("label_token_ids").add(9454).add(2753).add(17);
    return body;
  }

  @Test
  void scoreReturnsOneProbabilityPerLabelForEachItem() {
    JsonNode plain = http.post("/v1/score", score(4, 10, false)).json();
    JsonNode softmax = http.post("/v1/score", score(4, 10, true)).json();

    for (JsonNode r : List.of(plain, softmax)) {
      assertEquals("scoring", r.path("object").asText(), r::toString);
      assertEquals(4, r.path("scores").size(), () -> "one list per item: " + r);
      for (JsonNode item : r.path("scores")) {
        assertEquals(3, item.size(), () -> "one probability per label: " + item);
        for (JsonNode p : item) {
          assertTrue(p.asDouble() > 0 && p.asDouble() < 1, () -> "a probability: " + item);
        }
      }
    }
    for (JsonNode item : softmax.path("scores")) {
      double sum = 0;
      for (JsonNode p : item) {
        sum += p.asDouble();
      }
      assertEquals(1.0, sum, 1e-9, () -> "apply_softmax normalises over the labels: " + item);
    }
    for (JsonNode item : plain.path("scores")) {
      double sum = 0;
      for (JsonNode p : item) {
        sum += p.asDouble();
      }
      assertTrue(sum < 1, () -> "without apply_softmax the rest of the vocabulary keeps some mass: " + item);
    }
  }

  @Test
  void scoreIsDeterministicForTheSameInput() {
    JsonNode a = http.post("/v1/score", score(3, 8, true)).json().path("scores");
    JsonNode b = http.post("/v1/score", score(3, 8, true)).json().path("scores");

    assertEquals(a, b);
    assertFalse(a.get(0).equals(a.get(1)), "different items score differently");
  }

  @Test
  void scoreWithMoreItemsCostsMoreInGroundTruth() {
    // 1 item of 10 tokens vs 40 items of 500 tokens (20k prefill tokens, ~100 ms at 200k tok/s).
    // The minimum of three runs of each keeps a noisy machine's pauses out of the comparison.
    long small = Long.MAX_VALUE;
    long large = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      small = Math.min(small, scoreE2eNanos(score(1, 10, true), 1));
      large = Math.min(large, scoreE2eNanos(score(40, 500, true), 40));
    }
    assertTrue(large > 3 * small, "e2e with 40 long items (" + large + " ns) vs 1 short item (" + small + " ns)");
  }

  private long scoreE2eNanos(ObjectNode body, int items) {
    String rid = EmulatorHttp.newRequestId("score");
    EmulatorHttp.Reply r = http.post("/v1/score", body, "X-Request-Id", rid);
    assertEquals(200, r.status(), r.body());
    assertEquals(items, r.json().path("scores").size());
    RequestTrace trace = http.trace(rid);
    assertEquals("score", trace.api());
    assertEquals(0, trace.completionTokens());
    return trace.e2eNanos();
  }

  @Test
  void metricsUseVllmNamesAndCountersMoveAfterRequests() {
    String before = http.metrics();
    for (String name : List.of("vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
        "vllm:prompt_tokens_total", "vllm:generation_tokens_total", "vllm:request_success_total")) {
      assertTrue(before.contains("# TYPE " + name + " "), () -> name + " in\n" + before);
    }
    String lengthSample = "vllm:request_success_total{finished_reason=\"length\"";

    EmulatorHttp.Stream s = http.stream("/v1/chat/completions", EmulatorHttp.chat(70, 30, true));
    assertEquals(200, s.status());
    assertEquals(200, http.post("/v1/completions", EmulatorHttp.completion(50, 10, false)).status());
    String after = http.metrics();

    assertEquals(120, EmulatorHttp.sample(after, "vllm:prompt_tokens_total")
        - EmulatorHttp.sample(before, "vllm:prompt_tokens_total"), "prompt tokens of both requests");
    assertEquals(40, EmulatorHttp.sample(after, "vllm:generation_tokens_total")
        - EmulatorHttp.sample(before, "vllm:generation_tokens_total"), "generated tokens of both requests");
    assertEquals(2, EmulatorHttp.sample(after, lengthSample) - EmulatorHttp.sample(before, lengthSample),
        "two requests finished by length");
    assertTrue(EmulatorHttp.sample(after, "vllm:num_requests_running") >= 0);
    double kv = EmulatorHttp.sample(after, "vllm:kv_cache_usage_perc");
    assertTrue(kv >= 0 && kv <= 1, "kv usage is a fraction: " + kv);
  }
}
