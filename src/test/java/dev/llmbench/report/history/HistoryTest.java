package dev.llmbench.report.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.cli.HistoryCommand;
import dev.llmbench.report.ResultFolder;
import dev.llmbench.report.SummaryIndex;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.BaselineMetadata;
import dev.llmbench.report.baseline.BaselineRow;
import dev.llmbench.report.baseline.Metric;
import dev.llmbench.report.baseline.Status;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forty days of nightly results, a few days missing, one corrupt folder and one of an older format:
 * the history keeps the last thirty days, prunes the rest, and links everything from reports/index.html.
 */
class HistoryTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String FRAMEWORK = "emulator";
  private static final String PROFILE = "nightly";
  private static final int DAYS = 40;
  private static final int KEEP = 30;
  /** Days without a run (counted back from now), inside and outside the kept window. */
  private static final Set<Integer> MISSING = Set.of(3, 4, 11, 35);
  private static final Set<Integer> REGRESSED = Set.of(2);
  private static final Set<Integer> NOISY = Set.of(6);
  private static final Set<Integer> WITH_MEMORY = Set.of(0, 1, 5);
  private static final List<String> GROUPS = List.of("rate-4", "rate-8");

  @TempDir
  Path tmp;
  Path reports;
  Path baselines;
  /** 02:00 UTC, as the nightly: every run is an hour before, so day k is k days and an hour old. */
  final Instant now = Instant.parse("2026-11-30T02:00:00Z");
  /** Folder names by how many days old their run is. */
  final Map<Integer, String> folders = new TreeMap<>();
  String corrupt;
  String oldFormat;

  @BeforeEach
  void results() throws IOException {
    reports = tmp.resolve("reports");
    baselines = tmp.resolve("baselines");
    for (int k = 0; k < DAYS; k++) {
      if (!MISSING.contains(k)) {
        folders.put(k, writeRun(k, true));
      }
    }
    // A recent folder whose summary is cut off mid-write (and no other file): named and skipped.
    Instant cut = at(7).plusSeconds(600);
    corrupt = ResultFolder.name(PROFILE, cut);
    Path c = Files.createDirectories(reports.resolve(FRAMEWORK).resolve(corrupt));
    Files.writeString(c.resolve("summary.json"), "{\"schemaVersion\": 1, \"groups\": [");
    // An older format: no startedAt (the folder's name dates it), no validity, no metadata.json.
    oldFormat = writeRun(3, false); // a day without a nightly run
    Files.createDirectories(reports.resolve("summary"));
    Files.writeString(reports.resolve("summary").resolve("comparison-20261129-100000.html"), "<html></html>");
    Files.writeString(reports.resolve("summary").resolve("comparison-20261129-100000.md"), "# c\n");
    Files.writeString(reports.resolve("summary").resolve("nightly-20261130-020000.md"), "# night\n");
    List<BaselineRow> rows = new ArrayList<>();
    for (String g : GROUPS) {
      rows.add(new BaselineRow(g, Metric.MEDIAN_E2E, median(0, g), 3, median(0, g), median(0, g), 0, 0));
      rows.add(new BaselineRow(g, Metric.OUTPUT_THROUGHPUT, output(0, g), 3, output(0, g), output(0, g), 0, 0));
    }
    BaselineFiles.write(baselines, new Baseline(new BaselineMetadata(BaselineFiles.SCHEMA_VERSION, FRAMEWORK,
        PROFILE, "m", "openai-chat", new TreeMap<>(), new TreeMap<>(), "abc", now.toString(), "test", List.of("r"),
        1000, 1, ""), rows));
  }

  @Test
  void keepsTheLastDaysPrunesTheRestAndLinksEverything() throws IOException {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code = HistoryCommand.run(reports, baselines, KEEP, true, now, new PrintStream(outBytes, true,
        StandardCharsets.UTF_8), new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    String out = outBytes.toString(StandardCharsets.UTF_8);
    assertEquals(HistoryCommand.OK, code, out + errBytes.toString(StandardCharsets.UTF_8));

    // Folders: the old ones pruned, one line each; the corrupt one left and named once.
    for (Map.Entry<Integer, String> f : folders.entrySet()) {
      Path folder = reports.resolve(FRAMEWORK).resolve(f.getValue());
      assertEquals(f.getKey() < KEEP, Files.isDirectory(folder), f.getValue());
      assertEquals(f.getKey() < KEEP ? 0 : 1, count(out, "PRUNED " + folder), out);
    }
    assertTrue(Files.isDirectory(reports.resolve(FRAMEWORK).resolve(corrupt)));
    assertEquals(1, count(out, "SKIPPED " + reports.resolve(FRAMEWORK).resolve(corrupt)), out);

    // The CSV: exactly the kept runs' groups, by date.
    List<CSVRecord> csv = csv(reports.resolve("history").resolve(FRAMEWORK).resolve(PROFILE + ".csv"));
    Set<String> expected = new TreeSet<>();
    folders.forEach((k, name) -> {
      if (k < KEEP) {
        expected.add(name);
      }
    });
    expected.add(oldFormat);
    assertEquals(expected, new TreeSet<>(csv.stream().map(r -> r.get("result_folder")).toList()));
    assertEquals(expected.size() * GROUPS.size(), csv.size());
    for (int i = 1; i < csv.size(); i++) {
      assertFalse(Instant.parse(csv.get(i).get("date")).isBefore(Instant.parse(csv.get(i - 1).get("date"))));
    }
    for (CSVRecord r : csv) {
      int k = daysOld(Instant.parse(r.get("date")));
      String g = r.get("group");
      assertEquals(median(k, g), Double.parseDouble(r.get("median_e2e_latency_ms")), 1e-9);
      assertEquals(output(k, g), Double.parseDouble(r.get("output_throughput")), 1e-9);
      if (r.get("result_folder").equals(oldFormat)) {
        // Older format: what it lacks is empty, not invented.
        assertEquals("", r.get("commit"));
        assertEquals("", r.get("validity"));
        assertEquals("", r.get("p99_itl_ms"));
        assertEquals("", r.get("framework_version"));
      } else {
        assertEquals("commit-" + k, r.get("commit"));
        assertEquals("v-" + k, r.get("framework_version"));
        assertEquals("valid", r.get("validity"));
        String status = REGRESSED.contains(k) && g.equals(GROUPS.get(0)) ? Status.REGRESSION.label()
            : NOISY.contains(k) && g.equals(GROUPS.get(0)) ? Status.WARN_NOISY.label() : Status.OK.label();
        assertEquals(status, r.get("baseline_group_status"));
        assertEquals(REGRESSED.contains(k) ? "regression" : "no-regression", r.get("baseline_verdict"));
        assertEquals(WITH_MEMORY.contains(k) ? String.valueOf(memory(k)) : "", r.get("kv_cache_gib"));
      }
    }
    assertEquals(HistoryCsv.HEADER, csv.get(0).getParser().getHeaderNames());
    assertTrue(HistoryCsv.HEADER.containsAll(SummaryIndex.HEADLINE_FIELDS));

    // The plots: each one the documented size.
    List<Path> plots;
    try (var s = Files.list(reports.resolve("history").resolve(FRAMEWORK))) {
      plots = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    Set<String> names = new HashSet<>(plots.stream().map(p -> p.getFileName().toString()).toList());
    for (TrendPlots.Plot p : TrendPlots.PLOTS) {
      // A serving profile has every plot but the offline sweep's, whose figures it has not.
      assertEquals(!p.suffix().startsWith("offline"), names.contains(PROFILE + "-" + p.suffix() + ".png"),
          p.suffix() + " in " + names);
    }
    assertTrue(names.contains(PROFILE + "-memory.png"), names.toString());
    for (Path p : plots) {
      BufferedImage image = ImageIO.read(p.toFile());
      assertEquals(TrendPlots.WIDTH, image.getWidth(), p.toString());
      assertEquals(TrendPlots.HEIGHT, image.getHeight(), p.toString());
    }

    // reports/index.html: every kept run, the comparisons, the CSV and every plot, by relative links.
    String page = Files.readString(reports.resolve("index.html"));
    Set<String> hrefs = new HashSet<>();
    Matcher m = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(page);
    while (m.find()) {
      hrefs.add(m.group(1));
    }
    for (String run : expected) {
      assertTrue(hrefs.contains(FRAMEWORK + "/" + run + "/index.html"), run);
      assertTrue(Files.exists(reports.resolve(FRAMEWORK).resolve(run)));
    }
    folders.forEach((k, name) -> {
      if (k >= KEEP) {
        assertFalse(hrefs.contains(FRAMEWORK + "/" + name + "/index.html"), name);
      }
    });
    assertTrue(hrefs.contains("summary/comparison-20261129-100000.html"));
    assertTrue(hrefs.contains("summary/comparison-20261129-100000.md"));
    assertTrue(hrefs.contains("summary/nightly-20261130-020000.md"), "the nights' tables are linked");
    assertTrue(hrefs.contains("history/" + FRAMEWORK + "/" + PROFILE + ".csv"));
    for (Path p : plots) {
      assertTrue(hrefs.contains("history/" + FRAMEWORK + "/" + p.getFileName()), p.toString());
    }
    // Newest first.
    assertTrue(page.indexOf(folders.get(0)) < page.indexOf(folders.get(1)));
  }

  @Test
  void withoutPruningTheOldFoldersStayButLeaveTheHistory() throws IOException {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    assertEquals(HistoryCommand.OK, HistoryCommand.run(reports, baselines, KEEP, false, now, out, out));
    for (String name : folders.values()) {
      assertTrue(Files.isDirectory(reports.resolve(FRAMEWORK).resolve(name)), name);
    }
    assertEquals(0, count(outBytes.toString(StandardCharsets.UTF_8), "PRUNED"));
    List<CSVRecord> csv = csv(reports.resolve("history").resolve(FRAMEWORK).resolve(PROFILE + ".csv"));
    assertTrue(csv.stream().allMatch(r -> daysOld(Instant.parse(r.get("date"))) < KEEP));
  }

  @Test
  void aMissingReportsFolderIsBadInputInOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = HistoryCommand.run(tmp.resolve("nowhere"), baselines, KEEP, true, now, stream, stream);
    assertEquals(HistoryCommand.INPUT_ERROR, code);
    assertEquals(1, err.toString(StandardCharsets.UTF_8).strip().lines().count());
  }

  private Instant at(int daysOld) {
    return now.minus(Duration.ofDays(daysOld)).minus(Duration.ofHours(1));
  }

  private int daysOld(Instant date) {
    return (int) Duration.between(date, now).toDays();
  }

  /** Figures that move from day to day and group to group, so a row in the wrong place shows. */
  private static double median(int k, String group) {
    return 1000 + 10 * k + 100 * GROUPS.indexOf(group);
  }

  private static double output(int k, String group) {
    return 500 - 3 * k + 50 * GROUPS.indexOf(group);
  }

  private static double memory(int k) {
    return 20.5 + k;
  }

  @Test
  void anOfflineSweepsFiguresAreColumnsAndPlotsPerBatchSize() throws IOException {
    String profile = "offline-normal";
    for (int k = 0; k < 3; k++) {
      Path folder = Files.createDirectories(reports.resolve(FRAMEWORK).resolve(ResultFolder.name(profile, at(k))));
      ObjectNode summary = MAPPER.createObjectNode();
      summary.putObject("metadata").put("profile", profile).put("framework", FRAMEWORK)
          .put("startedAt", at(k).toString());
      ArrayNode groups = summary.putArray("groups");
      ArrayNode offline = summary.putArray("offline");
      for (int batch : new int[] {1, 8}) {
        String g = "offline-normal-128-16@batch=" + batch;
        groups.addObject().put("group", g).put("completed", 3 * batch).put("failed", 0);
        offline.addObject().put("group", g).put("batch_size", batch).put("prefill_latency_s", 0.01 * batch + k)
            .put("median_decode_latency_s", 0.005).put("e2e_latency_s", 0.1 * batch + k)
            .put("prefill_throughput", 8000.0 + batch).put("median_decode_throughput", 200.0 * batch)
            .put("e2e_throughput", 1500.0 * batch - k);
      }
      MAPPER.writeValue(folder.resolve("summary.json").toFile(), summary);
    }
    int code = HistoryCommand.run(reports, baselines, KEEP, false, now, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(HistoryCommand.OK, code);
    Path dir = reports.resolve("history").resolve(FRAMEWORK);
    List<CSVRecord> csv = csv(dir.resolve(profile + ".csv"));
    assertEquals(6, csv.size());
    for (CSVRecord r : csv) {
      int batch = Integer.parseInt(r.get("batch"));
      assertTrue(r.get("group").endsWith("@batch=" + batch), r.toString());
      assertEquals(200.0 * batch, Double.parseDouble(r.get("median_decode_throughput")), 1e-9);
      assertEquals(0.005, Double.parseDouble(r.get("median_decode_latency_s")), 1e-12);
    }
    for (String plot : List.of("offline-latency", "offline-throughput")) {
      BufferedImage png = ImageIO.read(dir.resolve(profile + "-" + plot + ".png").toFile());
      assertEquals(TrendPlots.WIDTH, png.getWidth(), plot);
    }
    assertFalse(Files.exists(dir.resolve("nightly-offline-latency.png")), "a serving profile has no offline plot");
  }

  /** A result folder of a run {@code k} days old; {@code current} false for an older format. */
  private String writeRun(int k, boolean current) throws IOException {
    Instant started = at(k);
    String name = ResultFolder.name(PROFILE, started);
    Path folder = Files.createDirectories(reports.resolve(FRAMEWORK).resolve(name));
    ObjectNode summary = MAPPER.createObjectNode();
    summary.put("schemaVersion", 1);
    ObjectNode meta = summary.putObject("metadata");
    meta.put("profile", PROFILE).put("framework", FRAMEWORK).put("backend", "openai-chat").put("model", "m");
    if (current) {
      meta.put("startedAt", started.toString()).put("serverVersion", "v-" + k).put("serverHardware", "H100");
      meta.putObject("parameters").put("numPrompts", "100").put("maxConcurrency", "16")
          .put("requestRates", "[\"4\",\"8\"]").put("inputLen", "1024").put("outputLen", "128");
      summary.putObject("validity").put("verdict", "valid");
    }
    ArrayNode groups = summary.putArray("groups");
    for (String g : GROUPS) {
      ObjectNode n = groups.addObject();
      n.put("group", g).put("completed", 100).put("failed", 0).put("request_throughput", output(k, g) / 128)
          .put("output_throughput", output(k, g)).put("median_e2e_latency_ms", median(k, g))
          .put("p99_e2e_latency_ms", 2 * median(k, g)).put("median_ttft_ms", median(k, g) / 10)
          .put("p99_ttft_ms", median(k, g) / 5);
      if (current) {
        n.put("median_itl_ms", 10 + k).put("p99_itl_ms", 30 + k);
      }
    }
    if (current && WITH_MEMORY.contains(k)) {
      summary.putObject("serverMemory").put("source", "vllm").put("modelGiB", 15.0).put("kvCacheGiB", memory(k))
          .put("kvCacheTokens", 100_000 + k);
    }
    MAPPER.writeValue(folder.resolve("summary.json").toFile(), summary);
    if (current) {
      MAPPER.writeValue(folder.resolve("metadata.json").toFile(),
          MAPPER.createObjectNode().put("gitCommit", "commit-" + k));
      ObjectNode comparison = MAPPER.createObjectNode().put("schemaVersion", 1).put("status", "compared")
          .put("verdict", REGRESSED.contains(k) ? "regression" : "no-regression");
      ArrayNode metrics = comparison.putArray("metrics");
      for (String g : GROUPS) {
        Status worst = !g.equals(GROUPS.get(0)) ? Status.OK : REGRESSED.contains(k) ? Status.REGRESSION
            : NOISY.contains(k) ? Status.WARN_NOISY : Status.OK;
        metrics.addObject().put("group", g).put("metric", "output_throughput").put("status", Status.OK.label());
        metrics.addObject().put("group", g).put("metric", "median_e2e_latency_ms").put("status", worst.label());
      }
      MAPPER.writeValue(folder.resolve("comparison.json").toFile(), comparison);
      Files.writeString(folder.resolve("index.html"), "<html></html>");
    }
    return name;
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
