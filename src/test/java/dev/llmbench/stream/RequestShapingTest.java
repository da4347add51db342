package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extra body merged into each backend's body, headers parsed and recorded without secrets, LoRA draws. */
class RequestShapingTest {
  /** Refuses duplicate keys: a merged body must name each field once. */
  private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static RequestShaping shaping(String body, String headers, String lora, Double temperature) {
    return new RequestShaping(body == null ? RequestShaping.NONE.extraBody() : RequestShaping.parseExtraBody(body),
        headers == null ? Map.of() : RequestShaping.parseHeaders(headers),
        lora == null ? List.of() : RequestShaping.parseLoraModules(lora), temperature);
  }

  private static JsonNode body(Backend b, RequestShaping s, String lora) throws IOException {
    return STRICT.readTree(b.body("m", "a prompt", null, 8, s, lora));
  }

  @Test
  void anExtraBodyWhoseQuotesTheMavenPluginEscapedIsReadAsTyped() {
    // What gatling-maven-plugin's fork receives for -Dextra.body='{"top_k":20,"min_p":0.1}'.
    assertEquals(RequestShaping.parseExtraBody("{\"top_k\":20,\"min_p\":0.1}"),
        RequestShaping.parseExtraBody("{\\\"top_k\\\":20,\\\"min_p\\\":0.1}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RequestShaping.parseExtraBody("{\\\"top_k\\\":}"));
    assertTrue(e.getMessage().startsWith("extra.body is not valid JSON"), e.getMessage());
  }

  @Test
  void theExtraBodyIsMergedAtTheTopLevelAndOverridesOurFields() throws IOException {
    RequestShaping s = shaping("{\"top_p\":0.9,\"temperature\":0.5,\"min_p\":{\"nested\":[1,2]}}", null, null, null);
    for (Backend b : Backend.values()) {
      JsonNode json = body(b, s, null);
      assertEquals(0.9, json.get("top_p").asDouble(), b + ": " + json);
      assertEquals(0.5, json.get("temperature").asDouble(), b + ": " + json);
      assertEquals(STRICT.readTree("{\"nested\":[1,2]}"), json.get("min_p"));
      assertTrue(json.get("stream").asBoolean(), b + " still streams");
    }
  }

  @Test
  void withoutShapingTheBodyIsTheSameAsBefore() {
    for (Backend b : Backend.values()) {
      assertEquals(new String(b.body("m", "p", 8)), new String(b.body("m", "p", null, 8, RequestShaping.NONE, null)));
    }
  }

  @Test
  void theTemperatureGoesWhereEachApiReadsIt() throws IOException {
    double t = 0.7;
    RequestShaping s = shaping(null, null, null, t);
    assertEquals(t, body(Backend.OPENAI_CHAT, s, null).get("temperature").asDouble());
    assertEquals(t, body(Backend.SGLANG, s, null).path("sampling_params").get("temperature").asDouble());
    assertEquals(t, body(Backend.TRT_LLM, s, null).get("temperature").asDouble());
  }

  @Test
  void anAdapterIsAskedForAsTheModelOrAsSglangsLoraPath() throws IOException {
    RequestShaping s = shaping(null, null, "a,b", null);
    assertEquals("a", body(Backend.OPENAI_CHAT, s, "a").get("model").asText());
    assertEquals("b", body(Backend.OPENAI, s, "b").get("model").asText());
    assertEquals("a", body(Backend.SGLANG, s, "a").get("lora_path").asText());
  }

  @Test
  void adaptersAreDrawnFromTheSeedAndTheRequestIndexCoveringEveryAdapter() {
    RequestShaping s = shaping(null, null, "a, b ,c", null);
    assertEquals(List.of("a", "b", "c"), s.loraModules());
    int n = s.loraModules().size() * 100;
    List<String> first = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String a = s.loraFor(1, i);
      first.add(a);
      counts.merge(a, 1, Integer::sum);
    }
    assertEquals(s.loraModules().size(), counts.size(), "every adapter is used: " + counts);
    for (int c : counts.values()) {
      // Uniform draws: each share within half of its expectation (far outside chance at this n).
      assertTrue(Math.abs(c - n / (double) counts.size()) < n / (2.0 * counts.size()), counts.toString());
    }
    List<String> again = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      again.add(s.loraFor(1, i));
    }
    assertEquals(first, again, "the same run draws the same adapters");
  }

  @Test
  void messagesAreSentAsTheyAre() throws IOException {
    String messages = "[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi there\"}]";
    JsonNode json = STRICT.readTree(Backend.OPENAI_CHAT.body("m", "be brief\nhi there", messages, 8,
        RequestShaping.NONE, null));
    assertEquals(STRICT.readTree(messages), json.get("messages"));
  }

  @Test
  void headersParseAndSecretsAreNeverRecorded() {
    RequestShaping s = shaping(null, "X-A: 1; X-Api-Key: sk-123 ;X-B:two words", null, null);
    assertEquals("X-A: 1\r\nX-Api-Key: sk-123\r\nX-B: two words\r\n", s.headerLines());
    assertEquals("X-A: 1; X-Api-Key: (secret); X-B: two words", s.recordedHeaders());
    assertFalse(s.recordedHeaders().contains("sk-123"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> RequestShaping.parseHeaders("X-A 1"));
    assertEquals(1, bad.getMessage().lines().count());
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> RequestShaping.parseHeaders("Bad Token: sk-123"));
    assertFalse(secret.getMessage().contains("sk-123"), secret.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RequestShaping.parseHeaders("Host: other"));
  }

  @Test
  void anExtraBodyThatIsNotAJsonObjectIsOneLine() {
    for (String bad : List.of("{\"top_p\":", "[1,2]", "0.9", "{\"stream\":false}")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RequestShaping.parseExtraBody(bad));
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().startsWith("extra.body"), e.getMessage());
    }
  }
}
