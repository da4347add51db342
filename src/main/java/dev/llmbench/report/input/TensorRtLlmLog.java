package dev.llmbench.report.input;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorRT-LLM's memory lines, PyTorch backend and TensorRT engines.
 *
 * <ul>
 *   <li>weights: the PyTorch backend's {@code Memory used after loading model weights (inside torch)
 *       in memory usage profiling: 15.02 GiB} (all the memory torch holds then, the weights and a
 *       little more), or an engine's {@code Loaded engine size: 15220 MiB};
 *   <li>KV cache and tokens: {@code [MemUsageChange] Allocated 36.22 GiB for max tokens in paged KV
 *       cache (231808).}; older builds (0.8, early 2024) print {@code Allocate 21705523200 bytes for
 *       k/v cache.} and then {@code Using 220800 tokens in paged KV cache.} (or {@code Using 219776
 *       total tokens in paged KV cache, and 8 blocks per sequence}).
 * </ul>
 *
 * The PyTorch backend sizes a temporary cache to profile the model and then the real one, and a
 * draft model's cache is sized after the served model's: the first cache after the last weights
 * line counts (or the first in the start without one); with tensor parallelism each rank prints
 * its own, the first counts.
 */
final class TensorRtLlmLog extends EngineLog {
  // tensorrt_llm/_torch/pyexecutor/_util.py: "Memory used after loading model weights (inside torch) in
  // memory usage profiling: %.2f GiB".
  private static final Pattern MODEL = Pattern.compile(
      "Memory used after loading model weights \\(inside torch\\) in memory usage profiling: " + NUMBER + " GiB");
  // TensorRT itself, deserializing the engine: "Loaded engine size: %d MiB".
  private static final Pattern ENGINE = Pattern.compile("Loaded engine size: " + NUMBER + " MiB");
  // cpp/tensorrt_llm/batch_manager/kvCacheManager.cpp: "[MemUsageChange] Allocated %0.2f GiB for max tokens in
  // paged KV cache (%d).".
  private static final Pattern KV = Pattern.compile(
      "Allocated " + NUMBER + " GiB for max tokens in paged KV cache \\(([0-9]+)\\)");
  // 0.8's batch manager: "Allocate %lu bytes for k/v cache." and "Using %d tokens in paged KV cache."
  // (later "Using %d total tokens in paged KV cache, and %d blocks per sequence").
  private static final Pattern OLD_KV = Pattern.compile("Allocate ([0-9]+) bytes for k/v cache");
  private static final Pattern OLD_TOKENS = Pattern.compile("Using ([0-9]+) (?:total )?tokens in paged KV cache");
  private static final double BYTES_PER_GIB = 1L << 30;

  /** The cache of this sizing pass has been read. */
  private boolean cacheTaken;
  /** An older build's cache line has been read, its tokens line not yet. */
  private boolean oldCacheOpen;

  @Override
  void line(String line) {
    Matcher m;
    if ((m = MODEL.matcher(line)).find()) {
      model = Double.parseDouble(m.group(1));
      cacheTaken = false; // the real caches follow the profiling pass's
    } else if ((m = ENGINE.matcher(line)).find()) {
      model = Double.parseDouble(m.group(1)) / MIB_PER_GIB;
    }
    if (!cacheTaken && (m = KV.matcher(line)).find()) {
      cacheTaken = true; // the served model's: a draft model's cache is sized after it
      kv = Double.parseDouble(m.group(1));
      tokens = Long.parseLong(m.group(2));
    } else if (!cacheTaken && (m = OLD_KV.matcher(line)).find()) {
      kv = Long.parseLong(m.group(1)) / BYTES_PER_GIB;
      tokens = null;
      oldCacheOpen = true;
    } else if (oldCacheOpen && (m = OLD_TOKENS.matcher(line)).find()) {
      tokens = Long.parseLong(m.group(1));
      oldCacheOpen = false;
      cacheTaken = true;
    }
  }
}
