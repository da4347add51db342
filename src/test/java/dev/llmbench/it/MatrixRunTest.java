package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.PostRun;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.MatrixSimulation;

/**
 * A smoke run of the ISL/OSL matrix against the emulator, given a saved vLLM log: its result folder
 * has bench_full.py's table, every required column filled from the run's own requests and the log.
 */
class MatrixRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  private static GatlingRun.Outcome run;

  @BeforeAll
  static void runMatrix() throws IOException {
    Path log = work.resolve("vllm.log");
    Files.writeString(log, """
        INFO 11-20 10:01:02 [gpu_model_runner.py:1843] Model loading took 15.5 GiB and 6.1 seconds
        INFO 11-20 10:01:40 [gpu_worker.py:276] Available KV cache memory: 58.25 GiB
        INFO 11-20 10:01:41 [kv_cache_utils.py:1013] GPU KV cache size: 477,184 tokens
        """);
    run = GatlingRun.run(MatrixSimulation.class, Map.of("size", "smoke", "server.log", log.toString(),
        "emulator.decode.step.base.us", "1000", "emulator.decode.step.per.seq.us", "0"), work.resolve("gatling"));
    assertEquals(0, run.exitCode());
  }

  private static Path resultFolder() throws IOException {
    try (Stream<Path> s = Files.list(work.resolve("gatling").resolve("reports").resolve("emulator"))) {
      List<Path> folders = s.toList();
      assertEquals(1, folders.size());
      return folders.get(0);
    }
  }

  @Test
  void matrixCsvHasEveryConfigurationWithTheMeansOfItsOwnRequests() throws IOException {
    List<CSVRecord> rows;
    try (Reader in = Files.newBufferedReader(resultFolder().resolve("matrix.csv"))) {
      rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
    }
    // The core set at 1/8 of its lengths, in the matrix's order.
    assertEquals(List.of("matrix-16-16", "matrix-32-32", "matrix-128-128", "matrix-128-16", "matrix-16-128"),
        rows.stream().map(r -> r.get("group")).toList());
    for (CSVRecord row : rows) {
      List<RequestResult> measured = run.requests().stream()
          .filter(q -> !q.warmup() && q.ok() && q.group().equals(row.get("group"))).toList();
      assertEquals(Long.toString(measured.size()), row.get("completed"));
      assertTrue(measured.size() >= 2, "the smoke size's measured runs");
      double decode = measured.stream()
          .mapToDouble(q -> q.outputTokens() * 1e6 / (q.e2eMicros() - q.ttftMicros())).average().orElseThrow();
      assertEquals(decode, Double.parseDouble(row.get("decode_throughput_tok_s")), decode * 1e-5, row.toString());
      double e2e = measured.stream().mapToDouble(q -> q.outputTokens() * 1e6 / q.e2eMicros()).average().orElseThrow();
      assertEquals(e2e, Double.parseDouble(row.get("e2e_throughput_tok_s")), e2e * 1e-5, row.toString());
      assertTrue(decode > e2e, "the prefill is left out of the decode throughput: " + row);
      assertTrue(!row.get("category").isEmpty() && !row.get("label").isEmpty(), row.toString());
      assertEquals("15.5", row.get("model_memory_gib"));
      assertEquals("58.25", row.get("kv_cache_gib"));
      assertEquals("477184", row.get("kv_cache_tokens"));
    }
    // 1024/1024 at 1/8 runs as 128/128, which is also a configuration of the full matrix: the size says which.
    assertEquals("standard chat (primary comparison point)", rows.get(2).get("label"));
    assertEquals("micro-benchmark baseline (peak decode speed)", rows.get(0).get("label"));
    assertEquals("decode-heavy", rows.get(4).get("category"));
    assertEquals("code generation", rows.get(4).get("label"));
  }

  @Test
  void summaryJsonAndTheConsoleBlockCarryTheTable() throws IOException {
    JsonNode summary = JSON.readTree(resultFolder().resolve("summary.json").toFile());
    assertEquals(5, summary.get("matrix").size());
    assertEquals(477_184, summary.get("serverMemory").get("kvCacheTokens").asLong());
    // The run read the log as it ended: a rebuild after the log is gone gives the same figures, whole.
    assertEquals(58.25, JSON.readTree(run.runFolder().resolve("llm-run.json").toFile())
        .get("serverMemory").get("kvCacheGiB").asDouble(), 1e-9);
    Files.delete(work.resolve("vllm.log"));
    PostRun.Outcome rebuilt = PostRun.process(run.runFolder(), work.resolve("rebuilt"), work, Instant.now());
    String block = PostRun.resultBlock(rebuilt);
    assertTrue(block.contains("ISL/OSL matrix (bench_full.py's table"), block);
    assertTrue(block.contains("477,184"), block);
    assertTrue(!rebuilt.partial(), rebuilt.problems().toString());
  }
}
