package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the client reads a pooling answer: its values, and every way it can be wrong, named. */
class PoolingApiReadTest {
  private static PoolingApi.Answer read(PoolingApi api, String body, int items, int labels) {
    return api.read(body.getBytes(StandardCharsets.UTF_8), items, labels);
  }

  @Test
  void rightAnswersGiveTheirValuesInItemOrder() {
    PoolingApi.Answer score = read(PoolingApi.SGLANG_SCORE, "{\"scores\":[[0.25,0.75],[0.5,0.5]],\"usage\":"
        + "{\"prompt_tokens\":12}}", 2, 2);
    assertNull(score.error());
    assertEquals("[[0.25,0.75],[0.5,0.5]]", score.values());
    assertEquals(12, score.promptTokens());
    PoolingApi.Answer rerank = read(PoolingApi.RERANK, "{\"results\":[{\"index\":1,\"relevance_score\":0.9},"
        + "{\"index\":0,\"relevance_score\":0.1}]}", 2, 0);
    assertNull(rerank.error(), rerank.error());
    assertEquals("[0.1,0.9]", rerank.values(), "ranked by score, compared by item");
  }

  @Test
  void wrongShapesAndProbabilitiesAreNamed() {
    assertTrue(read(PoolingApi.SGLANG_SCORE, "{\"scores\":[[0.25,0.75]]}", 2, 2).error().startsWith("wrong shape: "));
    assertTrue(read(PoolingApi.SGLANG_SCORE, "{\"scores\":[[0.2,0.6],[0.5,0.5]]}", 2, 2).error()
        .startsWith("bad probabilities: "));
    assertTrue(read(PoolingApi.EMBEDDINGS, "not json", 1, 0).error().startsWith("wrong shape: the answer is not JSON"));
  }

  @Test
  void anErrorInA200AnswerIsTheServersMessage() {
    String oom = read(PoolingApi.SGLANG_SCORE, "{\"error\":{\"message\":\"RESOURCE_EXHAUSTED: Out of memory\","
        + "\"code\":500}}", 2, 2).error();
    assertEquals("server error in a 200 answer: RESOURCE_EXHAUSTED: Out of memory", oom);
    assertEquals("server error in a 200 answer: model busy", read(PoolingApi.VLLM_SCORE,
        "{\"object\":\"error\",\"message\":\"model busy\"}", 1, 0).error());
    assertEquals("server error in a 200 answer: boom", read(PoolingApi.RERANK, "{\"error\":\"boom\"}", 1, 0).error());
  }

  @Test
  void aCompletionsTextIsTheAnswerAndItsUsageTheOutputTokens() {
    PoolingApi.Answer a = read(PoolingApi.COMPLETION, "{\"choices\":[{\"text\":\" hello there\"}],\"usage\":"
        + "{\"prompt_tokens\":65,\"completion_tokens\":32}}", 1, 0);
    assertNull(a.error());
    assertEquals(" hello there", a.values());
    assertEquals(65, a.promptTokens());
    assertEquals(32, a.completionTokens());
    assertEquals(-1, read(PoolingApi.COMPLETION, "{\"choices\":[{\"text\":\"x\"}]}", 1, 0).completionTokens());
  }
}
