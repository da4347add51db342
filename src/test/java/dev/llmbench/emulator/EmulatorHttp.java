package dev.llmbench.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test client of a running {@link LlmEmulator}: the JDK's {@link HttpClient} over HTTP/1.1 on
 * loopback, SSE read line by line with a {@link System#nanoTime()} stamp per {@code data:} line,
 * each payload parsed with Jackson. Fine at the low rates of functional tests; not a load generator.
 */
final class EmulatorHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Fast timing for tests: 1 ms steps plus 10 µs per sequence, 200k prompt tokens per second. */
  static final TimingModel FAST = new TimingModel(200_000, 1_000, 10, 256, 1L << 20, 8_192, 1, 64);

  private static final AtomicLong REQUEST_IDS = new AtomicLong();

  final LlmEmulator emulator;
  final HttpClient client;
  private final String baseUrl;

  EmulatorHttp(LlmEmulator emulator) {
    this.emulator = emulator;
    this.baseUrl = emulator.baseUrl();
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** A fast emulator with the given dialect; callers own it (close it in @AfterAll). */
  static LlmEmulator start(EmulatorConfig.Builder config) {
    return new LlmEmulator(config.build()).start();
  }

  static EmulatorConfig.Builder fastConfig() {
    return EmulatorConfig.builder().timing(FAST).ioThreads(2);
  }

  /** A fresh X-Request-Id, unique in this JVM. */
  static String newRequestId(String prefix) {
    return prefix + "-" + REQUEST_IDS.incrementAndGet();
  }

  // --- bodies ---------------------------------------------------------------------------------

  /** A prompt of exactly {@code tokens} tokens from a seeded generator. */
  static String prompt(int tokens, long seed) {
    return WordTokenizer.prompt(tokens, new Random(seed));
  }

  /** A chat request with one user message of {@code promptTokens} tokens and ignore_eos. */
  static ObjectNode chat(int promptTokens, int maxTokens, boolean stream) {
    ObjectNode body = JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL);
    body.putArray("messages").addObject().put("role", "user").put("content", prompt(promptTokens, promptTokens));
    body.put("max_tokens", maxTokens).put("ignore_eos", true).put("stream", stream);
    return body;
  }

  /** A completions request with a prompt of {@code promptTokens} tokens and ignore_eos. */
  static ObjectNode completion(int promptTokens, int maxTokens, boolean stream) {
    return JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL)
        .put("prompt", prompt(promptTokens, promptTokens)).put("max_tokens", maxTokens)
        .put("ignore_eos", true).put("stream", stream);
  }

  /** The query of the scoring and rerank bodies below. */
  static final String QUERY = "is this relevant";

  /** The texts of {@code count} scoring items, rerank documents or embedding inputs of {@code tokens} tokens each. */
  static List<String> texts(int count, int tokens) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(prompt(tokens, 100 + i));
    }
    return out;
  }

  /** A vLLM {@code /v1/score} request: {@link #QUERY} as {@code text_1}, paired with each of {@code items} texts. */
  static ObjectNode vllmScore(int items, int itemTokens) {
    ObjectNode body = JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL).put("text_1", QUERY);
    texts(items, itemTokens).forEach(body.putArray("text_2")::add);
    return body;
  }

  /** A {@code /v1/rerank} request of {@link #QUERY} and {@code documents} documents; {@code topN} null for none. */
  static ObjectNode rerank(int documents, int documentTokens, Integer topN) {
    ObjectNode body = JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL).put("query", QUERY);
    texts(documents, documentTokens).forEach(body.putArray("documents")::add);
    if (topN != null) {
      body.put("top_n", topN);
    }
    return body;
  }

  /** A {@code /v1/embeddings} request of {@code inputs} strings. */
  static ObjectNode embeddings(int inputs, int inputTokens) {
    ObjectNode body = JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL);
    texts(inputs, inputTokens).forEach(body.putArray("input")::add);
    return body;
  }

  /** An SGLang {@code /v1/score} request of {@link #QUERY}, {@code items} items and three label tokens. */
  static ObjectNode sglangScore(int items, int itemTokens, boolean softmax) {
    ObjectNode body = JSON.createObjectNode().put("query", QUERY).put("apply_softmax", softmax);
    texts(items, itemTokens).forEach(body.putArray("items")::add);
    body.putArray("label_token_ids").add(9454).add(2753).add(17);
    return body;
  }

  static ObjectNode withUsage(ObjectNode body) {
    body.putObject("stream_options").put("include_usage", true);
    return body;
  }

  // --- requests -------------------------------------------------------------------------------

  /** A whole response. */
  record Reply(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("response body is not JSON: " + body, e);
      }
    }

    /** Asserts an OpenAI-style error body with this status and returns its message. */
    String assertError(int expectedStatus) {
      assertEquals(expectedStatus, status, () -> "status; body: " + body);
      JsonNode error = json();
      assertEquals("error", error.path("object").asText(), () -> "object of " + body);
      assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(),
          () -> "message of " + body);
      assertTrue(error.path("type").isTextual() && !error.path("type").asText().isBlank(), () -> "type of " + body);
      assertEquals(expectedStatus, error.path("code").asInt(), () -> "code of " + body);
      return error.get("message").asText();
    }
  }

  /** A streamed response: each {@code data:} payload with the nanoTime it was read. */
  record Stream(int status, HttpHeaders headers, long sendNanos, List<String> data, List<Long> dataNanos,
      IOException error, String errorBody) {

    boolean done() {
      return !data.isEmpty() && data.get(data.size() - 1).equals("[DONE]");
    }

    /** Every payload but {@code [DONE]}, parsed; fails the test on one that is not JSON. */
    List<JsonNode> events() {
      List<JsonNode> events = new ArrayList<>();
      for (String d : data) {
        if (!d.equals("[DONE]")) {
          try {
            events.add(JSON.readTree(d));
          } catch (JsonProcessingException e) {
            throw new AssertionError("SSE payload is not JSON: " + d, e);
          }
        }
      }
      return events;
    }

    /** OpenAI chunks that carry text (chat delta.content or completions text, non-empty). */
    List<String> contents() {
      List<String> out = new ArrayList<>();
      for (JsonNode e : events()) {
        String c = content(e);
        if (c != null && !c.isEmpty()) {
          out.add(c);
        }
      }
      return out;
    }

    /** Read time of the first {@code data:} line whose OpenAI chunk carries text. */
    long firstContentNanos() {
      for (int i = 0; i < data.size(); i++) {
        if (data.get(i).equals("[DONE]")) {
          break;
        }
        try {
          String c = content(JSON.readTree(data.get(i)));
          if (c != null && !c.isEmpty()) {
            return dataNanos.get(i);
          }
        } catch (JsonProcessingException e) {
          // not a content line
        }
      }
      throw new AssertionError("no content line in " + data);
    }
  }

  /** The text of an OpenAI chunk's first choice (delta.content or text), or null. */
  static String content(JsonNode chunk) {
    JsonNode choice = chunk.path("choices").path(0);
    if (choice.isMissingNode()) {
      return null;
    }
    JsonNode c = choice.has("delta") ? choice.path("delta").path("content") : choice.path("text");
    return c.isTextual() ? c.asText() : null;
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
  }

  Reply post(String path, Object body, String... headers) {
    return send(postRequest(path, body, headers));
  }

  String metrics() {
    Reply r = get("/metrics");
    assertEquals(200, r.status(), r.body());
    return r.body();
  }

  /**
   * The value of the Prometheus sample whose line starts with {@code nameAndLabels}: a bare metric
   * name (any labels) or a name with the start of its label set.
   */
  static double sample(String metrics, String nameAndLabels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(nameAndLabels)) {
        String rest = line.substring(nameAndLabels.length());
        if (nameAndLabels.contains("{") || rest.startsWith("{") || rest.startsWith(" ")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    throw new AssertionError("no sample " + nameAndLabels + " in\n" + metrics);
  }

  /** Sends and reads an SSE response to the end (or to the connection's loss). */
  Stream stream(String path, Object body, String... headers) {
    HttpRequest request = postRequest(path, body, headers);
    long sent = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return new Stream(-1, null, sent, List.of(), List.of(), e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    List<String> data = new ArrayList<>();
    List<Long> nanos = new ArrayList<>();
    IOException error = null;
    String errorBody = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), UTF_8))) {
      if (response.statusCode() != 200) {
        StringBuilder sb = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
          sb.append(line);
        }
        errorBody = sb.toString();
      } else {
        for (String line; (line = in.readLine()) != null; ) {
          long now = System.nanoTime();
          if (line.startsWith("data:")) {
            data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
            nanos.add(now);
          }
        }
      }
    } catch (IOException e) {
      error = e;
    }
    return new Stream(response.statusCode(), response.headers(), sent, data, nanos, error, errorBody);
  }

  /** Waits for the ground truth of the request sent with this X-Request-Id. */
  RequestTrace trace(String requestId) {
    GroundTruth truth = emulator.groundTruth();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      while (true) {
        int seen = truth.finishedCount();
        RequestTrace t = truth.byClientRequestId(requestId);
        if (t != null) {
          return t;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !truth.awaitCount(seen + 1, Duration.ofNanos(left))) {
          fail("no ground truth for X-Request-Id " + requestId);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  HttpRequest postRequest(String path, Object body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), UTF_8));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  static void assertHasText(JsonNode node, String field) {
    assertNotNull(node.get(field), () -> "missing '" + field + "' in " + node);
    assertTrue(node.get(field).isTextual() && !node.get(field).asText().isEmpty(),
        () -> "'" + field + "' must be a non-empty string in " + node);
  }
}
