package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The memory lines of vLLM's, SGLang's, llama.cpp's and TensorRT-LLM's logs, as their servers print them, and
 * which of them count.
 */
class ServerLogTest {
  @TempDir
  Path dir;

  private ServerMemory read(String log) throws IOException {
    Path file = dir.resolve("server.log");
    Files.writeString(file, log, StandardCharsets.UTF_8);
    return ServerLog.memory(file);
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
    assertEquals(44.2031, m.modelGiB(), 1e-9);
    assertEquals(62.20, m.kvCacheGiB(), 1e-9);
    assertEquals(1_358_752L, m.kvCacheTokens());
  }

  @Test
  void olderVllmSaysGbForTheWeights() throws IOException {
    ServerMemory m = read("INFO 05-01 model_runner.py:160] Loading model weights took 14.9888 GB\n");
    assertEquals(14.9888, m.modelGiB(), 1e-9);
    assertNull(m.kvCacheGiB());
    assertNull(m.kvCacheTokens());
  }

  @Test
  void sglangsWeightsAndCacheKPlusV() throws IOException {
    ServerMemory m = read("""
        [2025-11-20 10:00:01 TP0] Load weight end. type=LlamaForCausalLM, dtype=torch.bfloat16, avail mem=63.31 GB, mem usage=15.02 GB.
        [2025-11-20 10:00:03 TP0] KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB
        """);
    assertEquals(15.02, m.modelGiB(), 1e-9);
    assertEquals(51.32, m.kvCacheGiB(), 1e-9);
    assertEquals(420_431L, m.kvCacheTokens());
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
    assertEquals(15.02, m.modelGiB(), 1e-9);
    assertEquals(51.32, m.kvCacheGiB(), 1e-9);
    assertEquals(420_431L, m.kvCacheTokens());
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
    assertEquals(3.0, m.modelGiB(), 1e-9);
    assertEquals((512 + 16.5) / 1024, m.kvCacheGiB(), 1e-9);
    assertEquals(4_096L, m.kvCacheTokens());
  }

  @Test
  void llamaCppsLastStartWinsABuildWithoutGitInfoToo() throws IOException {
    ServerMemory m = read("""
        build: 6550 (5a4ff43e7) with cc for x86_64-linux-gnu
        load_tensors:        CUDA0 model buffer size =  4403.49 MiB
        llama_kv_cache_unified: size = 1024.00 MiB (  8192 cells,  32 layers,  1/1 seqs), K (f16):  512.00 MiB, V (f16):  512.00 MiB
        build: 0 (unknown) with cc for x86_64-linux-gnu
        load_tensors:        CUDA0 model buffer size =  2048.00 MiB
        llama_kv_cache: size = 4096.00 MiB ( 32768 cells,  32 layers,  4/4 seqs), K (q8_0): 2048.00 MiB, V (q8_0): 2048.00 MiB
        """);
    assertEquals(2.0, m.modelGiB(), 1e-9);
    assertEquals(4.0, m.kvCacheGiB(), 1e-9);
    assertEquals(32_768L, m.kvCacheTokens());
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
    assertEquals(15.02, m.modelGiB(), 1e-9);
    assertEquals(36.22, m.kvCacheGiB(), 1e-9);
    assertEquals(231_808L, m.kvCacheTokens());
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
    assertEquals(16.10, m.modelGiB(), 1e-9);
    assertEquals(36.22, m.kvCacheGiB(), 1e-9);
    assertEquals(231_808L, m.kvCacheTokens());
  }

  @Test
  void tensorRtLlmsEngineSizeIsItsWeights() throws IOException {
    ServerMemory m = read("""
        [TensorRT-LLM][INFO] Loaded engine size: 15220 MiB
        [TensorRT-LLM][INFO] [MemUsageChange] Allocated 62.99 GiB for max tokens in paged KV cache (294848).
        """);
    assertEquals(15220.0 / 1024, m.modelGiB(), 1e-9);
    assertEquals(62.99, m.kvCacheGiB(), 1e-9);
    assertEquals(294_848L, m.kvCacheTokens());
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
}
