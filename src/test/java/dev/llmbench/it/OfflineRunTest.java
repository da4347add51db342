package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.Props;
import dev.llmbench.emulator.TimingModel;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.baseline.BaselineUpdate;
import java.time.Instant;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.OfflineSimulation;

/**
 * The three offline modes at the smoke size against the emulator: one row per batch size, each its own
 * group, configurations over the server's context skipped with a note, and the figures agreeing with the
 * emulator's timing model as ratios (a decode step costs {@code base + perSeq * B}, a prefill
 * {@code tokens / prefill.tps}): no wall-clock limit.
 */
class OfflineRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double STEP_BASE_US = 1_000;
  private static final double STEP_PER_SEQ_US = TimingModel.DEFAULT.decodeStepPerSequenceMicros();
  private static final double PREFILL_TPS = TimingModel.DEFAULT.prefillTokensPerSecond();

  @TempDir
  static Path work;

  private static final Map<String, GatlingRun.Outcome> runs = new HashMap<>();

  @BeforeAll
  static void runModes() throws IOException {
    for (String mode : List.of("normal", "long_context", "dummy")) {
      Map<String, String> props = new HashMap<>(Map.of("size", "smoke", "mode", mode,
          "emulator.decode.step.base.us", Long.toString((long) STEP_BASE_US)));
      if (mode.equals("long_context")) {
        // 1024 and 2048 fit, 4096 + 8 does not: skipped with a note
        props.put("emulator.max.model.len", "3000");
      }
      GatlingRun.Outcome run = GatlingRun.run(OfflineSimulation.class, props, work.resolve(mode));
      assertEquals(0, run.exitCode(), mode);
      runs.put(mode, run);
    }
  }

  private static Path resultFolder(String mode) throws IOException {
    try (Stream<Path> s = Files.list(work.resolve(mode).resolve("reports").resolve("emulator"))) {
      List<Path> folders = s.toList();
      assertEquals(1, folders.size());
      return folders.get(0);
    }
  }

  private static List<CSVRecord> table(String mode) throws IOException {
    try (Reader in = Files.newBufferedReader(resultFolder(mode).resolve("offline.csv"))) {
      return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
    }
  }

  private static double num(CSVRecord r, String column) {
    return Double.parseDouble(r.get(column));
  }

  /** The emulator's decode step at batch {@code b}, s. */
  private static double modelStep(int b) {
    return (STEP_BASE_US + STEP_PER_SEQ_US * b) / 1e6;
  }

  @Test
  void normalModeHasARowAndAGroupPerBatchSizeAndDecodeThroughputGrowsWithTheBatch() throws IOException {
    List<CSVRecord> rows = table("normal");
    assertEquals(List.of("1", "2", "4", "8"), rows.stream().map(r -> r.get("batch_size")).toList());
    List<String> groups = List.of("offline-normal-128-16@batch=1", "offline-normal-128-16@batch=2",
        "offline-normal-128-16@batch=4", "offline-normal-128-16@batch=8");
    assertEquals(groups, rows.stream().map(r -> r.get("group")).toList());
    List<RequestResult> requests = runs.get("normal").requests();
    assertEquals(new TreeSet<>(groups), requests.stream().map(RequestResult::group).collect(Collectors.toCollection(TreeSet::new)));
    for (CSVRecord r : rows) {
      int b = Integer.parseInt(r.get("batch_size"));
      assertEquals("128", r.get("input_len"));
      assertEquals("16", r.get("output_len"));
      assertEquals("emulator", r.get("backend"));
      assertEquals("3", r.get("batches"), "the default measured batches");
      // 1 warm-up + 3 measured batches of B, each request exactly 16 tokens
      List<RequestResult> mine = requests.stream().filter(q -> q.group().equals(r.get("group"))).toList();
      assertEquals(4 * b, mine.size());
      assertTrue(mine.stream().allMatch(q -> q.ok() && q.outputTokens() == 16), r.toString());
      // The step as the emulator's model makes it, within what a busy machine adds
      double step = num(r, "median_decode_latency_s");
      assertTrue(step / modelStep(b) > 0.8 && step / modelStep(b) < 2.0, "step " + step + " vs model " + modelStep(b));
      // The CSV's latencies are to the microsecond: the throughputs from them agree to a part in a thousand
      double decode = b / step;
      assertEquals(decode, num(r, "median_decode_throughput_tok_s"), decode * 1e-3);
      double prefill = 128.0 * b / num(r, "prefill_latency_s");
      assertEquals(prefill, num(r, "prefill_throughput_tok_s"), prefill * 1e-3);
      double e2e = (128.0 + 16) * b / num(r, "e2e_latency_s");
      assertEquals(e2e, num(r, "e2e_throughput_tok_s"), e2e * 1e-3);
      assertTrue(num(r, "e2e_latency_s") > num(r, "prefill_latency_s") + 14 * step * 0.8, r.toString());
      // Prefill at most the emulator's prefill rate (a step's base cost comes on top)
      assertTrue(num(r, "prefill_throughput_tok_s") < PREFILL_TPS * 1.1, r.toString());
    }
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(num(rows.get(i), "median_decode_throughput_tok_s") > num(rows.get(i - 1), "median_decode_throughput_tok_s"),
          "decode throughput grows with the batch: " + rows);
      assertTrue(num(rows.get(i), "e2e_throughput_tok_s") > num(rows.get(i - 1), "e2e_throughput_tok_s"), rows.toString());
    }
    // Batch 8 prefills 8 times the tokens of batch 1 in one pass: its prefill throughput is higher
    assertTrue(num(rows.get(3), "prefill_throughput_tok_s") > num(rows.get(0), "prefill_throughput_tok_s"), rows.toString());
  }

  @Test
  void theResultFolderCarriesTheTableInEveryForm() throws IOException {
    Path folder = resultFolder("normal");
    JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
    assertEquals(4, summary.get("offline").size());
    assertEquals(8, summary.get("offline").get(3).get("batch_size").asInt());
    assertTrue(summary.get("offline").get(3).get("median_decode_throughput").asDouble() > 0);
    JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
    assertEquals("normal", config.get("mode").asText());
    assertEquals(4, config.get("configs").size());
    assertEquals("emulator", config.get("backend").asText());
    assertTrue(Files.readString(folder.resolve("index.html")).contains("Offline batches"));
  }

  @Test
  void aBaselineOfTheSweepComparesEveryBatchSizesGroup() throws Exception {
    GatlingRun.Outcome run = runs.get("normal");
    Path baselines = work.resolve("offline-baselines");
    PostRun.Analysis a = PostRun.analyse(run.runFolder(), work, Instant.now());
    BaselineOptions options = BaselineOptions.from(Props.of(Map.of("baseline.dir", baselines.toString())), Map.of());
    BaselineUpdate.write(baselines, List.of(a.baselineRun()), "offline test", Instant.now(), options.thresholds());
    PostRun.Outcome compared = PostRun.process(run.runFolder(), work.resolve("compared"), work, Instant.now(), options);
    assertEquals(BaselineCheck.Kind.COMPARED, compared.baseline().kind(), compared.baseline().message());
    assertEquals(new TreeSet<>(a.summary().offline().stream().map(r -> r.group()).toList()),
        compared.baseline().comparison().rows().stream().map(r -> r.group())
            .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void longContextSkipsWhatExceedsTheServersContextAndPrefillGrowsWithTheInput() throws IOException {
    List<CSVRecord> rows = table("long_context");
    assertEquals(List.of("1024", "2048"), rows.stream().map(r -> r.get("input_len")).toList());
    assertTrue(rows.stream().allMatch(r -> r.get("batch_size").equals("1") && r.get("output_len").equals("8")));
    JsonNode notes = JSON.readTree(runs.get("long_context").runFolder().resolve("llm-run.json").toFile()).get("notes");
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).asText().startsWith("skipped offline-long_context-4096-8@batch=1"), notes.toString());
    assertTrue(runs.get("long_context").requests().stream().noneMatch(q -> q.group().contains("4096")));
    // The emulator prefills at prefill.tps plus a step's base: the ratio of the two prefills follows it.
    double model = (2048 / PREFILL_TPS + modelStep(1)) / (1024 / PREFILL_TPS + modelStep(1));
    double measured = num(rows.get(1), "prefill_latency_s") / num(rows.get(0), "prefill_latency_s");
    assertTrue(measured / model > 0.7 && measured / model < 1.3, "prefill ratio " + measured + " vs model " + model);
  }

  @Test
  void dummyModeIsALongDecodeOfTwo() throws IOException {
    List<CSVRecord> rows = table("dummy");
    assertEquals(1, rows.size());
    CSVRecord r = rows.get(0);
    assertEquals("2", r.get("batch_size"));
    assertEquals("32", r.get("input_len"));
    assertEquals("512", r.get("output_len"));
    double step = num(r, "median_decode_latency_s");
    assertTrue(step / modelStep(2) > 0.8 && step / modelStep(2) < 2.0, "step " + step + " vs model " + modelStep(2));
    // E2E is the prefill and 511 steps: the median step stands for them
    double e2e = num(r, "e2e_latency_s");
    double parts = num(r, "prefill_latency_s") + 511 * step;
    assertTrue(e2e / parts > 0.8 && e2e / parts < 1.25, "E2E " + e2e + " vs prefill + 511 steps " + parts);
  }
}
