package dev.llmbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.llm.LlmSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The injector benchmark reads the post-run step's share of the load's CPU from the line a run prints. */
class PostRunShareTest {
  @TempDir Path dir;

  @Test
  void theShareIsReadFromTheLineTheRunPrints() throws Exception {
    String line = LlmSimulation.postRunCpuLine(1_520_000_000L, 20_700_000_000L);
    assertEquals("llm-serving-bench: post-run CPU 1.52 s (7.3 % of the load's 20.70 s)", line);
    Path log = Files.writeString(dir.resolve("gatling.log"), "Benchmark Results:\n" + line + "\nParsing log file(s)...\n");
    assertEquals(100.0 * 1.52 / 20.7, InjectorBenchmark.postRunShare(log), 0.05);
  }

  @Test
  void withoutTheLoadsCpuOrTheLineThereIsNoShare() throws Exception {
    String line = LlmSimulation.postRunCpuLine(1_520_000_000L, 0);
    assertEquals("llm-serving-bench: post-run CPU 1.52 s", line);
    assertTrue(Double.isNaN(InjectorBenchmark.postRunShare(Files.writeString(dir.resolve("a.log"), line + "\n"))));
    assertTrue(Double.isNaN(InjectorBenchmark.postRunShare(dir.resolve("none.log"))));
  }
}
