package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vLLM's {@code /v1/score} (text_1, text_2), {@code /v1/rerank} and {@code /v1/embeddings}: each in
 * its server's shape, deterministic, and as costly as the tokens it puts through the model.
 */
class PoolingApiTest {
  private static final int MAX_MODEL_LEN = 1_024;
  private static final String SCORE = "/v1/score";
  private static final String RERANK = "/v1/rerank";
  private static final String EMBEDDINGS = "/v1/embeddings";
  private static final String MODEL = EmulatorConfig.DEFAULT_MODEL;
  private static final int QUERY_TOKENS = WordTokenizer.count(EmulatorHttp.QUERY);

  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().maxModelLen(MAX_MODEL_LEN));
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  private static JsonNode ok(String path, Object body) {
    EmulatorHttp.Reply r = http.post(path, body);
    assertEquals(200, r.status(), () -> path + ": " + r.body());
    return r.json();
  }

  // --- vLLM /v1/score -----------------------------------------------------------------------

  @Test
  void vllmScoreAnswersOneScorePerPairInVllmsShape() {
    JsonNode r = ok(SCORE, EmulatorHttp.vllmScore(3, 12));

    assertTrue(r.path("id").asText().startsWith("score-"), r::toString);
    assertEquals("list", r.path("object").asText());
    assertTrue(r.path("created").isIntegralNumber(), r::toString);
    assertEquals(MODEL, r.path("model").asText());
    assertEquals(3, r.path("data").size(), r::toString);
    for (int i = 0; i < 3; i++) {
      JsonNode d = r.path("data").get(i);
      assertEquals(i, d.path("index").asInt(-1));
      assertEquals("score", d.path("object").asText());
      double score = d.path("score").asDouble(-1);
      assertTrue(score > 0 && score < 1, () -> "a score in (0, 1): " + d);
    }
    int tokens = 3 * (QUERY_TOKENS + 12);
    assertEquals(tokens, r.path("usage").path("prompt_tokens").asInt());
    assertEquals(tokens, r.path("usage").path("total_tokens").asInt());
    assertEquals(0, r.path("usage").path("completion_tokens").asInt(-1));
  }

  @Test
  void vllmScorePairsNToNByPositionAndOneToNWithTheSingleFirstText() {
    List<String> firsts = EmulatorHttp.texts(2, 5);
    List<String> seconds = EmulatorHttp.texts(2, 7);
    ObjectNode nToN = EmulatorHttp.JSON.createObjectNode();
    firsts.forEach(nToN.putArray("text_1")::add);
    seconds.forEach(nToN.putArray("text_2")::add);
    JsonNode pairs = ok(SCORE, nToN).path("data");

    for (int i = 0; i < 2; i++) {
      ObjectNode single = EmulatorHttp.JSON.createObjectNode().put("text_1", firsts.get(i)).put("text_2", seconds.get(i));
      assertEquals(ok(SCORE, single).path("data").get(0).path("score").asDouble(), pairs.get(i).path("score").asDouble(),
          "pair " + i + " scores as it does alone");
    }
    ObjectNode oneToN = EmulatorHttp.JSON.createObjectNode();
    oneToN.putArray("text_1").add(firsts.get(0));
    seconds.forEach(oneToN.putArray("text_2")::add);
    JsonNode broadcast = ok(SCORE, oneToN).path("data");
    assertEquals(pairs.get(0).path("score").asDouble(), broadcast.get(0).path("score").asDouble());
    assertEquals(2, broadcast.size());
  }

  @Test
  void vllmScoreIsDeterministicAndDiffersBetweenItems() {
    JsonNode a = ok(SCORE, EmulatorHttp.vllmScore(4, 9)).path("data");
    JsonNode b = ok(SCORE, EmulatorHttp.vllmScore(4, 9)).path("data");

    assertEquals(a, b);
    Set<Double> distinct = new HashSet<>();
    a.forEach(d -> distinct.add(d.path("score").asDouble()));
    assertEquals(4, distinct.size(), "different items score differently: " + a);
  }

  // --- /v1/rerank -----------------------------------------------------------------------------

  @Test
  void rerankAnswersTheTopNDocumentsBestFirstInVllmsShape() {
    List<String> documents = EmulatorHttp.texts(6, 10);
    JsonNode all = ok(RERANK, EmulatorHttp.rerank(6, 10, null));
    JsonNode top = ok(RERANK, EmulatorHttp.rerank(6, 10, 3));

    assertTrue(top.path("id").asText().startsWith("rerank-"), top::toString);
    assertEquals(MODEL, top.path("model").asText());
    int tokens = 6 * (QUERY_TOKENS + 10);
    assertEquals(tokens, top.path("usage").path("total_tokens").asInt());
    assertEquals(tokens, top.path("usage").path("prompt_tokens").asInt());
    assertEquals(6, all.path("results").size(), "no top_n: every document");
    assertEquals(3, top.path("results").size(), "top_n=3");
    Set<Integer> indices = new HashSet<>();
    double previous = Double.MAX_VALUE;
    for (JsonNode result : all.path("results")) {
      int index = result.path("index").asInt(-1);
      assertTrue(indices.add(index), () -> "each document once: " + all);
      assertEquals(documents.get(index), result.path("document").path("text").asText(), "the document's own text");
      double score = result.path("relevance_score").asDouble();
      assertTrue(score <= previous, () -> "sorted by relevance, best first: " + all);
      previous = score;
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(all.path("results").get(i), top.path("results").get(i), "top_n keeps the best");
    }
  }

  @Test
  void rerankScoresAPairAsVllmScoreDoes() {
    JsonNode scores = ok(SCORE, EmulatorHttp.vllmScore(4, 8)).path("data");
    JsonNode reranked = ok(RERANK, EmulatorHttp.rerank(4, 8, null)).path("results");

    for (JsonNode result : reranked) {
      assertEquals(scores.get(result.path("index").asInt()).path("score").asDouble(),
          result.path("relevance_score").asDouble(), () -> "one cross-encoder behind both APIs: " + result);
    }
  }

  @Test
  void rerankTakesJinaStyleDocumentObjects() {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("query", EmulatorHttp.QUERY);
    body.putArray("documents").addObject().put("text", "alpha beta");
    JsonNode r = ok(RERANK, body);

    assertEquals("alpha beta", r.path("results").get(0).path("document").path("text").asText());
  }

  // --- /v1/embeddings -------------------------------------------------------------------------

  @Test
  void embeddingsAnswerAUnitVectorPerInputInOpenAisShape() {
    JsonNode r = ok(EMBEDDINGS, EmulatorHttp.embeddings(3, 11));

    assertEquals("list", r.path("object").asText());
    assertEquals(MODEL, r.path("model").asText());
    assertEquals(3, r.path("data").size());
    for (int i = 0; i < 3; i++) {
      JsonNode d = r.path("data").get(i);
      assertEquals(i, d.path("index").asInt(-1));
      assertEquals("embedding", d.path("object").asText());
      double[] v = vector(d.path("embedding"));
      assertEquals(emulator.config().embeddingDim(), v.length, "emulator.embedding.dim components");
      assertEquals(1.0, norm(v), 1e-5, "unit norm");
    }
    assertEquals(3 * 11, r.path("usage").path("prompt_tokens").asInt());
    assertEquals(3 * 11, r.path("usage").path("total_tokens").asInt());
  }

  @Test
  void embeddingsAreDeterministicPerInputAndNearlyOrthogonalBetweenInputs() {
    JsonNode batch = ok(EMBEDDINGS, EmulatorHttp.embeddings(2, 6)).path("data");
    ObjectNode alone = EmulatorHttp.JSON.createObjectNode().put("input", EmulatorHttp.texts(2, 6).get(1));
    JsonNode single = ok(EMBEDDINGS, alone).path("data");

    assertEquals(batch.get(1).path("embedding"), single.get(0).path("embedding"), "an input's vector, batched or not");
    double cosine = dot(vector(batch.get(0).path("embedding")), vector(batch.get(1).path("embedding")));
    assertTrue(Math.abs(cosine) < 0.5, "different inputs, different directions: cosine " + cosine);
  }

  @Test
  void embeddingsTakeTokenIdsAndTokenIdLists() {
    ObjectNode ids = EmulatorHttp.JSON.createObjectNode();
    ids.putArray("input").add(1).add(2).add(3);
    ObjectNode lists = EmulatorHttp.JSON.createObjectNode();
    ArrayNode input = lists.putArray("input");
    input.addArray().add(1).add(2);
    input.addArray().add(5).add(6).add(7).add(8);

    JsonNode one = ok(EMBEDDINGS, ids);
    JsonNode two = ok(EMBEDDINGS, lists);

    assertEquals(1, one.path("data").size(), "a list of token ids is one input");
    assertEquals(3, one.path("usage").path("prompt_tokens").asInt());
    assertEquals(2, two.path("data").size(), "a list of token-id lists is one input each");
    assertEquals(6, two.path("usage").path("prompt_tokens").asInt());
  }

  @Test
  void embeddingsDimensionsShortenTheVectorAndKeepItUnit() {
    int dimensions = emulator.config().embeddingDim() / 4;
    ObjectNode body = EmulatorHttp.embeddings(1, 5).put("dimensions", dimensions);
    double[] shortened = vector(ok(EMBEDDINGS, body).path("data").get(0).path("embedding"));
    double[] full = vector(ok(EMBEDDINGS, EmulatorHttp.embeddings(1, 5)).path("data").get(0).path("embedding"));

    assertEquals(dimensions, shortened.length);
    assertEquals(1.0, norm(shortened), 1e-5);
    double[] start = Arrays.copyOf(full, dimensions);
    assertEquals(1.0, dot(shortened, start) / norm(start), 1e-5, "the normalised start of the full vector (Matryoshka)");
  }

  @Test
  void embeddingsInBase64AreTheFloatVectorAsLittleEndianFloat32() {
    JsonNode floats = ok(EMBEDDINGS, EmulatorHttp.embeddings(1, 4)).path("data").get(0).path("embedding");
    JsonNode encoded = ok(EMBEDDINGS, EmulatorHttp.embeddings(1, 4).put("encoding_format", "base64"))
        .path("data").get(0).path("embedding");

    assertTrue(encoded.isTextual(), encoded::toString);
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asText())).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4 * floats.size(), bytes.remaining());
    for (JsonNode f : floats) {
      assertEquals((float) f.asDouble(), bytes.getFloat());
    }
  }

  @Test
  void differentSeedsGiveDifferentVectors() {
    try (LlmEmulator other = EmulatorHttp.start(EmulatorHttp.fastConfig().seed(emulator.config().seed() + 1))) {
      JsonNode mine = ok(EMBEDDINGS, EmulatorHttp.embeddings(1, 5)).path("data").get(0).path("embedding");
      EmulatorHttp.Reply theirs = new EmulatorHttp(other).post(EMBEDDINGS, EmulatorHttp.embeddings(1, 5));

      assertEquals(200, theirs.status(), theirs.body());
      assertNotEquals(mine, theirs.json().path("data").get(0).path("embedding"), "emulator.seed seeds the vectors");
    }
  }

  // --- cost -----------------------------------------------------------------------------------

  /**
   * 1 item of 10 tokens vs 40 of 500 (20k prefill tokens): the emulator's ground truth shows the
   * large request at least as long as its prefill takes at the timing model's rate, and several
   * times the small one. The minimum of three runs keeps a noisy machine's pauses out.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("costBodies")
  void latencyGrowsWithItemsAndTheirTokens(String path, ObjectNode small, ObjectNode large) {
    long smallNanos = Long.MAX_VALUE;
    long largeNanos = Long.MAX_VALUE;
    RequestTrace largeTrace = null;
    for (int i = 0; i < 3; i++) {
      smallNanos = Math.min(smallNanos, trace(path, small).e2eNanos());
      largeTrace = trace(path, large);
      largeNanos = Math.min(largeNanos, largeTrace.e2eNanos());
    }
    double prefillNanos = largeTrace.promptTokens() * 1e9 / emulator.config().timing().prefillTokensPerSecond();

    assertTrue(largeNanos >= prefillNanos, "e2e " + largeNanos + " ns vs the prefill of " + largeTrace.promptTokens()
        + " tokens, " + prefillNanos + " ns");
    assertTrue(largeNanos > 3 * smallNanos, "e2e with 40 long items (" + largeNanos + " ns) vs 1 short item ("
        + smallNanos + " ns)");
  }

  static Stream<Arguments> costBodies() {
    return Stream.of(
        Arguments.of(SCORE, EmulatorHttp.vllmScore(1, 10), EmulatorHttp.vllmScore(40, 500)),
        Arguments.of(RERANK, EmulatorHttp.rerank(1, 10, null), EmulatorHttp.rerank(40, 500, null)),
        Arguments.of(EMBEDDINGS, EmulatorHttp.embeddings(1, 10), EmulatorHttp.embeddings(40, 500)));
  }

  /** Sends the request and returns its ground truth, checking that it generated nothing. */
  private static RequestTrace trace(String path, ObjectNode body) {
    String rid = EmulatorHttp.newRequestId("pool");
    EmulatorHttp.Reply r = http.post(path, body, "X-Request-Id", rid);
    assertEquals(200, r.status(), r.body());
    RequestTrace t = http.trace(rid);
    assertEquals(0, t.completionTokens(), "prefill only");
    assertEquals(r.json().path("usage").path("total_tokens").asInt(), t.promptTokens(), "usage is what went through");
    return t;
  }

  // --- errors ---------------------------------------------------------------------------------

  /** description, path, body, status, message fragment. */
  static Stream<Arguments> badRequests() {
    String tooLong = EmulatorHttp.prompt(MAX_MODEL_LEN + 1, 3);
    return Stream.of(
        Arguments.of("score: unknown model", SCORE, "{\"model\":\"gpt-17\",\"text_1\":\"a\",\"text_2\":\"b\"}", 404,
            "gpt-17"),
        Arguments.of("score: text_2 missing", SCORE, "{\"text_1\":\"a\"}", 400, "'text_2' is required"),
        Arguments.of("score: 2 to 3 texts", SCORE, "{\"text_1\":[\"a\",\"b\"],\"text_2\":[\"c\",\"d\",\"e\"]}", 400,
            "1:1, 1:N or N:N"),
        Arguments.of("score: a number among the texts", SCORE, "{\"text_1\":\"a\",\"text_2\":[\"c\",4]}", 400,
            "'text_2' must hold strings"),
        Arguments.of("score: neither API's fields", SCORE, "{\"items\":[\"a\"]}", 400, "'text_1' and 'text_2'"),
        Arguments.of("rerank: unknown model", RERANK, "{\"model\":\"gpt-17\",\"query\":\"q\",\"documents\":[\"d\"]}",
            404, "gpt-17"),
        Arguments.of("rerank: no query", RERANK, "{\"documents\":[\"d\"]}", 400, "'query' is required"),
        Arguments.of("rerank: no documents", RERANK, "{\"query\":\"q\",\"documents\":[]}", 400, "'documents'"),
        Arguments.of("rerank: document a number", RERANK, "{\"query\":\"q\",\"documents\":[3]}", 400,
            "each document must be a string"),
        Arguments.of("rerank: negative top_n", RERANK, "{\"query\":\"q\",\"documents\":[\"d\"],\"top_n\":-1}", 400,
            "'top_n'"),
        Arguments.of("embeddings: unknown model", EMBEDDINGS, "{\"model\":\"gpt-17\",\"input\":\"x\"}", 404, "gpt-17"),
        Arguments.of("embeddings: no input", EMBEDDINGS, "{}", 400, "'input' is required"),
        Arguments.of("embeddings: empty input", EMBEDDINGS, "{\"input\":[]}", 400, "'input' is required"),
        Arguments.of("embeddings: mixed input", EMBEDDINGS, "{\"input\":[\"a\",{\"b\":1}]}", 400, "got an element"),
        Arguments.of("embeddings: too many dimensions", EMBEDDINGS,
            "{\"input\":\"x\",\"dimensions\":" + (EmulatorConfig.DEFAULT_EMBEDDING_DIM + 1) + "}", 400,
            "'dimensions' must be <= " + EmulatorConfig.DEFAULT_EMBEDDING_DIM),
        Arguments.of("embeddings: unknown encoding", EMBEDDINGS, "{\"input\":\"x\",\"encoding_format\":\"int8\"}", 400,
            "'encoding_format'"),
        Arguments.of("embeddings: input over max_model_len", EMBEDDINGS, "{\"input\":\"" + tooLong + "\"}", 400,
            "maximum context length is " + MAX_MODEL_LEN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestGetsStatusAndAMessageSayingWhatIsWrong(String description, String path, String body, int status,
      String fragment) {
    String message = http.post(path, body).assertError(status);

    assertTrue(message.contains(fragment), () -> description + ": message '" + message + "' should contain '"
        + fragment + "'");
  }

  @Test
  void getOnAPoolingRouteIsNotAllowed() {
    for (String path : List.of(RERANK, EMBEDDINGS)) {
      assertTrue(http.get(path).assertError(405).contains("use POST"), path);
    }
  }

  @Test
  void unknownRouteListsThePoolingRoutes() {
    String message = http.post("/v1/audio/speech", "{}").assertError(404);

    assertTrue(message.contains("/v1/rerank") && message.contains("/v1/embeddings"), message);
  }

  // --- helpers --------------------------------------------------------------------------------

  private static double[] vector(JsonNode array) {
    assertTrue(array.isArray() && !array.isEmpty(), () -> "a vector: " + array);
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }
}
