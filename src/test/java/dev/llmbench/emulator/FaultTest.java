package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault of {@code X-Emulator-Fault} does what it says, and the server keeps serving after it. */
class FaultTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String FAULT = "X-Emulator-Fault";
  private static final String REQUEST_ID = "X-Request-Id";

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

  /** After every fault, an ordinary streamed request still succeeds in full. */
  @AfterEach
  void serverKeepsServing() {
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 8, true));
    assertEquals(200, s.status(), "a normal request after the fault: " + s.errorBody());
    assertTrue(s.done(), "a normal request after the fault ends with [DONE]");
    assertEquals(8, WordTokenizer.count(String.join("", s.contents())));
  }

  @Test
  void http500AnswersAnOpenAiErrorBeforeAnyToken() {
    String rid = EmulatorHttp.newRequestId("f500");
    EmulatorHttp.Reply r = http.post(CHAT, EmulatorHttp.chat(10, 8, true), FAULT, "http-500", REQUEST_ID, rid);

    r.assertError(500);
    assertEquals("InternalServerError", r.json().path("type").asText());
    RequestTrace t = http.trace(rid);
    assertEquals("fault:http-500", t.outcome());
    assertEquals(0, t.completionTokens());
  }

  @Test
  void http429AnswersRetryAfterAndAnOpenAiError() {
    String before = http.metrics();
    EmulatorHttp.Reply r = http.post(CHAT, EmulatorHttp.chat(10, 8, false), FAULT, "http-429");

    r.assertError(429);
    assertEquals("RateLimitError", r.json().path("type").asText());
    String retryAfter = r.headers().firstValue("Retry-After").orElse("");
    assertTrue(retryAfter.matches("\\d+") && Integer.parseInt(retryAfter) >= 1, "Retry-After: '" + retryAfter + "'");
    String sample = "emulator:faults_injected_total{fault=\"http-429\"";
    assertEquals(1, EmulatorHttp.sample(http.metrics(), sample) - EmulatorHttp.sample(before, sample));
  }

  @Test
  void stallLeavesAGapOfAboutMsInGroundTruth() {
    String rid = EmulatorHttp.newRequestId("stall");
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 12, true), FAULT, "stall;after=5;ms=200",
        REQUEST_ID, rid);

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done(), "a stalled stream still completes");
    assertEquals(12, WordTokenizer.count(String.join("", s.contents())));
    RequestTrace t = http.trace(rid);
    assertEquals("fault:stall", t.outcome());
    long[] gaps = t.interChunkNanos();
    int longest = 0;
    for (int i = 1; i < gaps.length; i++) {
      if (gaps[i] > gaps[longest]) {
        longest = i;
      }
    }
    assertTrue(gaps[longest] >= 0.8 * 200_000_000L, "longest ground-truth gap " + gaps[longest] + " ns");
    assertEquals(4, longest, "the stall comes after the 5th token (between chunks 5 and 6)");
  }

  @Test
  void disconnectEndsTheStreamEarlyWithoutDone() {
    String rid = EmulatorHttp.newRequestId("disc");
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 20, true), FAULT, "disconnect;after=5",
        REQUEST_ID, rid);

    assertEquals(200, s.status(), "headers were sent before the fault");
    assertFalse(s.data().contains("[DONE]"), "no [DONE] on a lost connection");
    int received = WordTokenizer.count(String.join("", s.contents()));
    // A reset may also discard what was sent but not yet read, so the client can get fewer than 5.
    assertTrue(received <= 5, "tokens before the connection was lost: " + received + " (error: " + s.error() + ")");
    RequestTrace t = http.trace(rid);
    assertEquals("fault:disconnect", t.outcome());
    assertEquals(5, t.completionTokens());
  }

  @Test
  void disconnectOnANonStreamingRequestClosesWithoutAResponse() {
    String rid = EmulatorHttp.newRequestId("disc-body");
    java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
        () -> http.post(CHAT, EmulatorHttp.chat(10, 20, false), FAULT, "disconnect", REQUEST_ID, rid));

    assertTrue(e.getCause() instanceof java.io.IOException, e.toString());
    assertEquals("fault:disconnect", http.trace(rid).outcome());
  }

  @Test
  void disconnectStopsTheGenerationAndFreesItsSlot() {
    // One slot: if the cut-off sequence kept generating its 5000 tokens, the next request would wait for it.
    TimingModel oneSlot = new TimingModel(200_000, 1_000, 10, 1, 1L << 20, 8_192, 1, 64);
    try (LlmEmulator single = EmulatorHttp.start(EmulatorHttp.fastConfig().timing(oneSlot))) {
      EmulatorHttp client = new EmulatorHttp(single);
      EmulatorHttp.Stream cut = client.stream(CHAT, EmulatorHttp.chat(10, 5_000, true), FAULT, "disconnect;after=3");
      String rid = EmulatorHttp.newRequestId("after-disc");
      EmulatorHttp.Stream next = client.stream(CHAT, EmulatorHttp.chat(10, 5, true), REQUEST_ID, rid);

      assertFalse(cut.done());
      assertTrue(next.done());
      long nextTtft = client.trace(rid).ttftNanos();
      long restOfCut = oneSlot.stepNanos(1, 0) * 4_997;
      assertTrue(nextTtft < restOfCut / 10, "TTFT of the next request " + nextTtft
          + " ns vs the abandoned generation's remaining " + restOfCut + " ns");
    }
  }

  @Test
  void clientGoingAwayMidStreamIsRecordedAsCancelled() throws Exception {
    String rid = EmulatorHttp.newRequestId("cancel");
    String before = http.metrics();
    java.net.http.HttpResponse<java.io.InputStream> r = http.client.send(
        http.postRequest(CHAT, EmulatorHttp.chat(10, 2_000, true), REQUEST_ID, rid),
        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (int lines = 0; lines < 5; ) {
        String line = in.readLine();
        assertTrue(line != null, "stream ended early");
        lines += line.startsWith("data:") ? 1 : 0;
      }
    } // closing the body before its end drops the connection

    RequestTrace t = http.trace(rid);
    assertEquals("cancelled", t.outcome());
    assertTrue(t.completionTokens() < 2_000, "stopped early: " + t);
    String abort = "vllm:request_success_total{finished_reason=\"abort\"";
    assertEquals(1, EmulatorHttp.sample(http.metrics(), abort) - EmulatorHttp.sample(before, abort));
  }

  @Test
  void malformedChunkSendsExactlyOneLineThatIsNotJsonAndTheStreamCompletes() {
    String rid = EmulatorHttp.newRequestId("malformed");
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 10, true), FAULT, "malformed-chunk;after=3",
        REQUEST_ID, rid);

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done(), "[DONE] after a malformed chunk");
    int bad = 0;
    StringBuilder text = new StringBuilder();
    for (String d : s.data()) {
      if (d.equals("[DONE]")) {
        continue;
      }
      try {
        JsonNode chunk = EmulatorHttp.JSON.readTree(d);
        String c = EmulatorHttp.content(chunk);
        text.append(c == null ? "" : c);
      } catch (JsonProcessingException e) {
        bad++;
      }
    }
    assertEquals(1, bad, "data lines that are not JSON in " + s.data());
    assertEquals(10, WordTokenizer.count(text), "the valid chunks still carry every token");
    assertEquals("fault:malformed-chunk", http.trace(rid).outcome());
  }

  @Test
  void noDoneEndsTheStreamWithoutDone() {
    String rid = EmulatorHttp.newRequestId("nodone");
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 9, true), FAULT, "no-done", REQUEST_ID, rid);

    assertEquals(200, s.status(), s.errorBody());
    assertNull(s.error(), "the response ends cleanly");
    assertFalse(s.data().contains("[DONE]"));
    List<JsonNode> events = s.events();
    assertEquals("length", events.get(events.size() - 1).path("choices").path(0).path("finish_reason").asText());
    assertEquals(9, WordTokenizer.count(String.join("", s.contents())));
    assertEquals("fault:no-done", http.trace(rid).outcome());
  }

  @Test
  void errorEventReportsTheErrorInTheStreamThenEndsIt() {
    String rid = EmulatorHttp.newRequestId("errev");
    EmulatorHttp.Stream s = http.stream(CHAT, EmulatorHttp.chat(10, 20, true), FAULT, "error-event;after=3",
        REQUEST_ID, rid);

    assertEquals(200, s.status(), "the error is in the stream, not the status");
    assertNull(s.error(), "the response ends cleanly");
    assertEquals(3, WordTokenizer.count(String.join("", s.contents())), "the tokens before the error");
    assertTrue(s.data().get(s.data().size() - 2).startsWith("{\"error\":{\"code\":500,\"message\":\"emulated failure"),
        s.data().toString());
    assertTrue(s.done(), "then [DONE], as vLLM sends it");
    assertEquals("fault:error-event", http.trace(rid).outcome());
  }

  @Test
  void faultRateOneInConfigFailsEveryRequest() {
    try (LlmEmulator failing = EmulatorHttp.start(EmulatorHttp.fastConfig().faultRate(Fault.HTTP_500, 1.0))) {
      EmulatorHttp client = new EmulatorHttp(failing);
      for (int i = 0; i < 5; i++) {
        client.post(CHAT, EmulatorHttp.chat(10, 5, i % 2 == 0)).assertError(500);
      }
      assertEquals(5, EmulatorHttp.sample(client.metrics(), "emulator:faults_injected_total{fault=\"http-500\""));
      assertEquals(200, client.get("/v1/models").status(), "other endpoints are not affected");
    }
  }
}
