package dev.llmbench.report.input;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vLLM's memory lines, V1 engine and the older V0 one. The first of each line counts: a
 * speculative-decoding draft model is loaded and sized after the served one, and with tensor
 * parallelism every worker prints its own lines, rank 0's first.
 *
 * <ul>
 *   <li>weights: V1 {@code Model loading took 15.02 GiB memory and 30.5 seconds} (earlier builds
 *       {@code Model loading took 44.2031 GiB and 30.512 seconds}); V0 {@code Loading model weights
 *       took 14.9888 GB} (later V0 builds print V1's wording);
 *   <li>KV cache: V1 {@code Available KV cache memory: 62.20 GiB}; V0 its profiling message's
 *       figure, {@code Memory profiling results: total_gpu_memory=7.92GiB ... kv_cache_size=3.54GiB
 *       ...} (late 2024) or {@code ... the rest of the memory reserved for KV Cache is
 *       26.60GiB.} (2025 builds), none before;
 *   <li>tokens: V1 {@code GPU KV cache size: 1,358,752 tokens}; V0 prints blocks, {@code # cuda
 *       blocks: 13618, # CPU blocks: 2048} (older: {@code # GPU blocks: ...}), and the block size
 *       only through {@code Maximum concurrency for 2048 tokens per request: 106.39x} (from late 2024),
 *       which is {@code blocks * block_size / max_model_len}: the block size is that figure's nearest
 *       power of two (vLLM's block sizes are), and without the line the tokens are not known.
 * </ul>
 *
 * vLLM's "GB" is GiB: it divides by 2^30.
 */
final class VllmLog extends EngineLog {
  // v1/worker/gpu_model_runner.py load_model: "Model loading took %s GiB memory and %.6f seconds"
  // (earlier "Model loading took %.4f GiB and %.6f seconds"); V0 worker/model_runner.py load_model:
  // "Loading model weights took %.4f GB".
  private static final Pattern MODEL = Pattern.compile("(?:Model loading|Loading model weights) took " + NUMBER
      + " ?Gi?B");
  // v1/worker/gpu_worker.py determine_available_memory: "Available KV cache memory: %s GiB".
  private static final Pattern KV = Pattern.compile("Available KV cache memory: " + NUMBER + " ?Gi?B");
  // V0 worker/worker.py determine_num_available_blocks: "... the rest of the memory reserved for KV Cache is
  // %.2fGiB." (2025), earlier "Memory profiling results: total_gpu_memory=%.2fGiB ... kv_cache_size=%.2fGiB ...".
  private static final Pattern V0_KV =
      Pattern.compile("(?:reserved for KV Cache is |Memory profiling results: .*kv_cache_size=)" + NUMBER + " ?Gi?B");
  // v1/core/kv_cache_utils.py: "GPU KV cache size: %s tokens" (with thousands separators).
  private static final Pattern TOKENS = Pattern.compile("GPU KV cache size: ([0-9][0-9,]*) tokens");
  // V0 executor/executor_base.py initialize_cache: "# %s blocks: %d, # CPU blocks: %d" (the device's name)
  // and "Maximum concurrency for %s tokens per request: %.2fx".
  private static final Pattern V0_BLOCKS = Pattern.compile("# \\w+ blocks: ([0-9]+), # CPU blocks: [0-9]+");
  private static final Pattern CONCURRENCY = Pattern.compile(
      "Maximum concurrency for ([0-9][0-9,]*) tokens per request: " + NUMBER + "x");

  /** V0: the GPU blocks of its cache, and its block size once the concurrency line has given it. */
  private Long v0Blocks;
  private Long v0BlockSize;

  @Override
  void line(String line) {
    Matcher m;
    if (model == null && (m = MODEL.matcher(line)).find()) {
      model = Double.parseDouble(m.group(1));
    }
    if (kv == null && ((m = KV.matcher(line)).find() || (m = V0_KV.matcher(line)).find())) {
      kv = Double.parseDouble(m.group(1));
    }
    if (tokens == null && (m = TOKENS.matcher(line)).find()) {
      tokens = EngineLog.count(m.group(1));
    }
    if (v0Blocks == null && (m = V0_BLOCKS.matcher(line)).find()) {
      v0Blocks = Long.parseLong(m.group(1));
    } else if (v0Blocks != null && v0BlockSize == null && (m = CONCURRENCY.matcher(line)).find()) {
      v0BlockSize = blockSize(v0Blocks, EngineLog.count(m.group(1)), Double.parseDouble(m.group(2)));
    }
  }

  /**
   * The block size that gives {@code concurrency} (printed with two decimals) for {@code blocks} and
   * {@code maxModelLen}: the power of two within 10 % of {@code concurrency * maxModelLen / blocks},
   * or null when none is (a figure rounded too coarsely to tell).
   */
  static Long blockSize(long blocks, long maxModelLen, double concurrency) {
    if (blocks <= 0 || concurrency <= 0) {
      return null;
    }
    double estimate = concurrency * maxModelLen / blocks;
    long power = Math.max(1, Long.highestOneBit(Math.round(estimate)));
    for (long p : new long[] {power, power * 2}) {
      if (Math.abs(estimate / p - 1) <= 0.1) {
        return p;
      }
    }
    return null;
  }

  @Override
  Long kvCacheTokens() {
    if (tokens != null) {
      return tokens;
    }
    return v0Blocks != null && v0BlockSize != null ? v0Blocks * v0BlockSize : null;
  }
}
