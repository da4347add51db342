package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.io.PosixModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryIndexTest {
  @TempDir
  Path reports;

  @Test
  void theIndexIsReplacedAndGetsTheUmasksModeNotOwnerOnly() throws IOException {
    SummaryIndex.rebuild(reports);
    Path index = SummaryIndex.rebuild(reports);
    assertEquals(reports.resolve("summary").resolve("index.csv"), index);
    assertTrue(Files.readString(index).startsWith("framework,result_folder,group,"));
    try (Stream<Path> s = Files.list(index.getParent())) {
      assertEquals(List.of(index), s.toList(), "no temporary file left behind");
    }
    PosixModes.assertAsUmask(index);
  }

  @Test
  void eachGroupsRowEndsWithItsMatrixThroughputsAndTheServersMemoryWhenTheRunHadThem() throws IOException {
    Path withLog = Files.createDirectories(reports.resolve("vllm").resolve("matrix-20261125-100000"));
    Files.writeString(withLog.resolve("summary.json"), """
        {"metadata": {"startedAt": "2026-11-25T10:00:00Z", "model": "m", "serverVersion": "0.11.0"},
         "groups": [{"group": "matrix-128-128", "completed": 3}, {"group": "matrix-256-256", "completed": 3}],
         "matrix": [{"group": "matrix-256-256", "mean_decode_throughput": 41.5, "mean_e2e_throughput": 38.25},
                    {"group": "matrix-128-128", "mean_decode_throughput": 52.0, "mean_e2e_throughput": null}],
         "serverMemory": {"source": "vllm.log", "modelGiB": 15.2, "kvCacheGiB": 58.25, "kvCacheTokens": null}}
        """);
    Path without = Files.createDirectories(reports.resolve("vllm").resolve("smoke-20261125-110000"));
    Files.writeString(without.resolve("summary.json"), """
        {"metadata": {"startedAt": "2026-11-25T11:00:00Z", "model": "m"}, "groups": [{"group": "smoke"}]}
        """);
    List<String> lines = Files.readAllLines(SummaryIndex.rebuild(reports));
    assertTrue(lines.get(0).endsWith(",p99_itl_ms,items_per_second,median_e2e_latency_ms,p99_e2e_latency_ms,"
        + "mean_decode_throughput,mean_e2e_throughput,"
        + "model_memory_gib,kv_cache_gib,kv_cache_tokens,server_version"), lines.get(0));
    // Each group's own matrix row, matched by name, not by position; an unknown figure is empty.
    assertTrue(lines.get(1).startsWith("vllm,matrix-20261125-100000,matrix-128-128,")
        && lines.get(1).endsWith(",52.0,,15.2,58.25,,0.11.0"), lines.get(1));
    assertTrue(lines.get(2).endsWith(",41.5,38.25,15.2,58.25,,0.11.0"), "every group of the run: " + lines.get(2));
    assertTrue(lines.get(3).startsWith("vllm,smoke-20261125-110000,smoke,") && lines.get(3).endsWith(",,,,,,,,,"),
        "a run neither of the matrix nor with a log nor a server version: " + lines.get(3));
  }

  @Test
  void memoryBelowOneGibKeepsItsDecimalsAndNoExponent() throws IOException {
    // llama.cpp b4748 with a tiny model: 41.25 MiB of weights, 512 MiB of cache, and a state below 1 MiB,
    // which a double would print as 4.88E-4.
    Path run = Files.createDirectories(reports.resolve("llamacpp").resolve("matrix-20261125-100000"));
    Files.writeString(run.resolve("summary.json"), """
        {"metadata": {"startedAt": "2026-11-25T10:00:00Z", "model": "tiny"}, "groups": [{"group": "matrix-16-16"}],
         "serverMemory": {"source": "server.log", "modelGiB": 0.040283, "kvCacheGiB": 0.000488, "kvCacheTokens": 131072}}
        """);
    List<String> lines = Files.readAllLines(SummaryIndex.rebuild(reports));
    assertTrue(lines.get(1).endsWith(",0.040283,0.000488,131072,"), "then no server version: " + lines.get(1));
  }

  @Test
  void aPoolingGroupHasItsItemsPerSecondAndLatencyAndNoTokenFigures() throws IOException {
    Path run = Files.createDirectories(reports.resolve("emulator").resolve("score-smoke-20261206-180000"));
    Files.writeString(run.resolve("summary.json"), """
        {"metadata": {"startedAt": "2026-12-06T18:00:00Z", "model": "m"},
         "groups": [{"group": "batch=8 labels=2", "completed": 30, "failed": 0, "request_throughput": 17.5,
                     "output_throughput": 0, "median_ttft_ms": 0, "total_items": 240, "items_per_second": 140.0,
                     "median_e2e_latency_ms": 54.8, "p99_e2e_latency_ms": 58.0}]}
        """);
    List<String> lines = Files.readAllLines(SummaryIndex.rebuild(reports));
    assertTrue(lines.get(1).contains(",30,0,17.5,,,,,,,140.0,54.8,58.0,"), lines.get(1));
  }
}
