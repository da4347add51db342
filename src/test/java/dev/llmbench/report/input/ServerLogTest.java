package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.ServerMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory lines of vLLM's, SGLang's, llama.cpp's and TensorRT-LLM's logs, older and newer builds, as their
 * servers print them, and which of them count. Each sample names the source file and function of its lines'
 * format string; where it says so, the lines are copied from a real log (llama.cpp b4748's is this project's
 * realserver's, in {@code server-logs/}).
 */
class ServerLogTest {
  @TempDir
  Path dir;

  private ServerMemory read(String log) throws IOException {
    Path file = dir.resolve("server.log");
    Files.writeString(file, log, StandardCharsets.UTF_8);
    return ServerLog.memory(file);
  }

  /** The three figures of a log: GiB within 1e-9, tokens exact, null where the log must not give one. */
  private static void assertFigures(ServerMemory m, Double modelGiB, Double kvCacheGiB, Long kvCacheTokens) {
    assertGiB(modelGiB, m.modelGiB(), "weights");
    assertGiB(kvCacheGiB, m.kvCacheGiB(), "KV cache");
    assertEquals(kvCacheTokens, m.kvCacheTokens(), "KV cache tokens");
  }

  private static void assertGiB(Double expected, Double actual, String what) {
    if (expected == null) {
      assertNull(actual, what);
    } else {
      assertNotNull(actual, what);
      assertEquals(expected, actual, 1e-9, what);
    }
  }

  @Test
  void vllmsThreeLines() throws IOException {
    ServerMemory m = read("""
        INFO 11-20 10:01:02 [gpu_model_runner.py:1843] Model loading took 44.2031 GiB and 30.512 seconds
        INFO 11-20 10:01:40 [gpu_worker.py:276] Available KV cache memory: 62.20 GiB
        INFO 11-20 10:01:41 [kv_cache_utils.py:1013] GPU KV cache size: 1,358,752 tokens
        INFO 11-20 10:01:41 [kv_cache_utils.py:1017] Maximum concurrency for 4,096 tokens per request: 331.73x
        """);
    assertEquals("server.log", m.source());
    assertFigures(m, 44.2031, 62.20, 1_358_752L);
  }

  @Test
  void olderVllmSaysGbForTheWeights() throws IOException {
    ServerMemory m = read("INFO 05-01 model_runner.py:160] Loading model weights took 14.9888 GB\n");
    assertFigures(m, 14.9888, null, null);
  }

  @Test
  void sglangsWeightsAndCacheKPlusV() throws IOException {
    ServerMemory m = read("""
        [2025-11-20 10:00:01 TP0] Load weight end. type=LlamaForCausalLM, dtype=torch.bfloat16, avail mem=63.31 GB, mem usage=15.02 GB.
        [2025-11-20 10:00:03 TP0] KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB
        """);
    assertFigures(m, 15.02, 51.32, 420_431L);
  }

  @Test
  void theLastStartOfTheServerWins() throws IOException {
    ServerMemory m = read("""
        INFO 11-20 10:00:00 [api_server.py:1896] vLLM API server version 0.11.0
        Model loading took 44.2 GiB and 30.5 seconds
        Available KV cache memory: 62.2 GiB
        GPU KV cache size: 1,000 tokens
        INFO 11-20 11:00:00 [api_server.py:1896] vLLM API server version 0.11.0
        Model loading took 40.1 GiB and 29.9 seconds
        Available KV cache memory: 70.1 GiB
        """);
    assertEquals(40.1, m.modelGiB(), 1e-9);
    assertEquals(70.1, m.kvCacheGiB(), 1e-9);
    assertNull(m.kvCacheTokens(), "the last start has not said it: the first start's figure no longer holds");
  }

  @Test
  void withinAStartTheServedModelsLinesComeFirstAndADraftModelsAfter() throws IOException {
    // SGLang with EAGLE: the draft worker loads and sizes its own pool after the target's.
    ServerMemory m = read("""
        [2025-11-20 10:00:00] server_args=ServerArgs(model_path='meta-llama/Llama-3.1-8B-Instruct', speculative_algorithm='EAGLE')
        [2025-11-20 10:00:01 TP0] Load weight end. type=LlamaForCausalLM, dtype=torch.bfloat16, avail mem=63.31 GB, mem usage=15.02 GB.
        [2025-11-20 10:00:03 TP0] KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB
        [2025-11-20 10:00:04 TP0] Load weight end. type=LlamaForCausalLMEagle, dtype=torch.bfloat16, avail mem=10.1 GB, mem usage=0.5 GB.
        [2025-11-20 10:00:05 TP0] KV Cache is allocated. #tokens: 420431, K size: 0.8 GB, V size: 0.8 GB
        """);
    assertFigures(m, 15.02, 51.32, 420_431L);
  }

  @Test
  void sglangsMlaModelsHaveOnePool() throws IOException {
    ServerMemory m = read("[2025-11-20 10:00:03 TP0] KV Cache is allocated. #tokens: 524288, KV size: 17.16 GB\n");
    assertEquals(17.16, m.kvCacheGiB(), 1e-9);
    assertEquals(524_288L, m.kvCacheTokens());
  }

  @Test
  void llamaCppsBuffersAreSummedAndASlidingWindowModelsTwoCachesToo() throws IOException {
    // llama-server with a Gemma 3 model (sliding-window layers: two caches), then a draft model for
    // speculative decoding, loaded and sized after the served model: its lines do not count.
    ServerMemory m = read("""
        build: 6550 (5a4ff43e7) with cc (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0 for x86_64-linux-gnu
        main: loading model
        load_tensors: offloaded 35/35 layers to GPU
        load_tensors:        CUDA0 model buffer size =  6378.40 MiB
        load_tensors:   CPU_Mapped model buffer size =   787.50 MiB
        llama_context: n_ctx         = 8192
        llama_kv_cache_iswa: creating non-SWA KV cache, size = 8192 cells
        llama_kv_cache:      CUDA0 KV buffer size =   160.00 MiB
        llama_kv_cache: size =  160.00 MiB (  8192 cells,   5 layers,  1/1 seqs), K (f16):   80.00 MiB, V (f16):   80.00 MiB
        llama_kv_cache_iswa: creating     SWA KV cache, size = 1536 cells
        llama_kv_cache:      CUDA0 KV buffer size =   150.00 MiB
        llama_kv_cache: size =  150.00 MiB (  1536 cells,  25 layers,  1/1 seqs), K (f16):   75.00 MiB, V (f16):   75.00 MiB
        sched_reserve:      CUDA0 compute buffer size =   126.77 MiB
        srv    load_model: loading draft model 'gemma-3-270m.gguf'
        load_tensors:        CUDA0 model buffer size =   511.00 MiB
        llama_kv_cache: size =   48.00 MiB (  8192 cells,  18 layers,  1/1 seqs), K (f16):   24.00 MiB, V (f16):   24.00 MiB
        """);
    assertEquals((6378.40 + 787.50) / 1024, m.modelGiB(), 1e-9);
    assertEquals((160.0 + 150.0) / 1024, m.kvCacheGiB(), 1e-9);
    assertEquals(8_192L, m.kvCacheTokens(), "the full-context cache's cells, not the window's");
  }

  @Test
  void llamaCppsMemoryProbeComesFirstAndAHybridModelsRecurrentStateIsCacheToo() throws IOException {
    // Verbose logs: --fit's probe prints a trial's buffers and caches before the model is loaded;
    // a placeholder cache of 0 layers gives no tokens.
    ServerMemory m = read("""
        build: 0 (unknown) with cc for x86_64-linux-gnu
        load_tensors:        CUDA0 model buffer size =  9000.00 MiB
        llama_kv_cache: size = 16384.00 MiB (131072 cells,  32 layers,  1/1 seqs), K (f16): 8192.00 MiB, V (f16): 8192.00 MiB
        load_tensors:        CUDA0 model buffer size =  3072.00 MiB
        llama_kv_cache: size =    0.00 MiB (524288 cells,   0 layers,  1/1 seqs), K (f16):    0.00 MiB, V (f16):    0.00 MiB
        llama_kv_cache: size =  512.00 MiB (  4096 cells,   8 layers,  1/1 seqs), K (f16):  256.00 MiB, V (f16):  256.00 MiB
        llama_memory_recurrent: size =   16.50 MiB (     1 cells,  40 layers,  1 seqs), R (f32):    4.50 MiB, S (f32):   12.00 MiB
        """);
    assertFigures(m, 3.0, (512 + 16.5) / 1024, 4_096L);
  }

  @Test
  void llamaCppsLastStartWinsABuildWithoutGitInfoToo() throws IOException {
    ServerMemory m = read("""
        build: 6550 (5a4ff43e7) with cc for x86_64-linux-gnu
        load_tensors:        CUDA0 model buffer size =  4403.49 MiB
        llama_kv_cache_unified: size = 1024.00 MiB (  8192 cells,  32 layers,  1/1 seqs), K (f16):  512.00 MiB, V (f16):  512.00 MiB
        build: 0 (unknown) with cc for x86_64-linux-gnu
        load_tensors:        CUDA0 model buffer size =  2048.00 MiB
        llama_kv_cache: size = 2176.00 MiB (  8192 cells,  32 layers,  4/4 seqs), K (q8_0): 1088.00 MiB, V (q8_0): 1088.00 MiB
        """);
    assertEquals(2.0, m.modelGiB(), 1e-9);
    assertEquals(2176.0 / 1024, m.kvCacheGiB(), 1e-9);
    // -np 4 without a unified cache: four streams of 8,192 cells each (Llama 3 8B, q8_0: 32 layers x 1,024
    // x 34/32 bytes for K per token, 1,088 MiB for 32,768 tokens).
    assertEquals(32_768L, m.kvCacheTokens(), "cells are per stream: cells x streams");
  }

  @Test
  void tensorRtLlmsPyTorchBackendSizesATemporaryCacheFirstSoItsLastLinesCount() throws IOException {
    ServerMemory m = read("""
        [TensorRT-LLM] TensorRT-LLM version: 1.1.0
        [TensorRT-LLM][INFO] Number of tokens per block: 32.
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 0.56 GiB for max tokens in paged KV cache (8224).
        [12/20/2025-04:21:50] [TRT-LLM] [I] Memory used after loading model weights (inside torch) in memory usage profiling: 15.02 GiB
        [12/20/2025-04:21:50] [TRT-LLM] [I] Memory used after loading model weights (outside torch) in memory usage profiling: 1.78 GiB
        [TensorRT-LLM][INFO] Number of tokens per block: 32.
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 36.22 GiB for max tokens in paged KV cache (231808).
        """);
    assertFigures(m, 15.02, 36.22, 231_808L);
  }

  @Test
  void tensorRtLlmsDraftModelsCacheIsSizedAfterTheServedModelsAndDoesNotCount() throws IOException {
    ServerMemory m = read("""
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 0.56 GiB for max tokens in paged KV cache (8224).
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 0.05 GiB for max tokens in paged KV cache (8224).
        [12/20/2025-04:21:50] [TRT-LLM] [I] Memory used after loading model weights (inside torch) in memory usage profiling: 16.10 GiB
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 36.22 GiB for max tokens in paged KV cache (231808).
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 3.10 GiB for max tokens in paged KV cache (231808).
        """);
    assertFigures(m, 16.10, 36.22, 231_808L);
  }

  @Test
  void tensorRtLlmsEngineSizeIsItsWeights() throws IOException {
    ServerMemory m = read("""
        [TensorRT-LLM][INFO] Loaded engine size: 15220 MiB
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 62.99 GiB for max tokens in paged KV cache (294848).
        """);
    assertFigures(m, 15220.0 / 1024, 62.99, 294_848L);
  }

  @Test
  void theRunRecordsTheFiguresOnceAndAnUnreadableLogSaysWhy() throws IOException {
    Path file = dir.resolve("vllm.log");
    Files.writeString(file, "Model loading took 15.5 GiB and 6.1 seconds\n");
    ObjectMapper json = new ObjectMapper();
    ServerMemory back = ServerLog.recorded(json.valueToTree(ServerLog.record(file)));
    assertEquals(new ServerMemory("vllm.log", 15.5, null, null, null), back);

    ServerMemory missing = ServerLog.recorded(json.valueToTree(ServerLog.record(dir.resolve("gone.log"))));
    assertEquals("gone.log", missing.source());
    assertTrue(missing.isEmpty());
    assertTrue(missing.problem().contains("gone.log") && missing.problem().contains("could not be read"),
        missing.problem());
  }

  @Test
  void aLogWithoutTheLinesGivesNothingAndColoursOrBadBytesDoNotStopIt() throws IOException {
    Path file = dir.resolve("colours.log");
    byte[] bad = {(byte) 0xff, (byte) 0xfe, '\n'};
    Files.write(file, bad);
    Files.writeString(file, "\u001b[32mINFO\u001b[0m Starting server\nAvailable KV cache memory: 3.5 GiB\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    ServerMemory m = ServerLog.memory(file);
    assertEquals(3.5, m.kvCacheGiB(), 1e-9);
    assertNull(m.modelGiB());
    assertTrue(read("INFO nothing about memory here\n").isEmpty());
  }

  // ---- vLLM, older and newer builds -------------------------------------------------------------------

  @Test
  void vllmV1sNewerWordingSaysMemoryAndPutsTheConcurrencyOnTheTokensLine() throws IOException {
    // v1/worker/gpu_model_runner.py load_model ("Model loading took %s GiB memory and %.6f seconds"),
    // v1/worker/gpu_worker.py ("Available KV cache memory: %s GiB"), v1/core/kv_cache_utils.py ("GPU KV
    // cache size: %s tokens, Maximum concurrency for %s tokens per request: %.2fx"); TP rank 0 first.
    ServerMemory m = read("""
        (APIServer pid=1) INFO 11-20 10:00:00 [api_server.py:1839] vLLM API server version 0.11.2
        (Worker_TP0 pid=7) INFO 11-20 10:00:31 [gpu_model_runner.py:2653] Model loading took 15.02 GiB memory and 30.512 seconds
        (Worker_TP1 pid=8) INFO 11-20 10:00:31 [gpu_model_runner.py:2653] Model loading took 15.03 GiB memory and 30.601 seconds
        (Worker_TP0 pid=7) INFO 11-20 10:01:40 [gpu_worker.py:298] Available KV cache memory: 58.4 GiB
        (Worker_TP1 pid=8) INFO 11-20 10:01:40 [gpu_worker.py:298] Available KV cache memory: 58.3 GiB
        (EngineCore_DP0 pid=5) INFO 11-20 10:01:41 [kv_cache_utils.py:1087] GPU KV cache size: 956,864 tokens, Maximum concurrency for 8,192 tokens per request: 116.80x
        """);
    assertFigures(m, 15.02, 58.4, 956_864L);
  }

  @Test
  void vllmV0sBlocksTimesTheBlockSizeTheConcurrencyLineGivesAreTheTokens() throws IOException {
    // A real V0 log of 2025 (16 tokens per block: 13,618 x 16 tokens x 128 KiB per token = 26.6 GiB, its cache):
    // worker/model_runner.py load_model, worker/worker.py determine_num_available_blocks, and
    // executor/executor_base.py initialize_cache ("# %s blocks: %d, # CPU blocks: %d", "Maximum
    // concurrency for %s tokens per request: %.2fx").
    ServerMemory m = read("""
        INFO 08-06 01:39:21 model_runner.py:1115] Loading model weights took 7.1694 GB
        INFO 08-06 01:39:22 worker.py:267] Memory profiling takes 0.75 seconds
        INFO 08-06 01:39:22 worker.py:267] the current vLLM instance can use total_gpu_memory (39.56GiB) x gpu_memory_utilization (0.90) = 35.60GiB
        INFO 08-06 01:39:22 worker.py:267] model weights take 7.17GiB; non_torch_memory takes 0.01GiB; PyTorch activation peak memory takes 1.83GiB; the rest of the memory reserved for KV Cache is 26.60GiB.
        INFO 08-06 01:39:23 executor_base.py:111] # cuda blocks: 13618, # CPU blocks: 2048
        INFO 08-06 01:39:23 executor_base.py:116] Maximum concurrency for 2048 tokens per request: 106.39x
        """);
    assertFigures(m, 7.1694, 26.60, 13_618L * 16);
  }

  @Test
  void vllm064sProfilingResultsLineGivesTheKvCache() throws IOException {
    // A real vLLM log of December 2024: worker/worker.py determine_num_available_blocks ("Memory profiling results:
    // total_gpu_memory=%.2fGiB ... kv_cache_size=%.2fGiB gpu_memory_utilization=%.2f") and
    // executor/gpu_executor.py ("# GPU blocks: %d, # CPU blocks: %d", "Maximum concurrency for ...").
    ServerMemory m = read("""
        INFO 12-06 11:39:34 model_runner.py:1077] Loading model weights took 2.6419 GB
        INFO 12-06 11:39:36 worker.py:232] Memory profiling results: total_gpu_memory=7.92GiB initial_memory_usage=3.09GiB peak_torch_memory=3.12GiB memory_usage_post_profile=3.12GiB non_torch_memory=0.47GiB kv_cache_size=3.54GiB gpu_memory_utilization=0.90
        INFO 12-06 11:39:36 gpu_executor.py:113] # GPU blocks: 1207, # CPU blocks: 1365
        INFO 12-06 11:39:36 gpu_executor.py:117] Maximum concurrency for 2048 tokens per request: 9.43x
        """);
    assertFigures(m, 2.6419, 3.54, 1_207L * 16);
  }

  @Test
  void olderVllmV0sBlocksWithoutTheConcurrencyLineGiveNoTokens() throws IOException {
    // vLLM 0.4/0.5 executor/gpu_executor.py initialize_cache: "# GPU blocks: %d, # CPU blocks: %d", and
    // nothing that says the block size: the tokens are not guessed.
    ServerMemory m = read("""
        INFO 05-01 10:00:00 model_runner.py:160] Loading model weights took 14.9888 GB
        INFO 05-01 10:00:09 gpu_executor.py:83] # GPU blocks: 27895, # CPU blocks: 2048
        """);
    assertFigures(m, 14.9888, null, null);
  }

  @Test
  void vllmV0sBlockSizeIsThePowerOfTwoNearestTheRoundedConcurrency() {
    assertEquals(16L, VllmLog.blockSize(1394, 10_000, 2.23)); // 15.997
    assertEquals(16L, VllmLog.blockSize(13_618, 2048, 106.39));
    assertEquals(128L, VllmLog.blockSize(1030, 131_072, 1.01)); // 128.5: a coarse figure still names 128
    assertEquals(32L, VllmLog.blockSize(4096, 4096, 32.0));
    assertNull(VllmLog.blockSize(1000, 4096, 5.0), "20.5 is no block size");
    assertNull(VllmLog.blockSize(0, 4096, 5.0));
  }

  // ---- SGLang, older and newer builds -----------------------------------------------------------------

  @Test
  void olderSglangsWeightsAreTheFallOfAvailableMemoryAndItsTokensTheSchedulersMaximum() throws IOException {
    // SGLang of January 2025 (the weight-end, pool and pool-end lines are a real log's; the others follow
    // the source's format strings): model_runner.py load_model printed no mem usage, the pool no #tokens
    // (mem_cache/memory_pool.py: "KV Cache is allocated. K size: %.2f GB, V size: %.2f GB."), and the
    // scheduler's "max_total_num_tokens=%d, max_prefill_tokens=%d, ..." gives the tokens.
    ServerMemory m = read("""
        [2025-01-23 19:35:01] server_args=ServerArgs(model_path='meta-llama/Llama-3.1-8B-Instruct', tp_size=1)
        [2025-01-23 19:35:14 TP0] Load weight begin. avail mem=78.68 GB
        [2025-01-23 19:35:20 TP0] Load weight end. type=LlamaForCausalLM, dtype=torch.bfloat16, avail mem=63.72 GB
        [2025-01-23 19:35:20 TP0] KV Cache is allocated. K size: 27.13 GB, V size: 27.13 GB.
        [2025-01-23 19:35:20 TP0] Memory pool end. avail mem=8.34 GB
        [2025-01-23 19:35:27 TP0] max_total_num_tokens=444463, chunked_prefill_size=8192, max_prefill_tokens=16384, max_running_requests=4097, context_len=131072
        """);
    assertFigures(m, 78.68 - 63.72, 54.26, 444_463L);
  }

  @Test
  void newerSglangPrintsElapsedAndTheKvDtypeBeforeItsFigures() throws IOException {
    // model_runner.py load_model: "Load weight end. elapsed=%.2f s, type=%s, ..., avail mem=%.2f GB, mem
    // usage=%.2f GB."; memory_pool.py: "KV Cache is allocated. dtype: %s, #tokens: %d, K size: ..., V size: ...".
    ServerMemory m = read("""
        [2026-03-11 13:53:21 TP0] Load weight end. elapsed=23.18 s, type=Qwen3ForCausalLM, quant=fp8, avail mem=60.00 GB, mem usage=20.00 GB.
        [2026-03-11 13:53:23 TP0] KV Cache is allocated. dtype: torch.float8_e4m3fn, #tokens: 300000, K size: 3.00 GB, V size: 3.00 GB
        [2026-03-11 13:53:24 TP0] max_total_num_tokens=300000, chunked_prefill_size=8192, context_len=262144, available_gpu_mem=50.00 GB
        """);
    assertFigures(m, 20.00, 6.00, 300_000L);
  }

  @Test
  void sglangsSlidingWindowModelsTwoPoolsAreTheirTotalAndAHybridModelsMambaStateIsCacheToo() throws IOException {
    // mem_cache/swa_memory_pool.py SWAKVPool: each sub-pool prints its line, then "SWAKVPool mem usage: %.2f
    // GB, swa size: %d, full size: %d"; a hybrid (Mamba) model's MambaPool: "Mamba Cache is allocated.
    // max_mamba_cache_size: %d, conv_state size: %.2fGB, ssm_state size: %.2fGB".
    ServerMemory swa = read("""
        [2026-01-01 00:01:01 TP0] KV Cache is allocated. #tokens: 37081, K size: 0.18 GB, V size: 0.18 GB
        [2026-01-01 00:01:01 TP0] KV Cache is allocated. #tokens: 29664, K size: 1.41 GB, V size: 1.41 GB
        [2026-01-01 00:01:01 TP0] SWAKVPool mem usage: 3.18 GB, swa size: 29664, full size: 37081
        """);
    assertEquals(3.18, swa.kvCacheGiB(), 1e-9);
    assertEquals(37_081L, swa.kvCacheTokens(), "the full-context pool's");

    ServerMemory hybrid = read("""
        [2026-01-01 00:01:00] Load weight end. elapsed=60s, type=Qwen3NextForCausalLM, avail mem=60.00 GB, mem usage=20.00 GB.
        [2026-01-01 00:01:01] Mamba Cache is allocated. max_mamba_cache_size: 22, conv_state size: 0.06GB, ssm_state size: 3.23GB
        [2026-01-01 00:01:02] KV Cache is allocated. #tokens: 300000, K size: 3.00 GB, V size: 3.00 GB
        [2026-01-01 00:01:03] max_total_num_tokens=300000, context_len=262144, available_gpu_mem=50.00 GB
        """);
    assertEquals(6.00 + 0.06 + 3.23, hybrid.kvCacheGiB(), 1e-9);
    assertEquals(300_000L, hybrid.kvCacheTokens());
  }

  // ---- llama.cpp, before and after the 2025 KV-cache log rename ---------------------------------------

  @Test
  void llamaCppB4748AsItRanHereReadsItsKvSizeAndKvSelfSizeLines() throws Exception {
    // A real log of this project's realserver (llama-server b4748, February 2025, CPU with AMX, tiny
    // random Llama, 16 slots of 8,192): src/llama-model.cpp load_tensors ("%s: %12s model buffer size =
    // %8.2f MiB"), src/llama-kv-cache.cpp llama_kv_cache_init ("%s: kv_size = %d, offload = %d, ..."),
    // src/llama.cpp llama_init_from_model ("%s: KV self size  = %7.2f MiB, K (%s): ..."). The compute and
    // output buffers are neither.
    ServerMemory m = ServerLog.memory(Path.of(
        ServerLogTest.class.getResource("server-logs/llama-server-b4748-cpu.log").toURI()));
    assertFigures(m, (20.62 + 20.63) / 1024, 0.5, 131_072L);
  }

  @Test
  void llamaCppOf2024SaysLlmLoadTensorsAndTakesItsTokensFromTheContext() throws IOException {
    // A real 2024 log (ggml CI's prefix of time and level): llama.cpp llm_load_tensors ("%s: %10s buffer
    // size = %8.2f MiB"), no kv_size line yet (before b4357), llama_new_context_with_model's n_ctx and
    // "KV self size".
    ServerMemory m = read("""
        0.00.529.700 I llm_load_tensors: ggml ctx size =    0.34 MiB
        0.00.876.814 I llm_load_tensors:        CPU buffer size =   245.62 MiB
        0.00.876.816 I llm_load_tensors:      CUDA0 buffer size =  5049.71 MiB
        0.01.750.665 I llama_new_context_with_model: n_ctx      = 2048
        0.01.750.673 I llama_new_context_with_model: n_batch    = 2048
        0.01.751.978 I llama_kv_cache_init:      CUDA0 KV buffer size =   640.00 MiB
        0.01.751.992 I llama_new_context_with_model: KV self size  =  640.00 MiB, K (f16):  320.00 MiB, V (f16):  320.00 MiB
        0.01.753.025 I llama_new_context_with_model:  CUDA_Host  output buffer size =     0.19 MiB
        0.01.761.493 I llama_new_context_with_model:      CUDA0 compute buffer size =   162.00 MiB
        """);
    assertFigures(m, (245.62 + 5049.71) / 1024, 640.0 / 1024, 2_048L);
  }

  @Test
  void llamaCppOfSpring2025PrintsKvSelfSizeUnderTheUnifiedCachesNameOncePerCache() throws IOException {
    // After the llama_context refactor and before b5600: src/llama-kv-cache.cpp llama_kv_cache_unified
    // ("%s: kv_size = %u, type_k = '%s', ...", "%s: KV self size  = %7.2f MiB, ..."); a sliding-window model's
    // two caches, each with its own kv_size line: the memory is their sum, the tokens the first's.
    ServerMemory m = read("""
        load_tensors:        CUDA0 model buffer size =  6378.40 MiB
        llama_context: n_ctx         = 8192
        llama_kv_cache_unified_iswa: creating non-SWA KV cache, size = 8192 cells
        llama_kv_cache_unified: kv_size = 8192, type_k = 'f16', type_v = 'f16', n_layer = 34, can_shift = 1, padding = 256
        llama_kv_cache_unified:      CUDA0 KV buffer size =   160.00 MiB
        llama_kv_cache_unified: KV self size  =  160.00 MiB, K (f16):   80.00 MiB, V (f16):   80.00 MiB
        llama_kv_cache_unified_iswa: creating     SWA KV cache, size = 1536 cells
        llama_kv_cache_unified: kv_size = 1536, type_k = 'f16', type_v = 'f16', n_layer = 34, can_shift = 1, padding = 256
        llama_kv_cache_unified:      CUDA0 KV buffer size =   150.00 MiB
        llama_kv_cache_unified: KV self size  =  150.00 MiB, K (f16):   75.00 MiB, V (f16):   75.00 MiB
        llama_context:      CUDA0 compute buffer size =   517.12 MiB
        """);
    assertFigures(m, 6378.40 / 1024, 310.0 / 1024, 8_192L);
  }

  @Test
  void llamaCppsOlderRecurrentCachesHoldStatesNotTokens() throws IOException {
    // b4748's llama_kv_cache_init sizes a Mamba model's cache by sequences (kv_size = n_seq_max), which its
    // print_info arch line tells; spring 2025 prints it under llama_kv_cache_recurrent.
    ServerMemory mamba = read("""
        print_info: arch             = mamba
        load_tensors:   CPU_Mapped model buffer size =   256.00 MiB
        llama_kv_cache_init: kv_size = 4, offload = 1, type_k = 'f32', type_v = 'f32', n_layer = 24, can_shift = 0
        llama_init_from_model: KV self size  =   10.50 MiB, K (f32):    1.50 MiB, V (f32):    9.00 MiB
        """);
    assertEquals(10.5 / 1024, mamba.kvCacheGiB(), 1e-9);
    assertNull(mamba.kvCacheTokens());

    ServerMemory rwkv = read("""
        llama_kv_cache_recurrent: kv_size = 4, n_seq_max = 4, type_k = 'f32', type_v = 'f32', n_layer = 32
        llama_kv_cache_recurrent: KV self size  =   33.00 MiB, K (f32):    1.00 MiB, V (f32):   32.00 MiB
        """);
    assertEquals(33.0 / 1024, rwkv.kvCacheGiB(), 1e-9);
    assertNull(rwkv.kvCacheTokens());
  }

  @Test
  void llamaCppsIntermediateSeqsFormsGiveOneStream() throws IOException {
    // b5600 to b5950 printed "%2u seqs" (n_seq_max only, one stream), b5950 to b6100 "%2u/%2u seqs".
    ServerMemory one = read(
        "llama_kv_cache_unified: size = 1536.00 MiB (  4096 cells,  32 layers,  1 seqs), K (f16):  768.00 MiB, V (f16):  768.00 MiB\n");
    assertEquals(4_096L, one.kvCacheTokens());
    ServerMemory padded = read(
        "llama_kv_cache_unified: size = 18432.00 MiB (131072 cells,  36 layers,  1/ 1 seqs), K (f16): 9216.00 MiB, V (f16): 9216.00 MiB\n");
    assertEquals(131_072L, padded.kvCacheTokens());
    assertEquals(18.0, padded.kvCacheGiB(), 1e-9);
  }

  @Test
  void llamaCppsUnifiedCacheIsOneStreamWhateverItsSlots() throws IOException {
    // -np 4 --kv-unified: the slots share one stream of all the cells ("4/1 seqs").
    ServerMemory m = read(
        "llama_kv_cache: size = 1024.00 MiB (  8192 cells,  32 layers,  4/1 seqs), K (f16):  512.00 MiB, V (f16):  512.00 MiB\n");
    assertEquals(8_192L, m.kvCacheTokens());
  }

  // ---- TensorRT-LLM, older builds --------------------------------------------------------------------

  @Test
  void tensorRtLlm08PrintsBytesAndThenTheTokens() throws IOException {
    // TensorRT-LLM 0.8's batch manager (real lines): "Allocate %lu bytes for k/v cache." and "Using %d tokens
    // in paged KV cache." (Triton's backend of the time: "Using %d total tokens in paged KV cache, and %d
    // blocks per sequence"); the engine's size from TensorRT itself.
    ServerMemory m = read("""
        [TensorRT-LLM][INFO] Loaded engine size: 15320 MiB
        [TensorRT-LLM][INFO] [MemUsageChange] TensorRT-managed allocation in IExecutionContext creation: CPU +0, GPU +0, now: CPU 0, GPU 15316 (MiB)
        [TensorRT-LLM][INFO] Allocate 7952400384 bytes for k/v cache.\s
        [TensorRT-LLM][INFO] Using 60672 tokens in paged KV cache.
        """);
    assertFigures(m, 15320.0 / 1024, 7_952_400_384.0 / (1L << 30), 60_672L);

    ServerMemory triton = read("""
        [TensorRT-LLM][INFO] Allocate 21604859904 bytes for k/v cache.
        [TensorRT-LLM][INFO] Using 219776 total tokens in paged KV cache, and 8 blocks per sequence
        """);
    assertEquals(219_776L, triton.kvCacheTokens());
  }
}
