package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.tokenizer.WordTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request leaves a trace that agrees with what the client received. */
class GroundTruthTest {
  /**
   * A chunk is stamped right after its flush, so a client on another thread may read it a little
   * before the stamp is taken; this is how much earlier we accept on a loaded 2-core machine.
   */
  private static final long STAMP_TOLERANCE_NANOS = 5_000_000;

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
  void streamedRequestHasATraceThatMatchesWhatTheClientReceived() {
    for (int i = 0; i < 5; i++) {
      String rid = EmulatorHttp.newRequestId("gt");
      int maxTokens = 20 + 7 * i;
      EmulatorHttp.Stream s = http.stream("/v1/chat/completions", EmulatorHttp.chat(100, maxTokens, true),
          "X-Request-Id", rid);
      assertEquals(200, s.status(), s.errorBody());
      List<String> contents = s.contents();

      RequestTrace t = http.trace(rid);
      assertEquals(rid, t.clientRequestId());
      assertEquals(s.events().get(0).path("id").asText(), t.id(), "trace id is the response id");
      assertSame(t, emulator.groundTruth().byId(t.id()), "found by response id too");
      assertEquals("chat", t.api());
      assertEquals("ok", t.outcome());
      assertEquals(100, t.promptTokens());
      assertEquals(WordTokenizer.count(String.join("", contents)), t.completionTokens(), "tokens the client got");
      assertEquals(maxTokens, t.completionTokens());
      assertArrayEquals(contents.stream().mapToInt(WordTokenizer::count).toArray(), t.chunkTokens(),
          "one ground-truth chunk per content chunk received");
      assertStrictlyIncreasing(t.chunkNanos());
      assertTrue(t.arrivalNanos() < t.chunkNanos()[0], "first chunk after arrival");
      assertTrue(t.chunkNanos()[t.chunkNanos().length - 1] <= t.finishNanos(), "finish after the last chunk");
      assertEquals(t.chunkNanos().length, t.chunkLagNanos().length);
      assertTrue(t.ttftNanos() > 0);

      // The client's TTFT, from before the send to reading the first content line, cannot be shorter
      // than the server's (arrival to flush), give or take the flush stamp.
      long clientTtft = s.firstContentNanos() - s.sendNanos();
      assertTrue(s.sendNanos() < t.arrivalNanos(), "the server reads the request after the client sends it");
      assertTrue(clientTtft >= t.ttftNanos() - STAMP_TOLERANCE_NANOS,
          "client TTFT " + clientTtft + " ns vs ground truth " + t.ttftNanos() + " ns");
      long clientLast = s.dataNanos().get(s.dataNanos().size() - 1);
      assertTrue(clientLast >= t.chunkNanos()[t.chunkNanos().length - 1] - STAMP_TOLERANCE_NANOS,
          "the client reads the last chunk after the server sent it");
    }
  }

  @Test
  void nonStreamedRequestHasOneChunkWithAllTokens() {
    String rid = EmulatorHttp.newRequestId("gt-body");
    EmulatorHttp.Reply r = http.post("/v1/completions", EmulatorHttp.completion(33, 17, false), "X-Request-Id", rid);
    assertEquals(200, r.status(), r.body());

    RequestTrace t = http.trace(rid);
    assertEquals(r.json().path("id").asText(), t.id());
    assertEquals("completions", t.api());
    assertEquals(33, t.promptTokens());
    assertEquals(17, t.completionTokens());
    assertArrayEquals(new int[] {17}, t.chunkTokens());
  }

  @Test
  void requestWithoutRequestIdIsFoundByResponseId() throws Exception {
    int before = emulator.groundTruth().finishedCount();
    JsonNode body = http.post("/v1/chat/completions", EmulatorHttp.chat(5, 4, false)).json();

    assertTrue(emulator.groundTruth().awaitCount(before + 1, EmulatorHttp.TIMEOUT));
    RequestTrace t = emulator.groundTruth().byId(body.path("id").asText());
    assertNotNull(t, "trace of " + body.path("id"));
    assertNull(t.clientRequestId());
    assertEquals(4, t.completionTokens());
  }

  @Test
  void groundTruthFileHasOneVersionedLinePerRequest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("truth/ground-truth.jsonl");
    String rid = EmulatorHttp.newRequestId("gt-file");
    List<RequestTrace> inMemory;
    try (LlmEmulator own = EmulatorHttp.start(EmulatorHttp.fastConfig().groundTruthFile(file))) {
      EmulatorHttp client = new EmulatorHttp(own);
      assertEquals(200, client.stream("/v1/chat/completions", EmulatorHttp.chat(9, 6, true), "X-Request-Id", rid).status());
      assertEquals(200, client.post("/v1/completions", EmulatorHttp.completion(9, 3, false)).status());
      assertTrue(own.groundTruth().awaitCount(2, EmulatorHttp.TIMEOUT));
      inMemory = own.groundTruth().all();
    }
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    assertEquals(2, lines.size(), () -> "lines: " + lines);
    JsonNode first = EmulatorHttp.JSON.readTree(lines.get(0));
    assertEquals(GroundTruth.SCHEMA_VERSION, first.path("schemaVersion").asInt());
    assertEquals(rid, first.path("clientRequestId").asText());
    assertEquals(6, first.path("completionTokens").asInt());
    assertEquals(6, first.path("chunkNanos").size());
    assertEquals("ok", first.path("outcome").asText());

    // Read back, every trace is the one the emulator kept in memory.
    List<RequestTrace> read = new java.util.ArrayList<>();
    GroundTruth.readFile(file, read::add);
    assertEquals(inMemory.size(), read.size());
    for (RequestTrace r : read) {
      RequestTrace m = inMemory.stream().filter(t -> t.id().equals(r.id())).findFirst().orElseThrow();
      assertEquals(m.toString(), r.toString());
      assertEquals(m.clientRequestId(), r.clientRequestId());
      assertEquals(m.arrivalNanos(), r.arrivalNanos());
      assertEquals(m.finishNanos(), r.finishNanos());
      assertArrayEquals(m.chunkNanos(), r.chunkNanos());
      assertArrayEquals(m.chunkTokens(), r.chunkTokens());
      assertArrayEquals(m.chunkLagNanos(), r.chunkLagNanos());
    }

    Files.writeString(file, lines.get(0).replace("\"schemaVersion\":1", "\"schemaVersion\":9") + "\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> GroundTruth.readFile(file, t -> { }));
    assertTrue(e.getMessage().contains(file + ":1: schemaVersion 9; this tool reads 1"), e.getMessage());
  }

  static void assertStrictlyIncreasing(long[] nanos) {
    for (int i = 1; i < nanos.length; i++) {
      assertTrue(nanos[i] > nanos[i - 1], "chunk " + i + " stamped after chunk " + (i - 1) + ": " + Arrays.toString(nanos));
    }
  }
}
