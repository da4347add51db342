package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.PostRunCommand;
import dev.llmbench.config.Props;
import dev.llmbench.io.PosixModes;
import dev.llmbench.it.GatlingRun;
import dev.llmbench.report.input.CapacityFile;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.CapacitySearchResult;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.render.CapacityFormats;
import dev.llmbench.report.stats.ValidityCheck;
import dev.llmbench.requests.RequestLogWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/** The post-run step on a real smoke run: automatic at the end of the run, and standalone. */
class PostRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  private static GatlingRun.Outcome run;
  private static final String SERVER = "the emulator, on the test's machine";

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of("server.hardware", SERVER), work.resolve("gatling"));
    assertEquals(0, run.exitCode());
  }

  private static List<Path> resultFolders(Path reports) throws IOException {
    try (Stream<Path> s = Files.list(reports.resolve("emulator"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void theRunWritesItsResultFolderByItself() throws IOException {
    List<Path> folders = resultFolders(work.resolve("gatling").resolve("reports"));
    assertEquals(1, folders.size());
    Path folder = folders.get(0);
    assertTrue(folder.getFileName().toString().startsWith("smoke-"), folder.toString());
    for (String file : List.of("summary.json", "summary.csv", "requests.csv", "metadata.json", "gatling-report.txt",
        "index.html")) {
      assertTrue(Files.isRegularFile(folder.resolve(file)), file + " written");
      PosixModes.assertAsUmask(folder.resolve(file));
    }
    PosixModes.assertAsUmask(folder);
    PosixModes.assertAsUmask(work.resolve("gatling").resolve("reports").resolve("summary").resolve("index.csv"));
    JsonNode metadata = JSON.readTree(folder.resolve("metadata.json").toFile());
    assertFalse(metadata.get("partial").asBoolean(), metadata.toString());
    assertEquals("3.15.1", metadata.get("gatlingVersion").asText(), "read from the log's header");
    assertEquals("emulator", metadata.get("run").get("framework").asText());
    assertEquals(SERVER, metadata.get("run").get("serverHardware").asText(), "-Dserver.hardware, kept with the result");
    assertEquals(SERVER, dev.llmbench.report.baseline.Baselines.hardware(metadata).get("server"),
        "and compared with a baseline's");
    assertTrue(Files.readString(folder.resolve("gatling-report.txt")).contains(run.runFolder().getFileName().toString()));
    String summary = Files.readString(folder.resolve("summary.json"));
    assertTrue(summary.contains("\"completed\""), "bench_serving's key names");
    assertEquals(SERVER, JSON.readTree(summary).get("metadata").get("serverHardware").asText(), "in summary.json");
    assertTrue(Files.readString(folder.resolve("index.html")).contains("<th>Server hardware</th><td>"
        + SERVER.replace("'", "&#39;") + "</td>"), "on the result page, escaped");
    long measured = run.requests().stream().filter(r -> !r.warmup()).count();
    assertEquals(measured, Files.readAllLines(folder.resolve("requests.csv")).size() - 2, "a row per request, warm-up included, plus header");
  }

  @Test
  void standaloneRebuildNeverOverwritesAndAgreesWithTheSideFile() throws IOException {
    Path reports = work.resolve("standalone");
    PostRun.Outcome first = PostRun.process(run.runFolder(), reports, Path.of("."), Instant.now());
    PostRun.Outcome second = PostRun.process(run.runFolder(), reports, Path.of("."), Instant.now());
    assertNotEquals(first.resultFolder(), second.resultFolder(), "an earlier result is never overwritten");
    assertFalse(first.partial(), first.problems().toString());
    List<String> index = Files.readAllLines(reports.resolve("summary").resolve("index.csv"));
    assertEquals(1 + 2, index.size(), "a header and one row per result folder (one group each)");
    assertTrue(index.get(0).startsWith("framework,result_folder,group"), index.get(0));
    assertTrue(index.get(1).startsWith("emulator," + first.resultFolder().getFileName() + ",smoke,"), index.get(1));
    // The verdict the rules give for the figures the run recorded: valid on a quiet machine, client-bound
    // on one busy with another build; the rules themselves are ValidityCheckTest's.
    JsonNode runFile = JSON.readTree(run.runFolder().resolve("llm-run.json").toFile());
    Validity expected = ValidityCheck.judge(ValidityJson.monitor(runFile.get("monitor")),
        ValidityJson.thresholds(runFile.get("validity").get("thresholds")), false);
    String verdict = expected.verdict().wireName();
    assertTrue(index.get(0).contains(",partial,validity,") && index.get(1).contains(",false," + verdict + ","),
        "the verdict beside partial: " + index);
    assertTrue(index.get(0).contains(",model,server_hardware,partial,")
        && index.get(1).contains(",\"" + SERVER + "\",false,"),
        "the server's label beside the model: " + index);
    long ok = run.requests().stream().filter(r -> !r.warmup() && r.ok()).count();
    assertEquals(ok, first.summary().groups().get(0).completed());
    String block = PostRun.resultBlock(first);
    assertTrue(block.contains("- Framework: emulator") && block.contains("- Median TTFT:"), block);
    assertTrue(block.contains(expected.clientBound() ? "Validity: CLIENT-BOUND" : "Validity: valid ("),
        "the verdict, judged again from llm-run.json: " + block);
    assertEquals(verdict, JSON.readTree(first.resultFolder().resolve("summary.json").toFile()).get("validity")
        .get("verdict").asText());
    List<String> csv = Files.readAllLines(first.resultFolder().resolve("summary.csv"));
    // The verdict, then the goodput columns: empty, as the run had no -Dslo.
    List<String> header = List.of(csv.get(0).split(",", -1));
    List<String> row = List.of(csv.get(1).split(",", -1));
    int validity = header.indexOf("validity");
    assertEquals(List.of("validity", "good_requests", "request_goodput_req_s", "output_token_goodput_tok_s",
        "slo_attainment"), header.subList(validity, validity + 5), "summary.csv's columns: " + csv);
    assertEquals(List.of(verdict, "", "", "", ""), row.subList(validity, validity + 5), "summary.csv: " + csv);
  }

  /** A copy of the smoke run's folder, with its llm-run.json changed by {@code edit}. */
  private static Path copyWithRunFile(String name, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit)
      throws IOException {
    Path copy = work.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(run.runFolder())) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    var runFile = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(copy.resolve("llm-run.json").toFile());
    edit.accept(runFile);
    JSON.writeValue(copy.resolve("llm-run.json").toFile(), runFile);
    return copy;
  }

  @Test
  void aRunFolderFromBeforeTheSelfMonitorHasAnUnknownVerdictAndNoCrash() throws IOException {
    Path old = copyWithRunFile("old-run", r -> {
      r.remove("monitor");
      r.remove("validity");
    });
    PostRun.Outcome o = PostRun.process(old, work.resolve("old"), Path.of("."), Instant.now());
    assertFalse(o.partial(), "an older run is whole, its verdict just unknown: " + o.problems());
    assertNull(o.summary().validity());
    assertNull(JSON.readTree(o.resultFolder().resolve("summary.json").toFile()).get("validity"));
    assertTrue(PostRun.resultBlock(o).contains("Validity: unknown"), PostRun.resultBlock(o));
    assertTrue(Files.readString(o.resultFolder().resolve("index.html")).contains("Validity: unknown"));
  }

  @Test
  void unreadableMonitorFiguresAreAProblemNotACrash() throws IOException {
    Path bad = copyWithRunFile("bad-monitor", r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("monitor"))
        .put("schemaVersion", 9));
    PostRun.Outcome o = PostRun.process(bad, work.resolve("bad"), Path.of("."), Instant.now());
    assertNull(o.summary().validity());
    assertEquals(List.of("llm-run.json: monitor has schemaVersion 9; this tool reads 1 to 2; the validity verdict is "
        + "unknown"), o.problems());
  }

  @Test
  void aCutSideFileGivesAResultMarkedPartial() throws IOException {
    Path copy = work.resolve("cut-run");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(run.runFolder())) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path side = copy.resolve(RequestLogWriter.FILE_NAME);
    String text = Files.readString(side).stripTrailing();
    Files.writeString(side, text.substring(0, text.length() - 40)); // the last line cut mid-way
    PostRun.Outcome o = PostRun.process(copy, work.resolve("cut"), Path.of("."), Instant.now());
    assertTrue(o.partial());
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("cut at line")), o.problems().toString());
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("E2E rows")), "the cross-check sees the missing row");
    JsonNode metadata = JSON.readTree(o.resultFolder().resolve("metadata.json").toFile());
    assertTrue(metadata.get("partial").asBoolean());
    assertTrue(PostRun.resultBlock(o).contains("PARTIAL RESULT"));
  }

  @Test
  void aBadFolderFirstStopsNothingAndItsExitCodeIsTheCommands() throws IOException {
    Path reports = work.resolve("several");
    Path missing = work.resolve("no-such-run");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PostRunCommand.run(new String[] {missing.toString(), run.runFolder().toString()},
        Props.of(Map.of("llmbench.reports.dir", reports.toString(), "baseline.compare", "false")), Map.of(),
        Path.of("."), Instant.now(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(PostRunCommand.INPUT_ERROR, code, "the bad folder's code, though the good one after it went well");
    assertEquals(List.of("llm-serving-bench post-run: ERROR " + missing + " is not a folder; pass a Gatling run "
        + "folder such as target/gatling/<run>"), err.toString(StandardCharsets.UTF_8).lines().toList());
    assertTrue(Files.isDirectory(reports.resolve("emulator")), "the good folder after the bad one is processed");
    List<Path> folders = resultFolders(reports);
    assertEquals(1, folders.size(), folders.toString());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Results in " + folders.get(0)), out.toString());
  }

  /** A run made with validity.strict=true that was client-bound failed as it ran; rebuilt, it fails again. */
  @Test
  void aStrictClientBoundRunRebuiltStandaloneExitsNonZero() throws IOException {
    for (boolean strict : new boolean[] {true, false}) {
      Path copy = copyWithRunFile("strict-" + strict, r -> {
        var validity = (com.fasterxml.jackson.databind.node.ObjectNode) r.get("validity");
        validity.put("strict", strict);
        // No event loop is that punctual: the run is client-bound by its own figures.
        ((com.fasterxml.jackson.databind.node.ObjectNode) validity.get("thresholds")).put("validity.loop.lag.ms", 0);
      });
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = PostRunCommand.run(new String[] {copy.toString()},
          Props.of(Map.of("llmbench.reports.dir", work.resolve("strict-reports-" + strict).toString(),
              "baseline.compare", "false")), Map.of(), Path.of("."), Instant.now(),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("Validity: CLIENT-BOUND"), out.toString());
      assertEquals(strict ? PostRunCommand.REGRESSION : PostRunCommand.OK, code, "strict=" + strict);
    }
  }

  /** A run its circuit breaker stopped failed as it ran; rebuilt, it is partial, server-failing and fails again. */
  @Test
  void aRunTheBreakerStoppedIsPartialServerFailingAndExitsNonZeroRebuilt() throws IOException {
    long sent = run.requests().stream().filter(r -> !r.warmup()).count();
    Path copy = copyWithRunFile("stopped", r -> {
      var requests = r.putObject("requests");
      requests.put("planned", sent + 50).put("sent", sent).put("notSent", 50);
      r.putObject("breaker").put("enabled", true).put("tripped", true)
          .put("reason", "10 connection failures in a row (breaker.consecutive.failures=10), the last: refused")
          .put("trippedAt", "2026-12-06T02:41:15Z");
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = PostRunCommand.run(new String[] {copy.toString()},
        Props.of(Map.of("llmbench.reports.dir", work.resolve("stopped-reports").toString(), "baseline.compare",
            "false")), Map.of(), Path.of("."), Instant.now(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()));
    String block = out.toString(StandardCharsets.UTF_8);
    assertEquals(PostRunCommand.REGRESSION, code, block);
    assertTrue(block.contains("Validity: SERVER-FAILING") && block.contains("- 50 of " + (sent + 50)
        + " requests not sent (" + sent + " sent)"), block);
    assertTrue(block.contains("PARTIAL RESULT: the run stopped sending (circuit breaker: 10 connection failures"),
        block);
  }

  /** A copy of the smoke run's folder with the committed capacity.json fixture, or {@code text} in its place. */
  private static Path copyWithCapacity(String name, String text) throws IOException {
    Path copy = copyWithRunFile(name, r -> { });
    Path fixture = Path.of("src/test/resources/dev/llmbench/report/capacity/capacity.json");
    if (text == null) {
      Files.copy(fixture, copy.resolve(CapacityFile.FILE_NAME));
    } else {
      Files.writeString(copy.resolve(CapacityFile.FILE_NAME), text);
    }
    return copy;
  }

  @Test
  void aCapacitySearchIsPartOfTheResult() throws IOException {
    Path copy = copyWithCapacity("capacity-run", null);
    CapacitySearchResult expected = CapacityFile.read(copy.resolve(CapacityFile.FILE_NAME));
    PostRun.Outcome o = PostRun.process(copy, work.resolve("capacity"), Path.of("."), Instant.now());
    assertFalse(o.partial(), o.problems().toString());
    Path folder = o.resultFolder();
    assertEquals(expected, CapacityFile.read(folder.resolve(CapacityFile.FILE_NAME)), "capacity.json in the result");
    PosixModes.assertAsUmask(folder.resolve(CapacityFile.FILE_NAME));
    List<String> csv = Files.readAllLines(folder.resolve(CapacityFormats.CSV_FILE));
    assertEquals(1 + expected.steps().size(), csv.size(), "capacity.csv: a header and a row per step");
    JsonNode capacity = JSON.readTree(folder.resolve("summary.json").toFile()).get("capacity");
    assertEquals(expected.headline(), capacity.get("headline").asText());
    assertEquals(expected.steps().size(), capacity.get("steps").size());
    String page = Files.readString(folder.resolve("index.html"));
    assertTrue(page.contains("<h2>Capacity search</h2>") && page.contains("<strong>" + expected.headline()
        + "</strong>"), "the page's section");
    assertTrue(PostRun.resultBlock(o).contains("Capacity: " + expected.headline() + System.lineSeparator()),
        PostRun.resultBlock(o));
  }

  @Test
  void aRunWithoutASearchHasNoCapacityFiles() throws IOException {
    PostRun.Outcome o = PostRun.process(run.runFolder(), work.resolve("no-capacity"), Path.of("."), Instant.now());
    assertFalse(Files.exists(o.resultFolder().resolve(CapacityFile.FILE_NAME)));
    assertFalse(Files.exists(o.resultFolder().resolve(CapacityFormats.CSV_FILE)));
    assertNull(JSON.readTree(o.resultFolder().resolve("summary.json").toFile()).get("capacity"));
    assertFalse(PostRun.resultBlock(o).contains("Capacity:"));
  }

  @Test
  void aMalformedCapacityFileIsAProblemNotACrash() throws IOException {
    Path copy = copyWithCapacity("capacity-bad", "{\"search\": \"rate\", \"steps\": 3}");
    PostRun.Outcome o = PostRun.process(copy, work.resolve("capacity-bad-reports"), Path.of("."), Instant.now());
    assertEquals(List.of("capacity.json cannot be read (capacity.json: field 'steps' must be an array, got 3); "
        + "the result has no capacity search"), o.problems());
    assertTrue(Files.isRegularFile(o.resultFolder().resolve("summary.json")), "the result is still written");
    assertFalse(Files.exists(o.resultFolder().resolve(CapacityFile.FILE_NAME)));
    assertTrue(JSON.readTree(o.resultFolder().resolve("metadata.json").toFile()).get("partial").asBoolean());
  }

  @Test
  void aFolderThatIsNotARunIsAClearError() {
    IOException e = assertThrows(IOException.class,
        () -> PostRun.process(work.resolve("nothing-here"), work.resolve("x"), Path.of("."), Instant.now()));
    assertTrue(e.getMessage().contains(RequestLogWriter.FILE_NAME) && e.getMessage().contains("not a run"),
        e.getMessage());
  }
}
