package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The emulator's prefix cache: block matching, LRU eviction bounded by the free KV cache, the cached tokens
 * in usage, meta_info and the ground truth, and the /metrics series of each dialect.
 */
class PrefixCacheTest {
  private static final int BLOCK = 16;

  private static int[] keys(int n, int offset) {
    int[] k = new int[n];
    for (int i = 0; i < n; i++) {
      k[i] = offset + i;
    }
    return k;
  }

  @Test
  void leadingFullBlocksHitAndTheLastTokenIsAlwaysComputed() {
    PrefixCache cache = new PrefixCache(BLOCK);
    long[] a = PrefixCache.blockHashes(keys(5 * BLOCK + 3, 0), BLOCK);
    assertEquals(5, a.length, "a trailing partial block has no key");
    assertEquals(0, cache.lookup(a, 5 * BLOCK + 3));
    cache.insert(a);
    assertEquals(5 * BLOCK, cache.lookup(a, 5 * BLOCK + 3));
    // The same 2 blocks, then others: 2 blocks hit; a change in block 0 breaks the chain.
    int[] b = keys(4 * BLOCK, 0);
    b[2 * BLOCK + 1] = -1;
    assertEquals(2 * BLOCK, cache.lookup(PrefixCache.blockHashes(b, BLOCK), 4 * BLOCK));
    int[] c = keys(4 * BLOCK, 0);
    c[0] = -1;
    assertEquals(0, cache.lookup(PrefixCache.blockHashes(c, BLOCK), 4 * BLOCK));
    // A prompt all cached still computes its last token.
    long[] exact = PrefixCache.blockHashes(keys(2 * BLOCK, 0), BLOCK);
    assertEquals(2 * BLOCK - 1, cache.lookup(exact, 2 * BLOCK));
  }

  @Test
  void evictionDropsTheLeastRecentlyUsedBlocksFirst() {
    PrefixCache cache = new PrefixCache(BLOCK);
    long[] old = PrefixCache.blockHashes(keys(2 * BLOCK, 0), BLOCK);
    long[] recent = PrefixCache.blockHashes(keys(2 * BLOCK, 1000), BLOCK);
    cache.insert(old);
    cache.insert(recent);
    cache.lookup(old, 3 * BLOCK); // touched: now the most recent
    cache.shrinkTo(2 * BLOCK + BLOCK / 2);
    assertEquals(2 * BLOCK, cache.cachedTokens(), "whole blocks within the free tokens");
    assertEquals(2 * BLOCK, cache.lookup(old, 3 * BLOCK));
    assertEquals(0, cache.lookup(recent, 3 * BLOCK));
  }

  @Test
  void offByDefaultAndTheBlockNeedsTheCache() {
    assertEquals(0, EmulatorConfig.fromProperties(Props.of(Map.of())).prefixCacheBlockTokens());
    EmulatorConfig on = EmulatorConfig.fromProperties(Props.of(Map.of("emulator.prefix.cache", "true")));
    assertEquals(EmulatorConfig.DEFAULT_PREFIX_CACHE_BLOCK, on.prefixCacheBlockTokens());
    assertTrue(on.describe().contains(" prefixCache=" + EmulatorConfig.DEFAULT_PREFIX_CACHE_BLOCK + "tok/block"));
    assertFalse(EmulatorConfig.fromProperties(Props.of(Map.of())).describe().contains("prefixCache"),
        "runs without it describe their emulator as before");
    ConfigException e = assertThrows(ConfigException.class,
        () -> EmulatorConfig.fromProperties(Props.of(Map.of("emulator.prefix.cache.block", "32"))));
    assertTrue(e.getMessage().contains("needs emulator.prefix.cache=true"), e.getMessage());
  }

  private static ObjectNode chat(String content) {
    ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("model", EmulatorConfig.DEFAULT_MODEL);
    body.putArray("messages").addObject().put("role", "user").put("content", content);
    return EmulatorHttp.withUsage(body.put("max_tokens", 4).put("ignore_eos", true).put("stream", true));
  }

  @Test
  void usageGroundTruthAndVllmCountersAgree() {
    try (LlmEmulator emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().prefixCacheBlockTokens(BLOCK))) {
      EmulatorHttp http = new EmulatorHttp(emulator);
      String prefix = EmulatorHttp.prompt(3 * BLOCK + 5, 1);
      List<String> prompts = List.of(prefix + " " + EmulatorHttp.prompt(7, 2), prefix + " " + EmulatorHttp.prompt(7, 3));
      int[] cached = new int[2];
      for (int i = 0; i < 2; i++) {
        EmulatorHttp.Stream s = http.stream("/v1/chat/completions", chat(prompts.get(i)));
        List<JsonNode> events = s.events();
        JsonNode usage = events.get(events.size() - 1).path("usage");
        cached[i] = usage.path("prompt_tokens_details").path("cached_tokens").asInt(-1);
      }
      assertEquals(0, cached[0]);
      assertEquals(3 * BLOCK, cached[1], "the prefix's full blocks");
      List<RequestTrace> truth = emulator.groundTruth().all();
      assertEquals(List.of(0, 3 * BLOCK), truth.stream().map(RequestTrace::cachedTokens).toList());
      String metrics = http.metrics();
      long queried = truth.stream().mapToLong(RequestTrace::promptTokens).sum();
      assertEquals(queried, EmulatorHttp.sample(metrics, "vllm:prefix_cache_queries_total"), 0.0);
      assertEquals(3 * BLOCK, EmulatorHttp.sample(metrics, "vllm:prefix_cache_hits_total"), 0.0);
    }
  }

  @Test
  void sglangReportsCachedTokensAndItsHitRateGauge() {
    try (LlmEmulator emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().dialect(Dialect.SGLANG)
        .prefixCacheBlockTokens(BLOCK))) {
      EmulatorHttp http = new EmulatorHttp(emulator);
      String text = EmulatorHttp.prompt(4 * BLOCK, 5);
      int promptTokens = 4 * BLOCK;
      JsonNode last = null;
      for (int i = 0; i < 2; i++) {
        ObjectNode body = EmulatorHttp.JSON.createObjectNode().put("text", text).put("stream", false);
        body.putObject("sampling_params").put("max_new_tokens", 2).put("ignore_eos", true);
        last = http.post("/generate", body).json();
      }
      // The second sends the same prompt: all cached but the last token.
      assertEquals(promptTokens - 1, last.path("meta_info").path("cached_tokens").asInt(-1), last.toString());
      String metrics = http.metrics();
      assertEquals((double) (promptTokens - 1) / promptTokens, EmulatorHttp.sample(metrics, "sglang:cache_hit_rate"),
          1e-6, "the last prefill batch's rate");
    }
  }
}
