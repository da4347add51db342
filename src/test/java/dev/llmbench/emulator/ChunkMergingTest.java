package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.tokenizer.WordTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tokensPerChunk = 4: the first token alone, then 4 per chunk, then the remainder; ground truth agrees. */
class ChunkMergingTest {
  private static final int TOKENS_PER_CHUNK = 4;

  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    TimingModel f = EmulatorHttp.FAST;
    TimingModel merged = new TimingModel(f.prefillTokensPerSecond(), f.decodeStepBaseMicros(),
        f.decodeStepPerSequenceMicros(), f.maxRunningSequences(), f.kvCacheTokens(), f.prefillChunkTokens(),
        TOKENS_PER_CHUNK, f.meanNaturalOutputTokens());
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().timing(merged));
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void chatChunksCarry1Then4ThenTheRemainder() {
    assertChunks("/v1/chat/completions", EmulatorHttp.chat(10, 15, true), new int[] {1, 4, 4, 4, 2});
  }

  @Test
  void completionChunksCarry1Then4WhenMaxTokensFitsExactly() {
    assertChunks("/v1/completions", EmulatorHttp.completion(10, 13, true), new int[] {1, 4, 4, 4});
  }

  @Test
  void aSingleTokenIsOneChunk() {
    assertChunks("/v1/chat/completions", EmulatorHttp.chat(10, 1, true), new int[] {1});
  }

  private static void assertChunks(String path, com.fasterxml.jackson.databind.node.ObjectNode body, int[] expected) {
    String rid = EmulatorHttp.newRequestId("merge");
    EmulatorHttp.Stream s = http.stream(path, body, "X-Request-Id", rid);

    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done());
    int[] received = s.contents().stream().mapToInt(WordTokenizer::count).toArray();
    assertArrayEquals(expected, received, "tokens per content chunk seen by the client");
    RequestTrace trace = http.trace(rid);
    assertArrayEquals(expected, trace.chunkTokens(), "ground-truth chunkTokens: " + trace);
    assertEquals(java.util.Arrays.stream(expected).sum(), trace.completionTokens());
  }
}
