package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.MergeCommand;
import dev.llmbench.cli.PostRunCommand;
import dev.llmbench.config.Props;
import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.emulator.GroundTruth;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.report.ShardMerge;
import dev.llmbench.report.input.RequestRecord;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.input.SimulationLogReader;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.stats.Numpy;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.tools.CompareRuns;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The local proof of scaling out (docs/scaling-out.md): three shard processes of {@code ServingSimulation}
 * ({@code -Dinjector.index=0..2 -Dinjector.count=3}, one {@code -Dstart.at}) against one emulator on
 * loopback, merged by {@code exec:java@merge}'s command, and checked against the emulator's ground truth:
 * every request the emulator served is in the merged run once, the output tokens are the emulator's, the
 * merged TTFT and ITL percentiles are those of all the shards' requests taken together, and each request's
 * client-side times hold the server's (the client's TTFT is at least the emulator's, its send, moved onto
 * shard 0's clock, is no later than the emulator saw it arrive); the merged run's one {@code simulation.log}
 * holds every shard's requests and Gatling's reports-only mode renders it.
 */
class ShardMergeTest extends EmulatorRuns {
  private static final int SHARDS = 3;
  private static final int PROMPTS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void threeShardsMergeIntoOneRunThatTheEmulatorConfirms() throws Exception {
    try (LlmEmulator emulator = new LlmEmulator(EmulatorConfig.fromProperties(Props.of(Map.of("emulator.port", "0",
        "emulator.decode.step.base.us", "2000", "emulator.prefill.tps", "1000000")))).start()) {
      // A common start late enough for every JVM to be ready: each waits for it before its load.
      long startAt = System.currentTimeMillis() + 8_000;
      List<Process> shards = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (int i = 0; i < SHARDS; i++) {
        Map<String, String> props = randomLoad(PROMPTS, 16, 24, 6, "target.url", emulator.baseUrl(), "framework",
            "emulator", "quiet", "true", "baseline.compare", "false", "injector.index", Integer.toString(i),
            "injector.count", Integer.toString(SHARDS), "start.at", Long.toString(startAt));
        Path log = results.resolve("shard-" + i + ".log");
        logs.add(log);
        shards.add(CompareRuns.gatlingProcess("simulations.ServingSimulation", results.resolve("gatling-" + i),
            results.resolve("reports-" + i), props, null).redirectErrorStream(true).redirectOutput(log.toFile()).start());
      }
      for (int i = 0; i < SHARDS; i++) {
        assertTrue(shards.get(i).waitFor(3, TimeUnit.MINUTES), "shard " + i + " ends");
        assertEquals(0, shards.get(i).exitValue(), "shard " + i + ": " + Files.readString(logs.get(i)));
      }
      List<Path> folders = new ArrayList<>();
      List<RequestResult> everyShards = new ArrayList<>();
      for (int i = 0; i < SHARDS; i++) {
        Path f = runFolder(results.resolve("gatling-" + i));
        folders.add(f);
        everyShards.addAll(RequestLogReader.read(f.resolve(RequestLogWriter.FILE_NAME)).requests());
        RunDescription d = RunDescriptionFile.read(f.resolve(RunDescriptionFile.FILE_NAME));
        assertEquals(i, d.injectors().index());
        assertEquals(SHARDS, d.injectors().count());
        assertEquals(startAt, d.injectors().startAtEpochMs());
      }

      // Every shard waited for the common start before its first request, warm-ups included.
      assertTrue(everyShards.stream().allMatch(r -> r.sentEpochMicros() >= startAt * 1_000),
          "no request before start.at " + startAt);

      Path reports = results.resolve("reports");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      // Given in another order than the indices: the command orders them.
      int code = MergeCommand.run(new String[] {folders.get(2).toString(), folders.get(0).toString(),
          folders.get(1).toString()}, Props.of(Map.of("llmbench.reports.dir", reports.toString(), "baseline.compare",
          "false")), Map.of(), Path.of("."), Instant.now(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(PostRunCommand.OK, code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));

      Path merged = folders.get(0).resolveSibling(folders.get(0).getFileName() + "-merged");
      List<RequestResult> rows = RequestLogReader.read(merged.resolve(RequestLogWriter.FILE_NAME)).requests();
      GroundTruth truth = emulator.groundTruth();
      // Every request the emulator served the load is in the merged run once, warm-ups (one per shard) included
      // (the rest are each shard's prompt-sizing probes, sent without the load's request ids).
      List<RequestTrace> load = truth.all().stream()
          .filter(t -> t.clientRequestId() != null && t.clientRequestId().startsWith("llmb-")).toList();
      assertEquals(load.size(), rows.size(), truth.all().toString());
      assertEquals(rows.size(), rows.stream().map(RequestResult::requestId).distinct().count(), "ids are unique");
      List<RequestResult> measured = rows.stream().filter(r -> !r.warmup()).toList();
      assertEquals(PROMPTS, measured.size(), "the shards sent the whole run's prompts, each once");
      long tokens = 0;
      long truthTokens = 0;
      for (RequestResult r : measured) {
        RequestTrace t = truth.byClientRequestId(r.requestId());
        assertNotNull(t, "the emulator served " + r.requestId());
        tokens += r.outputTokens();
        truthTokens += t.completionTokens();
        assertTrue(r.ttftMicros() * 1_000 >= t.ttftNanos() - 1_000, "the client's TTFT holds the server's: " + r);
        // One machine, one monotonic clock: after the shift onto shard 0's clock, the send still precedes the arrival.
        assertTrue(r.sentNanos() <= t.arrivalNanos() + 1_000 && t.arrivalNanos() <= r.sentNanos() + r.e2eMicros() * 1_000,
            "aligned send " + r.sentNanos() + " vs arrival " + t.arrivalNanos());
      }
      assertEquals(truthTokens, tokens, "output tokens as the emulator sent them");

      // The result: counts the sum of the shards', percentiles over all requests together.
      Path result = onlyResult(reports.resolve("emulator"));
      JsonNode summary = JSON.readTree(result.resolve("summary.json").toFile());
      JsonNode g = summary.get("groups").get(0);
      assertEquals(PROMPTS, g.get("completed").asInt());
      assertEquals(tokens, g.get("total_output_tokens").asLong());
      List<RequestResult> all = everyShards.stream().filter(r -> !r.warmup()).toList();
      double[] ttft = all.stream().mapToDouble(r -> r.ttftMicros() / 1000.0).sorted().toArray();
      double[] itl = all.stream().flatMapToLong(r -> LongStream.of(r.itlMicros())).mapToDouble(v -> v / 1000.0)
          .sorted().toArray();
      for (String p : List.of("p90", "p99")) {
        double q = Double.parseDouble(p.substring(1));
        assertEquals(Numpy.percentile(ttft, q), g.get(p + "_ttft_ms").asDouble(), 1e-3, p + " TTFT");
        assertEquals(Numpy.percentile(itl, q), g.get(p + "_itl_ms").asDouble(), 1e-3, p + " ITL");
      }
      assertEquals(Numpy.percentile(ttft, 50), g.get("median_ttft_ms").asDouble(), 1e-3);
      assertEquals(itl.length, g.get("count_itl").asLong());
      JsonNode params = summary.get("metadata").get("parameters");
      assertEquals(Integer.toString(SHARDS), params.get("injectorCount").asText());
      assertFalse(params.has("injectorIndex"), "a merged run is every shard");
      assertEquals(Long.toString(startAt), params.get("startAtEpochMs").asText());
      JsonNode metadata = JSON.readTree(result.resolve("metadata.json").toFile());
      assertFalse(metadata.get("partial").asBoolean(), "each shard's simulation.log agrees with its requests: "
          + metadata.get("problems"));
      RunDescription d = RunDescriptionFile.read(merged.resolve(RunDescriptionFile.FILE_NAME));
      assertEquals(List.of(0, 1, 2), d.injectors().shards().stream().map(s -> s.index()).toList());
      for (int i = 0; i < SHARDS; i++) {
        assertTrue(Files.isRegularFile(merged.resolve(ShardMerge.shardFolder(i)).resolve("simulation.log")));
      }

      // One simulation.log of every shard's records, and Gatling's own report of it.
      long shardRequests = 0;
      for (Path f : folders) {
        shardRequests += requestRecords(f.resolve("simulation.log"));
      }
      assertEquals(shardRequests, requestRecords(merged.resolve("simulation.log")), "the shards' requests, summed");
      assertTrue(Files.isRegularFile(merged.resolve("index.html")), "the merged Gatling report: "
          + err.toString(StandardCharsets.UTF_8));
      assertFalse(err.toString(StandardCharsets.UTF_8).contains("WARN no merged Gatling report"));
    }
  }

  /** The request records of a simulation.log, read to its end. */
  private static long requestRecords(Path log) throws IOException {
    long[] n = {0};
    SimulationLogReader.read(log, new SimulationLogReader.Visitor() {
      @Override
      public void onRequest(RequestRecord r) {
        n[0]++;
      }
    }).requireComplete();
    return n[0];
  }

  /** The one Gatling run folder in {@code dir}. */
  private static Path runFolder(Path dir) {
    File[] f = dir.toFile().listFiles(x -> x.isDirectory() && new File(x, RequestLogWriter.FILE_NAME).isFile());
    assertEquals(1, f == null ? 0 : f.length, "one run folder in " + dir);
    return f[0].toPath();
  }

  private static Path onlyResult(Path dir) {
    File[] f = dir.toFile().listFiles(File::isDirectory);
    assertEquals(1, f == null ? 0 : f.length, "one result folder in " + dir);
    return f[0].toPath();
  }
}
