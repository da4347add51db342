package dev.llmbench.report.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.report.model.ServerMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a serving engine's log (a file the user saved, e.g. {@code docker logs vllm > vllm.log}) for
 * the memory figures of {@code bench_full.py}'s procedure, which greps the container's log for them:
 *
 * <ul>
 *   <li>vLLM: {@code Model loading took 44.2 GiB and 30.5 seconds} (older builds: {@code Loading
 *       model weights took 14.99 GB}), {@code Available KV cache memory: 62.2 GiB},
 *       {@code GPU KV cache size: 1,234,567 tokens};
 *   <li>SGLang: {@code Load weight end. ... mem usage=15.02 GB.} and
 *       {@code KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB} (the cache
 *       is K + V);
 *   <li>llama.cpp's server: {@code load_tensors:        CUDA0 model buffer size =  4403.49 MiB}, one
 *       line per buffer (the weights are their sum, host buffers included), and
 *       {@code llama_kv_cache: size = 1024.00 MiB (  8192 cells, 32 layers, 1/1 seqs), K (f16): ...}
 *       (tokens are cells). A model with sliding-window layers has two caches, printed one after the
 *       other: the memory is their sum, the tokens the first's, the full-context one (a cache of 0
 *       layers, a placeholder, gives no tokens). A hybrid model's recurrent state
 *       ({@code llama_memory_recurrent: size = ... MiB}) counts as cache memory, as vLLM counts it;
 *   <li>TensorRT-LLM: {@code [MemUsageChange] Allocated 36.22 GiB for max tokens in paged KV cache
 *       (231808).}, and for the weights its PyTorch backend's {@code Memory used after loading model
 *       weights (inside torch) in memory usage profiling: 15.02 GiB} (all the memory torch holds then,
 *       the weights and a little more) or TensorRT's {@code Loaded engine size: 15220 MiB} for an
 *       engine.
 * </ul>
 *
 * vLLM, SGLang and TensorRT-LLM compute their "GB" by dividing by 2^30, so those figures are GiB;
 * llama.cpp's MiB are divided by 1,024. The figures are those of the last server start in the log (a
 * start begins at vLLM's {@code vLLM API server version} line, SGLang's
 * {@code server_args=ServerArgs(...)} line or llama.cpp's {@code build: 6550 (5a4ff43e7) with ...}
 * line; a log without any is one start). Within a start, the served model's lines count, not those
 * of a speculative-decoding draft model, which these servers load and size after it:
 * for vLLM and SGLang the first of each line counts; for llama.cpp the lines before llama-server's
 * {@code loading draft model '...'} line, and of those the last run of buffers and the caches after
 * it (with verbose logs, a memory probe prints a trial's buffers and caches first); for TensorRT-LLM,
 * whose PyTorch backend sizes a temporary cache to profile the model and then the real one, the first
 * cache line after the last weights line (or the first in the start without one). SGLang's MLA models
 * (DeepSeek-V3, Kimi) print one pool, {@code KV Cache is allocated. #tokens: N, KV size: X GB}.
 * Lines are read as UTF-8 with malformed bytes replaced: a log is what a container wrote, colours and
 * all.
 */
public final class ServerLog {
  private static final String NUMBER = "([0-9]+(?:\\.[0-9]+)?)";
  private static final Pattern VLLM_MODEL =
      Pattern.compile("(?:Model loading|Loading model weights) took " + NUMBER + " ?Gi?B");
  private static final Pattern VLLM_KV = Pattern.compile("Available KV cache memory: " + NUMBER + " ?Gi?B");
  private static final Pattern VLLM_TOKENS = Pattern.compile("GPU KV cache size: ([0-9][0-9,]*) tokens");
  private static final Pattern SGLANG_MODEL = Pattern.compile("Load weight end\\..*mem usage=" + NUMBER + " ?Gi?B");
  private static final Pattern SGLANG_KV = Pattern.compile(
      "KV Cache is allocated\\. #tokens: ([0-9][0-9,]*), (?:K size: " + NUMBER + " ?Gi?B, V size: " + NUMBER
          + " ?Gi?B|KV size: " + NUMBER + " ?Gi?B)");
  private static final Pattern LLAMA_MODEL = Pattern.compile("model buffer size = +" + NUMBER + " MiB");
  private static final Pattern LLAMA_KV =
      Pattern.compile("llama_kv_cache\\w*: size = +" + NUMBER + " MiB \\( *([0-9]+) cells, +([0-9]+) layers");
  private static final Pattern LLAMA_RECURRENT =
      Pattern.compile("llama_memory_recurrent\\w*: size = +" + NUMBER + " MiB");
  private static final String LLAMA_DRAFT = "loading draft model '";
  private static final Pattern TRT_MODEL = Pattern.compile(
      "Memory used after loading model weights \\(inside torch\\) in memory usage profiling: " + NUMBER + " GiB");
  private static final Pattern TRT_ENGINE = Pattern.compile("Loaded engine size: " + NUMBER + " MiB");
  private static final Pattern TRT_KV = Pattern.compile(
      "Allocated " + NUMBER + " GiB for max tokens in paged KV cache \\(([0-9]+)\\)");
  private static final Pattern START = Pattern.compile(
      "vLLM API server version|server_args=ServerArgs\\(|build: [0-9]+ \\([^)]*\\) with ");
  private static final double MIB_PER_GIB = 1024;

  private ServerLog() {}

  /** The figures of one server start, as its lines are read. */
  private static final class Start {
    Double model;
    Double kv;
    Long tokens;
    /** llama.cpp: the caches of the model counted have been read. */
    boolean llamaCaches;
    /** llama.cpp: the draft model's lines have begun (not counted). */
    boolean llamaDraft;
    /** TensorRT-LLM: the cache of this sizing pass has been read. */
    boolean trtCacheTaken;

    void line(String line) {
      Matcher m;
      if (model == null && ((m = VLLM_MODEL.matcher(line)).find() || (m = SGLANG_MODEL.matcher(line)).find())) {
        model = Double.parseDouble(m.group(1));
      }
      if (kv == null && (m = VLLM_KV.matcher(line)).find()) {
        kv = Double.parseDouble(m.group(1));
      }
      if (tokens == null && (m = VLLM_TOKENS.matcher(line)).find()) {
        tokens = count(m.group(1));
      }
      if (tokens == null && kv == null && (m = SGLANG_KV.matcher(line)).find()) {
        tokens = count(m.group(1));
        kv = m.group(4) != null ? Double.parseDouble(m.group(4))
            : Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3));
      }
      if (line.contains(LLAMA_DRAFT)) {
        llamaDraft = true; // llama-server's draft model: its buffers and caches follow
      }
      if (!llamaDraft) {
        llama(line);
      }
      if ((m = TRT_MODEL.matcher(line)).find()) {
        model = Double.parseDouble(m.group(1));
        trtCacheTaken = false; // the real caches follow the profiling pass's
      } else if ((m = TRT_ENGINE.matcher(line)).find()) {
        model = Double.parseDouble(m.group(1)) / MIB_PER_GIB;
      }
      if (!trtCacheTaken && (m = TRT_KV.matcher(line)).find()) {
        trtCacheTaken = true; // the served model's: a draft model's cache is sized after it
        kv = Double.parseDouble(m.group(1));
        tokens = Long.parseLong(m.group(2));
      }
    }

    private void llama(String line) {
      Matcher m;
      if ((m = LLAMA_MODEL.matcher(line)).find()) {
        if (llamaCaches) {
          // Buffers after caches: the model itself after a memory probe's trial (--fit, verbose logs).
          llamaCaches = false;
          model = null;
          kv = null;
          tokens = null;
        }
        model = (model == null ? 0 : model) + Double.parseDouble(m.group(1)) / MIB_PER_GIB;
      }
      if ((m = LLAMA_KV.matcher(line)).find()) {
        llamaCaches = true;
        kv = (kv == null ? 0 : kv) + Double.parseDouble(m.group(1)) / MIB_PER_GIB;
        if (tokens == null && Integer.parseInt(m.group(3)) > 0) {
          tokens = Long.parseLong(m.group(2)); // a cache of 0 layers is a placeholder
        }
      } else if ((m = LLAMA_RECURRENT.matcher(line)).find()) {
        llamaCaches = true; // a hybrid model's recurrent state: cache memory, no tokens
        kv = (kv == null ? 0 : kv) + Double.parseDouble(m.group(1)) / MIB_PER_GIB;
      }
    }
  }

  /** The memory figures of the log at {@code file}; a figure the log does not give is null. */
  public static ServerMemory memory(Path file) throws IOException {
    Start start = new Start();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (START.matcher(line).find()) {
          start = new Start(); // a new start: the figures of an earlier one no longer hold
        }
        start.line(line);
      }
    }
    return new ServerMemory(file.getFileName().toString(), start.model, start.kv, start.tokens);
  }

  /**
   * The figures of the log at {@code file} as the run records them in {@code llm-run.json} when it
   * ends ({@code source}, {@code modelGiB}, {@code kvCacheGiB}, {@code kvCacheTokens}, and
   * {@code problem} when the log could not be read): read once, so a rebuild of the result later
   * gives the same figures, whatever became of the file.
   */
  public static Map<String, Object> record(Path file) {
    ServerMemory m;
    try {
      m = memory(file);
    } catch (IOException | RuntimeException e) {
      m = new ServerMemory(String.valueOf(file.getFileName()), null, null, null,
          "the server log " + file + " could not be read: " + e.getMessage());
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("source", m.source());
    r.put("modelGiB", m.modelGiB());
    r.put("kvCacheGiB", m.kvCacheGiB());
    r.put("kvCacheTokens", m.kvCacheTokens());
    if (m.problem() != null) {
      r.put("problem", m.problem());
    }
    return r;
  }

  /** The figures {@link #record} wrote, read back from {@code llm-run.json}. */
  public static ServerMemory recorded(JsonNode r) {
    return new ServerMemory(r.path("source").asText(""),
        r.path("modelGiB").isNumber() ? r.get("modelGiB").asDouble() : null,
        r.path("kvCacheGiB").isNumber() ? r.get("kvCacheGiB").asDouble() : null,
        r.path("kvCacheTokens").isNumber() ? r.get("kvCacheTokens").asLong() : null,
        r.path("problem").isTextual() ? r.get("problem").asText() : null);
  }

  private static long count(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
