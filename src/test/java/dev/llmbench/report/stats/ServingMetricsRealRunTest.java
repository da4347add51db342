package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.it.GatlingRun;
import dev.llmbench.llm.run.RunFiles;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.render.ReportFormatFactory;
import dev.llmbench.report.render.ReportFormatType;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * The metrics of a real smoke run (Gatling in this JVM against the embedded emulator) agree with the
 * side file they were computed from, and the three formats write them.
 */
class ServingMetricsRealRunTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  static Path results;

  private static Path runFolder;
  private static List<RequestResult> rows;
  private static RunSummary summary;

  @BeforeAll
  static void runSmoke() throws IOException {
    GatlingRun.Outcome run = GatlingRun.run(SmokeSimulation.class, Map.of(), results);
    assertEquals(0, run.exitCode(), "the smoke run passes its assertions");
    runFolder = run.runFolder();
    RequestLogReader.Result read = RequestLogReader.read(runFolder.resolve(RequestLogWriter.FILE_NAME));
    assertEquals(0, read.truncatedAtLine());
    rows = read.requests();
    summary = ServingMetrics.summarize(metadata(runFolder), rows);
  }

  /** The run's description, read here only to label the summary (reading it is report.input's job). */
  private static RunMetadata metadata(Path folder) throws IOException {
    JsonNode run = MAPPER.readTree(folder.resolve(RunFiles.RUN_FILE).toFile());
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String key : List.of("numPrompts", "maxConcurrency", "requestRates", "seed", "warmupRequests", "size")) {
      parameters.put(key, run.path(key).toString());
    }
    return RunMetadata.of(folder.getFileName().toString(), run.path("startedAt").asText(), run.path("profile").asText(),
        run.path("framework").asText(""), run.path("backend").asText(), run.path("model").asText(),
        run.path("targetUrl").asText(), run.path("serverHardware").asText(""), parameters);
  }

  private static List<RequestResult> measured(String group) {
    return rows.stream().filter(r -> !r.warmup() && r.group().equals(group)).toList();
  }

  @Test
  void everyMeasuredRequestIsInExactlyOneGroup() {
    long measured = rows.stream().filter(r -> !r.warmup()).count();
    assertTrue(measured >= 32, "the smoke profile sends 32 requests, got " + measured);
    assertTrue(rows.stream().anyMatch(RequestResult::warmup), "the run had a warm-up");
    assertEquals(measured, summary.groups().stream().mapToLong(GroupMetrics::measured).sum());
    assertEquals(rows.size(), summary.requests().size());
  }

  @Test
  void countsAndTokensAreTheSideFilesSums() {
    for (GroupMetrics g : summary.groups()) {
      List<RequestResult> m = measured(g.group());
      List<RequestResult> ok = m.stream().filter(RequestResult::ok).toList();
      assertEquals(ok.size(), g.completed(), g.group());
      assertEquals(m.size() - ok.size(), g.failed(), g.group());
      assertEquals(0, g.failed(), "the smoke run has no failures");
      assertEquals(ok.stream().mapToLong(RequestResult::outputTokens).sum(), g.totalOutputTokens());
      assertEquals(ok.stream().mapToLong(RequestResult::promptTokens).sum(), g.totalInputTokens());
      assertEquals(ok.stream().mapToLong(r -> r.itlMicros().length).sum(), g.itlMs().count());
      assertEquals(ok.stream().mapToLong(r -> r.itlMicros().length + 1).sum(), g.tokensPerChunk().count());
      assertEquals(ok.stream().filter(r -> r.outputTokens() > 1).count(), g.tpotMs().count());
      assertEquals(ok.size(), g.ttftMs().count());
    }
  }

  @Test
  void latenciesLieWithinTheRows() {
    for (GroupMetrics g : summary.groups()) {
      List<RequestResult> ok = measured(g.group()).stream().filter(RequestResult::ok).toList();
      long ttftMin = ok.stream().mapToLong(RequestResult::ttftMicros).min().orElseThrow();
      long ttftMax = ok.stream().mapToLong(RequestResult::ttftMicros).max().orElseThrow();
      assertTrue(g.ttftMs().median() >= ttftMin / 1e3 && g.ttftMs().median() <= ttftMax / 1e3, g.ttftMs().toString());
      assertTrue(g.ttftMs().mean() >= ttftMin / 1e3 && g.ttftMs().mean() <= ttftMax / 1e3, g.ttftMs().toString());
      assertEquals(ttftMax / 1e3, g.ttftMs().max(), 1e-9);
      long e2eMax = ok.stream().mapToLong(RequestResult::e2eMicros).max().orElseThrow();
      assertEquals(e2eMax / 1e3, g.e2eMs().max(), 1e-9);
      long itlMax = ok.stream().flatMapToLong(r -> java.util.Arrays.stream(r.itlMicros())).max().orElse(0);
      assertEquals(itlMax / 1e3, g.itlMs().max(), 1e-9);
      assertTrue(g.ttftMs().p99() <= g.ttftMs().max() && g.e2eMs().median() >= g.ttftMs().median() - 1e-9);
    }
  }

  @Test
  void durationSpansTheRequestsAndRatesFollowFromIt() {
    for (GroupMetrics g : summary.groups()) {
      List<RequestResult> m = measured(g.group());
      long first = m.stream().mapToLong(RequestResult::sentEpochMicros).min().orElseThrow();
      long last = m.stream().mapToLong(r -> r.sentEpochMicros() + r.e2eMicros()).max().orElseThrow();
      double wallSeconds = (last - first) / 1e6;
      assertEquals(wallSeconds, g.durationSeconds(), 0.05, "monotonic and wall-clock spans agree");
      assertTrue(g.durationSeconds() * 1e6 >= m.stream().mapToLong(RequestResult::e2eMicros).max().orElseThrow() - 1);
      assertEquals(g.completed() / g.durationSeconds(), g.requestThroughput(), 1e-9);
      assertEquals(g.totalOutputTokens() / g.durationSeconds(), g.outputThroughput(), 1e-9);
      double e2eSum = m.stream().filter(RequestResult::ok).mapToLong(RequestResult::e2eMicros).sum() / 1e6;
      assertEquals(e2eSum / g.durationSeconds(), g.concurrency(), 1e-9);
      assertTrue(g.concurrency() > 0 && g.concurrency() <= 8 + 1e-6,
          "at most the smoke profile's 8 streams at once, got " + g.concurrency());
    }
  }

  @Test
  void theThreeFormatsWriteTheRun() throws IOException {
    Map<ReportFormatType, Path> files = new LinkedHashMap<>();
    for (ReportFormatType type : ReportFormatType.values()) {
      Path file = results.resolve(type.fileName());
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        ReportFormatFactory.create(type).write(summary, out);
      }
      files.put(type, file);
    }
    JsonNode json = MAPPER.readTree(files.get(ReportFormatType.JSON).toFile());
    assertEquals(RunSummary.SCHEMA_VERSION, json.path("schemaVersion").asInt());
    List<Long> completed = new ArrayList<>();
    json.path("groups").forEach(g -> completed.add(g.path("completed").asLong()));
    assertEquals(summary.groups().stream().map(GroupMetrics::completed).toList(), completed);
    assertEquals(summary.groups().get(0).ttftMs().median(),
        json.path("groups").get(0).path("median_ttft_ms").asDouble(), 1e-6);
    assertEquals(summary.groups().size(), csv(files.get(ReportFormatType.CSV)).size());
    List<CSVRecord> requests = csv(files.get(ReportFormatType.REQUESTS_CSV));
    assertEquals(rows.size(), requests.size());
    assertFalse(requests.stream().anyMatch(r -> r.get("e2e_ms").isEmpty()));
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return CSVFormat.Builder.create(CSVFormat.RFC4180).setHeader().setSkipHeaderRecord(true).get().parse(in)
          .getRecords();
    }
  }
}
