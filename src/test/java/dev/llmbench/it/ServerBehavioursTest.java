package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.emulator.GroundTruth;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.requests.RequestResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The streaming client against every server behaviour the emulator can show (the shapes of vLLM,
 * SGLang, llama.cpp and TRT-LLM, merged tokens) and every fault, each in a real Gatling run:
 * token counts come from usage where the server sends it and from events otherwise, and every
 * failure is a KO with a message that says what happened.
 */
class ServerBehavioursTest extends EmulatorRuns {
  private static final int PROMPTS = 6;
  private static final int OUTPUT_TOKENS = 32;

  private static List<RequestResult> run(String name, String... properties) throws Exception {
    List<RequestResult> measured = GatlingRun.run(ServingSimulation.class,
        randomLoad(PROMPTS, 64, OUTPUT_TOKENS, 3, properties), results.resolve(name)).measured();
    assertEquals(PROMPTS, measured.size(), name + ": every request is in the side file");
    return measured;
  }

  private static GroundTruth truth() {
    return LastRun.target().emulator().groundTruth();
  }

  private static void assertAllOk(List<RequestResult> rows, String tokensSource) {
    for (RequestResult r : rows) {
      assertTrue(r.ok(), () -> "request failed: " + r);
      assertEquals(OUTPUT_TOKENS, r.outputTokens(), () -> "output tokens of " + r);
      assertEquals(tokensSource, r.outputTokensSource());
      RequestTrace t = truth().byClientRequestId(r.requestId());
      assertNotNull(t);
      assertEquals(t.promptTokens(), r.promptTokens(), () -> "prompt tokens of " + r);
      assertEquals(t.chunkNanos().length - 1, r.itlMicros().length, "one ITL per content event after the first");
    }
  }

  @Test
  void vllmChatWithUsageChunk() throws Exception {
    assertAllOk(run("vllm-chat", "backend", "openai-chat"), "usage");
  }

  @Test
  void vllmCompletionsWithUsageChunk() throws Exception {
    assertAllOk(run("vllm-completions", "backend", "vllm"), "usage");
  }

  @Test
  void llamaCppChatWithoutRoleChunkAndUsageInFinalChunk() throws Exception {
    assertAllOk(run("llama-cpp", "backend", "openai-chat", "emulator.dialect", "llama-cpp"), "usage");
  }

  @Test
  void llamaCppCompletions() throws Exception {
    assertAllOk(run("llama-cpp-completions", "backend", "openai", "emulator.dialect", "llama-cpp"), "usage");
  }

  @Test
  void sglangNativeCumulativeText() throws Exception {
    assertAllOk(run("sglang", "backend", "sglang"), "usage");
  }

  @Test
  void trtLlmTextOutputWithoutUsageCountsEvents() throws Exception {
    assertAllOk(run("trt-llm", "backend", "trt-llm"), "events");
  }

  /**
   * A reasoning model's first 8 of 32 tokens are thinking, named as vLLM ({@code reasoning}) and
   * llama.cpp ({@code reasoning_content}) name them: every one is output, TTFT ends at the first.
   */
  @Test
  void reasoningDeltasAreOutputFromTheFirstThought() throws Exception {
    for (String dialect : new String[] {"vllm", "llama-cpp"}) {
      assertAllOk(run("reasoning-" + dialect, "backend", "openai-chat", "emulator.dialect", dialect,
          "emulator.reasoning.tokens", "8"), "usage");
    }
  }

  @Test
  void mergedTokensCountFromUsageAndOneGapPerChunk() throws Exception {
    List<RequestResult> rows = run("merged", "backend", "openai-chat", "emulator.tokens.per.chunk", "4");
    assertAllOk(rows, "usage");
    // First token alone, then chunks of 4: 1 + ceil(31 / 4) = 9 content events, 8 gaps.
    rows.forEach(r -> assertEquals(8, r.itlMicros().length, "one ITL per chunk, as bench_serving"));
  }

  @Test
  void mergedTokensOnSglangKnowTokensPerChunk() throws Exception {
    List<RequestResult> rows = run("merged-sglang", "backend", "sglang", "emulator.tokens.per.chunk", "4");
    assertAllOk(rows, "usage");
    for (RequestResult r : rows) {
      assertNotNull(r.chunkTokens(), "tokens per chunk recorded when chunks carry several tokens");
      assertEquals(OUTPUT_TOKENS, java.util.Arrays.stream(r.chunkTokens()).sum());
      assertEquals(4, r.chunkTokens()[1]);
    }
  }

