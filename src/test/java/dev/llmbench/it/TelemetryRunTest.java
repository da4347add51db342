package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.requests.RequestResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The server's telemetry end to end against the embedded emulator: its {@code /metrics} (vLLM's names,
 * then SGLang's) scraped while the load runs into {@code server-metrics.csv}, the client's own seconds in
 * {@code timeline.csv}, a stand-in {@code nvidia-smi} into {@code gpu.csv} and {@code summary.json}'s
 * {@code server}; and a target whose {@code /metrics} does not answer: one NOTE, and the run goes on.
 * The load queues requests behind a batch of {@value #MAX_RUNNING}: the emulator's own admission makes
 * the waiting series non-zero, no timing is assumed.
 */
class TelemetryRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RUNNING = 4;
  private static final int CONCURRENCY = 4 * MAX_RUNNING;

  private record Run(GatlingRun.Outcome outcome, Path result, String console) {}

  private static Run vllm;
  private static Path smiCalls;

  @BeforeAll
  static void runWithStandInGpu() throws IOException {
    // A stand-in for nvidia-smi: two GPUs, the first one's memory rising by 1 MiB at each call.
    Path smi = standInNvidiaSmi(results.resolve("bin"));
    smiCalls = smi.resolveSibling("calls");
    vllm = run("vllm", "nvidia.smi", smi.toString());
  }

  private static Run run(String name, String... more) throws IOException {
    Path dir = results.resolve(name);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    GatlingRun.Outcome o;
    try {
      o = GatlingRun.run(ServingSimulation.class, randomLoad(8 * MAX_RUNNING, 64, 120, CONCURRENCY, with(new java.util.HashMap<>(
          Map.of("emulator.max.running", Integer.toString(MAX_RUNNING), "emulator.decode.step.base.us", "4000",
              "metrics.interval.ms", "200")), more).entrySet().stream()
          .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new)), dir);
    } finally {
      System.setOut(console);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    console.print(out);
    assertEquals(0, o.exitCode(), out);
    return new Run(o, resultFolder(name), out);
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return new ArrayList<>(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)
          .getRecords());
    }
  }

  private static double loadEnd(Run r) {
    return ClientTimeline.loadEndSec(r.outcome().requests());
  }

  /** The rows of server-metrics.csv taken while the load ran. */
  private static List<CSVRecord> during(Run r) throws IOException {
    return csv(r.result().resolve("server-metrics.csv")).stream()
        .filter(c -> Double.parseDouble(c.get("time_s")) >= 0 && Double.parseDouble(c.get("time_s")) <= loadEnd(r))
        .toList();
  }

  @Test
  void serverMetricsHoldTheEngineQueueDuringTheLoad() throws IOException {
    List<CSVRecord> all = csv(vllm.result().resolve("server-metrics.csv"));
    assertTrue(Double.parseDouble(all.get(0).get("time_s")) < 0, "one scrape before the first send");
    assertTrue(Double.parseDouble(all.get(all.size() - 1).get("time_s")) > loadEnd(vllm), "one after the last answer");
    List<CSVRecord> during = during(vllm);
    assertTrue(during.size() >= 3, during.size() + " scrapes during the load");
    double running = during.stream().mapToDouble(c -> Double.parseDouble(c.get("requests_running"))).max().orElseThrow();
    double waiting = during.stream().mapToDouble(c -> Double.parseDouble(c.get("requests_waiting"))).max().orElseThrow();
    assertEquals(MAX_RUNNING, running, "the batch fills up to emulator.max.running");
    assertTrue(waiting > 0 && waiting <= CONCURRENCY - MAX_RUNNING, "the rest wait: " + waiting);
    // Counters move with the load: the server generated what the client counted (warm-ups included).
    long generated = vllm.outcome().requests().stream().mapToLong(RequestResult::outputTokens).sum();
    CSVRecord last = all.get(all.size() - 1);
    assertEquals(generated, Double.parseDouble(last.get("generation_tokens")) - Double.parseDouble(all.get(0)
        .get("generation_tokens")), 0.0);

    JsonNode server = JSON.readTree(vllm.result().resolve("summary.json").toFile()).get("server");
    assertEquals(running, server.get("requestsRunningPeak").asDouble());
    assertEquals(waiting, server.get("requestsWaitingPeak").asDouble());
    assertTrue(server.get("kvCacheUsagePeak").asDouble() > 0, server.toString());
    assertTrue(Files.exists(vllm.result().resolve("server-metrics.jsonl")), "the raw pages beside the mapped series");
  }

  @Test
  void timelineHasEverySecondOfTheLoad() throws IOException {
    List<CSVRecord> rows = csv(vllm.result().resolve("timeline.csv"));
    assertEquals((int) Math.floor(loadEnd(vllm)) + 1, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i, Double.parseDouble(rows.get(i).get("time_s")), "one row per second, none left out");
    }
    List<RequestResult> all = vllm.outcome().requests();
    assertEquals(all.stream().filter(RequestResult::ok).count(),
        rows.stream().mapToLong(r -> Long.parseLong(r.get("completed"))).sum(), "every request ends in one second");
    assertEquals(all.stream().mapToLong(r -> r.itlMicros().length + (r.ttftMicros() >= 0 ? 1 : 0)).sum(),
        rows.stream().mapToDouble(r -> Double.parseDouble(r.get("output_tokens_per_s"))).sum(), 1e-6,
        "every content event in one second");
    assertTrue(rows.stream().anyMatch(r -> Double.parseDouble(r.get("requests_in_flight")) > MAX_RUNNING),
        "the client holds more streams than the server runs");
  }

  @Test
  void standInNvidiaSmiGivesGpuCsvAndVram() throws IOException {
    List<CSVRecord> gpu = csv(vllm.result().resolve("gpu.csv"));
    int calls = Integer.parseInt(Files.readString(smiCalls).strip());
    assertEquals(2L * calls, gpu.size(), "two GPUs per sample, every sample taken");
    assertEquals("", gpu.get(1).get("utilization_pct"), "[N/A] is an empty cell");
    // VRAM summed over both GPUs, per sample, in time order.
    List<double[]> samples = new ArrayList<>(); // time_s, used
    for (int i = 0; i < gpu.size(); i += 2) {
      samples.add(new double[] {Double.parseDouble(gpu.get(i).get("time_s")),
          Double.parseDouble(gpu.get(i).get("memory_used_mib")) + Double.parseDouble(gpu.get(i + 1).get("memory_used_mib"))});
    }
    double end = loadEnd(vllm);
    double before = samples.stream().filter(s -> s[0] < 0).reduce((a, b) -> b).orElseThrow()[1];
    double after = samples.stream().filter(s -> s[0] > end).findFirst().orElseThrow()[1];
    double peak = samples.stream().filter(s -> s[0] >= 0 && s[0] <= end).mapToDouble(s -> s[1]).max().orElseThrow();
    JsonNode server = JSON.readTree(vllm.result().resolve("summary.json").toFile()).get("server");
    assertEquals(2, server.get("gpus").asInt());
    assertEquals(before, server.get("vramBeforeMiB").asDouble());
    assertEquals(peak, server.get("vramPeakMiB").asDouble());
    assertEquals(after, server.get("vramAfterMiB").asDouble());
    assertTrue(before < peak && peak < after, "the stand-in's memory rises at each call");
    assertEquals(Double.parseDouble(gpu.get(0).get("memory_total_mib")) * 2, server.get("vramTotalMiB").asDouble());
  }

  @Test
  void sglangDialectIsScrapedUnderTheSameNames() throws IOException {
    Run sglang = run("sglang", "emulator.dialect", "sglang", "nvidia.smi", "off");
    String page = Files.readString(sglang.outcome().runFolder().resolve("server-metrics.jsonl"));
    assertTrue(page.contains("sglang:num_running_reqs") && !page.contains("vllm:num_requests_running"));
    List<CSVRecord> during = during(sglang);
    assertTrue(during.stream().anyMatch(c -> Double.parseDouble(c.get("requests_running")) > 0));
    assertTrue(during.stream().anyMatch(c -> Double.parseDouble(c.get("requests_waiting")) > 0));
    assertFalse(Files.exists(sglang.result().resolve("gpu.csv")), "nvidia.smi=off samples no GPU");
  }

  @Test
  void aTargetWithoutMetricsGivesOneNoteAndTheRunGoesOn() throws IOException {
    Run none = run("none", "metrics.url", "http://127.0.0.1:1/metrics", "nvidia.smi", "off");
    long notes = none.console().lines().filter(l -> l.contains("NOTE") && l.contains("metrics")).count();
    assertEquals(1, notes, none.console());
    assertFalse(Files.exists(none.result().resolve("server-metrics.csv")));
    assertTrue(Files.exists(none.result().resolve("timeline.csv")));
    assertNull(JSON.readTree(none.result().resolve("summary.json").toFile()).get("server"));
  }
}
