package dev.llmbench.report.input;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp's memory lines ({@code llama-server}), of builds from 2024 to now. llama.cpp prints MiB
 * (divided by 1,024 here).
 *
 * <ul>
 *   <li>weights: the sum of its buffers, one line each, host buffers included: {@code load_tensors:
 *       CUDA0 model buffer size = 4403.49 MiB} and {@code load_tensors: CPU_Mapped model buffer size =
 *       787.50 MiB} (before b4464, January 2025, {@code llm_load_tensors:} the same, and before b3990,
 *       October 2024, {@code llm_load_tensors: CUDA0 buffer size = ...}). A CPU build that repacks weights for its
 *       instructions (AMX, CPU_REPACK) prints the repacked buffer beside the mapped file's range,
 *       which still spans the repacked tensors: the sum is what llama.cpp reports, a little above the
 *       file;
 *   <li>KV cache, newer builds (from about b5600, June 2025): {@code llama_kv_cache: size = 1024.00
 *       MiB ( 8192 cells, 32 layers, 4/4 seqs), K (f16): ...} ({@code llama_kv_cache_unified:}
 *       before its later 2025 rename, {@code 1 seqs} or {@code 1/ 1 seqs} in between). With
 *       {@code -np} slots and no unified cache each slot has a stream of its own: the line's cells are
 *       one stream's and the second seqs figure is the streams, so the tokens are cells × streams. A
 *       model with sliding-window layers has two caches, one after the other: the memory is their
 *       sum, the tokens the first's, the full-context one (a cache of 0 layers, a placeholder, gives
 *       none). A hybrid model's recurrent state ({@code llama_memory_recurrent: size = ... MiB})
 *       counts as cache memory, as vLLM counts it, and gives no tokens;
 *   <li>KV cache, older builds (before the mid-2025 rename): {@code llama_kv_cache_init: kv_size =
 *       131072, offload = 1, type_k = 'f16', ...} (from b4357, December 2024; {@code
 *       llama_kv_cache_unified: kv_size = ...} in spring 2025), the buffers ({@code llama_kv_cache_init:
 *       CPU KV buffer size = 512.00 MiB}, not read) and their total, {@code llama_init_from_model: KV
 *       self size = 512.00 MiB, K (f16): 256.00 MiB, V (f16): 256.00 MiB} ({@code
 *       llama_new_context_with_model:} before b4464, {@code llama_kv_cache_unified:} in spring 2025).
 *       The tokens are the kv_size, or without that line the context's {@code n_ctx = 131072} (all
 *       slots together). A recurrent model's cache (Mamba, RWKV: its {@code print_info: arch} says so,
 *       or {@code llama_kv_cache_recurrent:} prints it) holds states, not tokens: memory only.
 * </ul>
 *
 * The lines after llama-server's {@code loading draft model '...'} line are a speculative-decoding
 * draft model's and do not count. Of the served model's, the last run of buffers counts and the
 * caches after it: with verbose logs a memory probe ({@code --fit}) prints a trial's buffers and
 * caches first. Compute and output buffers ({@code llama_context: CUDA0 compute buffer size = ...})
 * are neither weights nor cache.
 */