  /** The only group of the summary.json a run of this class wrote. */
  private static com.fasterxml.jackson.databind.JsonNode summaryGroup(String name) throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(results.resolve(name).resolve("reports"))) {
      Path summary = s.filter(p -> p.getFileName().toString().equals("summary.json")).findFirst().orElseThrow();
      com.fasterxml.jackson.databind.JsonNode groups = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(summary.toFile()).get("groups");
      assertEquals(1, groups.size());
      return groups.get(0);
    }
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  @Test
  void bothViewsOfItlInSummaryJsonOnMergedChunksAgreeWithGroundTruth() throws Exception {
    List<RequestResult> rows = run("itl-views", "backend", "sglang", "emulator.tokens.per.chunk", "4");
    assertAllOk(rows, "usage");
    com.fasterxml.jackson.databind.JsonNode g = summaryGroup("itl-views");
    // Ground truth: the emulator's flush time and token count of every chunk.
    List<Double> chunkGapsMs = new java.util.ArrayList<>();
    List<Double> tokenGapsMs = new java.util.ArrayList<>();
    List<Integer> chunkTokens = new java.util.ArrayList<>();
    for (RequestResult r : rows) {
      RequestTrace t = truth().byClientRequestId(r.requestId());
      for (int k : t.chunkTokens()) {
        chunkTokens.add(k);
      }
      for (int i = 1; i < t.chunkNanos().length; i++) {
        double gapMs = (t.chunkNanos()[i] - t.chunkNanos()[i - 1]) / 1e6;
        chunkGapsMs.add(gapMs);
        for (int k = 0; k < t.chunkTokens()[i]; k++) {
          tokenGapsMs.add(gapMs / t.chunkTokens()[i]);
        }
      }
    }
    // Per chunk (bench_serving's ITL): one gap per content event after the first.
    assertEquals(chunkGapsMs.size(), g.get("count_itl").asInt());
    // Per token: a chunk of k tokens gives k values of gap / k.
    assertEquals(tokenGapsMs.size(), g.get("count_itl_per_token").asInt());
    assertEquals(PROMPTS * (OUTPUT_TOKENS - 1), g.get("count_itl_per_token").asInt(), "every token after the first");
    // The per-token values add up to the same time as the per-chunk ones (6 decimals in summary.json).
    assertEquals(g.get("mean_itl_ms").asDouble() * g.get("count_itl").asInt(),
        g.get("mean_itl_per_token_ms").asDouble() * g.get("count_itl_per_token").asInt(), 0.01);
    // The client's medians are within the measurement error of the emulator's (docs/measurement-accuracy.md: ITL error median < 1 ms).
    assertEquals(median(chunkGapsMs), g.get("median_itl_ms").asDouble(), 1.0);
    assertEquals(median(tokenGapsMs), g.get("median_itl_per_token_ms").asDouble(), 1.0);
    assertTrue(g.get("median_itl_ms").asDouble() > 2 * g.get("median_itl_per_token_ms").asDouble(),
        "chunks of 4 tokens: a chunk's gap spans several tokens' worth: " + g);
    // Tokens per chunk: exactly the emulator's.
    assertEquals(chunkTokens.size(), g.get("count_chunks").asInt());
    assertEquals(chunkTokens.stream().mapToInt(Integer::intValue).average().orElseThrow(),
        g.get("mean_tokens_per_chunk").asDouble(), 1e-6);
    assertEquals(4, g.get("max_tokens_per_chunk").asInt());
    assertEquals(0, g.get("count_requests_chunk_tokens_unknown").asInt());
  }

  @Test
  void mergedChunksWhoseTokenCountsTheApiDoesNotGiveAreCountedNotGuessed() throws Exception {
    List<RequestResult> rows = run("itl-views-chat", "backend", "openai-chat", "emulator.tokens.per.chunk", "4");
    assertAllOk(rows, "usage");
    com.fasterxml.jackson.databind.JsonNode g = summaryGroup("itl-views-chat");
    assertEquals(rows.stream().mapToInt(r -> r.itlMicros().length).sum(), g.get("count_itl").asInt(),
        "the per-chunk view is complete");
    assertEquals(PROMPTS, g.get("count_requests_chunk_tokens_unknown").asInt());
    assertEquals(0, g.get("count_itl_per_token").asInt(), "no per-token gap is made up");
    assertEquals(0, g.get("count_chunks").asInt());
  }

  private static void assertAllFailWith(List<RequestResult> rows, String message) {
    for (RequestResult r : rows) {
      assertFalse(r.ok(), () -> "should have failed: " + r);
      assertNotNull(r.error());
      assertTrue(r.error().contains(message), () -> "error '" + r.error() + "' should mention '" + message + "'");
    }
  }

  @Test
  void http500IsAKoWithTheServersMessage() throws Exception {
    List<RequestResult> rows = run("http-500", "emulator.fault.rate.http-500", "1");
    assertAllFailWith(rows, "HTTP 500");
    rows.forEach(r -> assertEquals(500, r.httpStatus()));
    assertAllFailWith(rows, "emulated server error");
  }

  @Test
  void http429IsAKo() throws Exception {
    assertAllFailWith(run("http-429", "emulator.fault.rate.http-429", "1"), "HTTP 429");
  }

  @Test
  void malformedChunkIsAKo() throws Exception {
    assertAllFailWith(run("malformed", "emulator.fault.rate.malformed-chunk", "1"), "malformed SSE event");
  }

  /** vLLM's {@code data: {"error": ...}} and llama.cpp's {@code error:} field, each before [DONE]. */
  @Test
  void anErrorInTheStreamIsAKoWithTheServersMessage() throws Exception {
    for (String dialect : new String[] {"vllm", "llama-cpp"}) {
      List<RequestResult> rows = run("error-event-" + dialect, "emulator.dialect", dialect,
          "emulator.fault.rate.error-event", "1");
      assertAllFailWith(rows, "error event from server: emulated failure after");
    }
  }

  @Test
  void streamWithoutDoneIsAKo() throws Exception {
    assertAllFailWith(run("no-done", "emulator.fault.rate.no-done", "1"), "without [DONE]");
  }

  @Test
  void disconnectIsAKoAndKeepsTheTokensSeen() throws Exception {
    List<RequestResult> rows = run("disconnect", "emulator.fault.rate.disconnect", "1");
    assertAllFailWith(rows, "connection closed by the server");
    rows.forEach(r -> assertTrue(r.outputTokens() < OUTPUT_TOKENS, "fewer tokens than asked: " + r));
  }

  @Test
  void stallIsMeasuredNotFailed() throws Exception {
    List<RequestResult> rows = run("stall", "emulator.fault.rate.stall", "1", "request.timeout.sec", "60");
    for (RequestResult r : rows) {
      assertTrue(r.ok(), () -> "a stall is slow, not failed: " + r);
      long longest = java.util.Arrays.stream(r.itlMicros()).max().orElse(0);
      long truthLongest = java.util.Arrays.stream(truth().byClientRequestId(r.requestId()).interChunkNanos())
          .max().orElse(0) / 1_000;
      assertTrue(truthLongest >= 1_600_000, "the emulator stalled about 2 s: " + truthLongest);
      assertTrue(Math.abs(longest - truthLongest) < 100_000, "the client saw the stall as it happened");
    }
  }

  @Test
  void aServerThatStopsListeningGivesKosWithSaneTimes() throws Exception {
    // Answers the health check once, then stops listening: every stream's connect is refused.
    java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread fake = new Thread(() -> {
      try (server; java.net.Socket s = server.accept()) {
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
        while (!in.readLine().isEmpty()) {
          // skip the request head
        }
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      } catch (java.io.IOException ignored) {
        // the test's assertions say what went wrong
      }
    });
    fake.start();
    long before = System.currentTimeMillis() * 1_000;
    List<RequestResult> rows = run("refused", "target.url", "http://127.0.0.1:" + server.getLocalPort(),
        "model", "m", "framework", "fake");
    fake.join(5_000);
    assertAllFailWith(rows, "cannot connect");
    for (RequestResult r : rows) {
      assertTrue(r.sentEpochMicros() >= before, "a request that never left is stamped when it failed: " + r);
      assertTrue(r.e2eMicros() < 60_000_000, "and takes no time to speak of: " + r);
    }
  }

  @Test
  void theApiKeyNeverReachesTheRunFolder() throws Exception {
    String key = "sk-test-4f1c9e2b7a";
    Map<String, String> props = new HashMap<>(Map.of("profile", "smoke", "num.prompts", "3", "api.key", key));
    GatlingRun.Outcome outcome = GatlingRun.run(ServingSimulation.class, props, results.resolve("api-key"));
    assertEquals(0, outcome.exitCode());
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(outcome.runFolder())) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        String latin1 = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(latin1.contains(key), "the API key leaked into " + f);
      }
    }
  }
}
