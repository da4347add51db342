package dev.llmbench.emulator;

import java.util.LinkedHashMap;

/**
 * The engine's automatic prefix cache, as vLLM's (hashed full blocks of {@code blockTokens} tokens) and
 * SGLang's radix cache behave for a load generator: a prompt whose leading full blocks were computed
 * before skips their prefill. Touched by the engine thread only.
 *
 * <p>A block's key chains the hash of the block before it ({@link #blockHashes}), so a block is found only
 * when the whole prefix up to it matches, as vLLM's block hashes do. Blocks enter the cache when the
 * prefill that computed them ends (two requests sharing a prefix in the same step both miss, as on a real
 * engine), and leave it least recently used first when the KV cache needs the room: the cache holds at most
 * the KV tokens the running sequences do not reserve. The engine's reservation is per sequence (prompt plus
 * maximum output), so a prefix shared by running sequences is counted once per sequence there and once
 * more here: the cache is a little smaller than a real engine's, never larger.
 */
final class PrefixCache {
  private final int blockTokens;
  /** Block key to nothing, in access order: the first entry is the least recently used. */
  private final LinkedHashMap<Long, Boolean> blocks = new LinkedHashMap<>(1024, 0.75f, true);

  PrefixCache(int blockTokens) {
    if (blockTokens <= 0) {
      throw new IllegalArgumentException("blockTokens must be > 0, but was " + blockTokens);
    }
    this.blockTokens = blockTokens;
  }

  int blockTokens() {
    return blockTokens;
  }

  /**
   * The chained keys of the full blocks of a prompt given as per-token keys (token ids, or a hash per
   * word for the word tokenizer); a trailing partial block has no key, as in vLLM.
   */
  static long[] blockHashes(int[] tokenKeys, int blockTokens) {
    long[] out = new long[tokenKeys.length / blockTokens];
    long h = 0x6A09E667F3BCC908L;
    for (int b = 0; b < out.length; b++) {
      for (int i = b * blockTokens, end = i + blockTokens; i < end; i++) {
        h = mix(h ^ tokenKeys[i]);
      }
      out[b] = h;
    }
    return out;
  }

  /** SplitMix64's finaliser: every key bit reaches every hash bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Prompt tokens found in the cache: the leading blocks present, times the block size, at most
   * {@code promptTokens - 1} (the last prompt token is always computed, it samples the first output token,
   * as vLLM's {@code max_cache_hit_length}). The blocks found become the most recently used.
   */
  long lookup(long[] blockHashes, int promptTokens) {
    int hit = 0;
    while (hit < blockHashes.length && blocks.get(blockHashes[hit]) != null) {
      hit++;
    }
    return Math.max(0, Math.min((long) hit * blockTokens, promptTokens - 1L));
  }

  /** Records a computed prompt's blocks as the most recently used. */
  void insert(long[] blockHashes) {
    for (long h : blockHashes) {
      blocks.put(h, Boolean.TRUE);
    }
  }

  /** Evicts least recently used blocks until the cache holds at most {@code freeTokens} tokens. */
  void shrinkTo(long freeTokens) {
    long keep = Math.max(0, freeTokens) / blockTokens;
    var it = blocks.keySet().iterator();
    while (blocks.size() > keep && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Tokens the cache holds. */
  long cachedTokens() {
    return (long) blocks.size() * blockTokens;
  }
}
