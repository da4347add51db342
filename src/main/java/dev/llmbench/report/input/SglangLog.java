package dev.llmbench.report.input;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SGLang's memory lines. The first of each line counts: an EAGLE or MTP draft model loads and sizes
 * its own pool after the served model's, and with tensor parallelism every rank prints its own.
 *
 * <ul>
 *   <li>weights: {@code Load weight end. [elapsed=23.18 s, ]type=LlamaForCausalLM, dtype=torch.bfloat16,
 *       avail mem=63.31 GB, mem usage=15.02 GB.}; builds before 2025 print no {@code mem usage}, and
 *       the weights are then the fall of {@code avail mem} from {@code Load weight begin. avail
 *       mem=79.10 GB} to that line (what {@code mem usage} is);
 *   <li>KV cache: {@code KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB}
 *       (K + V; newer builds put {@code dtype: ..., } before {@code #tokens}, older ones print no
 *       {@code #tokens}), an MLA model's one pool ({@code #tokens: 524288, KV size: 17.16 GB}), a
 *       model with sliding-window layers' {@code SWAKVPool mem usage: 3.18 GB, swa size: ..., full
 *       size: 37081} (its two pools together, each of which also prints the line above), and a hybrid
 *       model's {@code Mamba Cache is allocated. max_mamba_cache_size: 22, conv_state size: 0.06GB,
 *       ssm_state size: 3.23GB}, whose sizes count as cache memory, as vLLM counts them;
 *   <li>tokens: the pool's {@code #tokens} (the full pool's {@code full size} with sliding-window
 *       layers), else the scheduler's {@code max_total_num_tokens=420200, ...}.
 * </ul>
 *
 * SGLang's "GB" is GiB: it divides by 2^30.
 */
final class SglangLog extends EngineLog {
  // model_executor/model_runner.py load_model: "Load weight begin. avail mem=%.2f GB" and "Load weight
  // end. elapsed=%.2f s, type=%s, ..., avail mem=%.2f GB, mem usage=%.2f GB." (before 2025 without mem usage).
  private static final Pattern BEGIN = Pattern.compile("Load weight begin\\. avail mem=" + NUMBER + " ?GB");
  private static final Pattern END = Pattern.compile("Load weight end\\..*avail mem=" + NUMBER + " ?GB");
  private static final Pattern USAGE = Pattern.compile("Load weight end\\..*mem usage=" + NUMBER + " ?GB");
  // mem_cache/memory_pool.py MHATokenToKVPool: "KV Cache is allocated. #tokens: %d, K size: %.2f GB, V size:
  // %.2f GB"; MLATokenToKVPool: "KV Cache is allocated. #tokens: %d, KV size: %.2f GB".
  private static final Pattern KV = Pattern.compile("KV Cache is allocated\\.(?: dtype: [^,]*,)?"
      + "(?: #tokens: ([0-9][0-9,]*),)? (?:K size: " + NUMBER + " ?GB, V size: " + NUMBER + " ?GB|KV size: "
      + NUMBER + " ?GB)");
  // mem_cache/swa_memory_pool.py SWAKVPool: "SWAKVPool mem usage: %.2f GB, swa size: %d, full size: %d".
  private static final Pattern SWA = Pattern.compile(
      "SWAKVPool mem usage: " + NUMBER + " ?GB, swa size: [0-9]+, full size: ([0-9]+)");
  // mem_cache/memory_pool.py MambaPool: "Mamba Cache is allocated. max_mamba_cache_size: %d, conv_state size:
  // %.2fGB, ssm_state size: %.2fGB" (and intermediate states' sizes with speculative decoding).
  private static final String MAMBA = "Mamba Cache is allocated.";
  private static final Pattern SIZE = Pattern.compile("size: " + NUMBER + " ?GB");
  // managers/scheduler.py: "max_total_num_tokens=%d, chunked_prefill_size=%d, ...".
  private static final Pattern MAX_TOTAL = Pattern.compile("max_total_num_tokens=([0-9]+)");

  private Double availBefore;
  private Double pool;
  private Long poolTokens;
  private Double swa;
  private Long swaTokens;
  private Double mamba;
  private Long maxTotal;

  @Override
  void line(String line) {
    Matcher m;
    if (availBefore == null && (m = BEGIN.matcher(line)).find()) {
      availBefore = Double.parseDouble(m.group(1));
    }
    if (model == null && (m = USAGE.matcher(line)).find()) {
      model = Double.parseDouble(m.group(1));
    } else if (model == null && availBefore != null && (m = END.matcher(line)).find()) {
      model = Math.max(0, availBefore - Double.parseDouble(m.group(1)));
    }
    if (pool == null && (m = KV.matcher(line)).find()) {
      poolTokens = m.group(1) == null ? null : EngineLog.count(m.group(1));
      pool = m.group(4) != null ? Double.parseDouble(m.group(4))
          : Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3));
    }
    if (swa == null && (m = SWA.matcher(line)).find()) {
      swa = Double.parseDouble(m.group(1));
      swaTokens = Long.parseLong(m.group(2));
    }
    if (mamba == null && line.contains(MAMBA)) {
      double sum = 0;
      for (m = SIZE.matcher(line); m.find(); ) {
        sum += Double.parseDouble(m.group(1));
      }
      mamba = sum;
    }
    if (maxTotal == null && (m = MAX_TOTAL.matcher(line)).find()) {
      maxTotal = Long.parseLong(m.group(1));
    }
  }

  @Override
  Double kvCacheGiB() {
    Double cache = swa != null ? swa : pool;
    if (mamba == null) {
      return cache;
    }
    return (cache == null ? 0 : cache) + mamba;
  }

  @Override
  Long kvCacheTokens() {
    return swaTokens != null ? swaTokens : poolTokens != null ? poolTokens : maxTotal;
  }
}