final class LlamaCppLog extends EngineLog {
  // src/llama-model.cpp load_tensors: "%s: %12s model buffer size = %8.2f MiB"; before b3990 llama.cpp
  // llm_load_tensors: "%s: %10s buffer size = %8.2f MiB".
  private static final Pattern MODEL = Pattern.compile(
      "(?:model buffer size|llm_load_tensors: +\\S+ buffer size) = +" + NUMBER + " MiB");
  // src/llama-kv-cache.cpp llama_kv_cache::llama_kv_cache: "%s: size = %7.2f MiB (%6u cells, %3d layers,
  // %2u/%u seqs), K (%s): ...", earlier "... %2u seqs), ...".
  private static final Pattern KV = Pattern.compile("llama_kv_cache\\w*: size = +" + NUMBER
      + " MiB \\( *([0-9]+) cells, +([0-9]+) layers,(?: +[0-9]+/ *([0-9]+))?");
  // src/llama-memory-recurrent.cpp: "%s: size = %7.2f MiB (%6u cells, %3d layers, %2u seqs), R (%s): ...".
  private static final Pattern RECURRENT = Pattern.compile("llama_memory_recurrent\\w*: size = +" + NUMBER + " MiB");
  // src/llama-kv-cache.cpp llama_kv_cache_init (b4357 to early 2025): "%s: kv_size = %d, offload = %d, ...";
  // llama_kv_cache_unified and llama_kv_cache_recurrent: "%s: kv_size = %u, ...".
  private static final Pattern OLD_KV_SIZE = Pattern.compile("(\\w+): kv_size = ([0-9]+),");
  // llama_new_context_with_model / llama_init_from_model / llama_context: "%s: n_ctx         = %u".
  private static final Pattern OLD_N_CTX = Pattern.compile(
      "(?:llama_new_context_with_model|llama_init_from_model|llama_context): n_ctx += +([0-9]+)");
  // "%s: KV self size  = %7.2f MiB, K (%s): %7.2f MiB, V (%s): %7.2f MiB" in the same functions and
  // llama_kv_cache_unified / llama_kv_cache_recurrent.
  private static final Pattern OLD_KV = Pattern.compile("(\\w+): KV self size += +" + NUMBER + " MiB");
  // llm_load_print_meta / print_info: "%s: arch             = %s".
  private static final Pattern ARCH = Pattern.compile("(?:print_info|llm_load_print_meta): arch += +(\\S+)");
  // examples/server/server.cpp load_model: "loading draft model '%s'".
  private static final String DRAFT = "loading draft model '";

  /** The caches of the model counted have been read. */
  private boolean caches;
  /** The draft model's lines have begun (not counted). */
  private boolean draft;
  /** Older builds: the cells of the cache being built, from its kv_size line, and the context's. */
  private Long oldKvSize;
  private Long oldNCtx;
  /** A Mamba or RWKV model: its older builds' cache holds a state per sequence, not tokens. */
  private boolean recurrentArch;

  @Override
  void line(String line) {
    if (line.contains(DRAFT)) {
      draft = true; // llama-server's draft model: its buffers and caches follow
    }
    if (draft) {
      return;
    }
    Matcher m;
    if ((m = ARCH.matcher(line)).find()) {
      String arch = m.group(1).toLowerCase(Locale.ROOT);
      recurrentArch = arch.contains("mamba") || arch.contains("rwkv");
    }
    if ((m = MODEL.matcher(line)).find()) {
      if (caches) {
        // Buffers after caches: the model itself after a memory probe's trial (--fit, verbose logs).
        caches = false;
        model = null;
        kv = null;
        tokens = null;
      }
      model = (model == null ? 0 : model) + Double.parseDouble(m.group(1)) / MIB_PER_GIB;
    }
    if ((m = KV.matcher(line)).find()) {
      addCache(Double.parseDouble(m.group(1)));
      long streams = m.group(4) == null ? 1 : Long.parseLong(m.group(4));
      if (tokens == null && Integer.parseInt(m.group(3)) > 0) {
        tokens = Long.parseLong(m.group(2)) * streams; // a cache of 0 layers is a placeholder
      }
    } else if ((m = RECURRENT.matcher(line)).find()) {
      addCache(Double.parseDouble(m.group(1))); // a hybrid model's recurrent state: no tokens
    } else if ((m = OLD_KV_SIZE.matcher(line)).find()) {
      oldKvSize = Long.parseLong(m.group(2));
    } else if ((m = OLD_N_CTX.matcher(line)).find()) {
      oldNCtx = Long.parseLong(m.group(1));
    } else if ((m = OLD_KV.matcher(line)).find()) {
      addCache(Double.parseDouble(m.group(2)));
      boolean recurrent = recurrentArch || m.group(1).contains("recurrent");
      Long cells = oldKvSize != null ? oldKvSize : oldNCtx;
      if (tokens == null && !recurrent && cells != null) {
        tokens = cells;
      }
      oldKvSize = null; // the next cache (a sliding-window one) prints its own
    }
  }

  private void addCache(double mib) {
    caches = true;
    kv = (kv == null ? 0 : kv) + mib / MIB_PER_GIB;
  }
}
