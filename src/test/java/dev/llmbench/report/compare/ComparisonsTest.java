package dev.llmbench.report.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.CompareCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison on hand-made results: best marks, ratios, cost, memory, differences, missing groups, files, bad input. */
class ComparisonsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @TempDir
  Path reports;

  /** Figures of a group whose server takes {@code slowdown} times as long per token as the base one. */
  private static Map<String, Double> figures(double slowdown) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("request_throughput", 10 / slowdown);
    f.put("output_throughput", 640 / slowdown);
    f.put("total_throughput", 1920 / slowdown);
    for (String x : List.of("ttft", "tpot", "itl", "e2e_latency")) {
      f.put("mean_" + x + "_ms", 5 * slowdown);
      f.put("median_" + x + "_ms", 4 * slowdown);
      f.put("p99_" + x + "_ms", 9 * slowdown);
    }
    f.put("error_rate", 0.0);
    return f;
  }

  private Path result(String framework, Map<String, String> parameters, double slowdown, String... groups)
      throws IOException {
    Map<String, Map<String, Double>> g = new LinkedHashMap<>();
    for (String name : groups) {
      g.put(name, figures(slowdown));
    }
    return HandMadeResults.write(reports, framework, "smoke-20261201-000000", parameters, g,
        framework.equals("vllm") ? HandMadeResults.memory(44.2031, 62.2, 123456) : null);
  }

  private FrameworkComparison compare(String reference, Map<String, Double> prices, Path... folders)
      throws CompareException {
    List<ResultRun> runs = new java.util.ArrayList<>();
    for (Path f : folders) {
      runs.add(ResultFiles.read(f));
    }
    return Comparisons.of(runs, reference, prices, NOW);
  }

  @Test
  void theFasterIsBestEverywhereAndTheRatiosAreToTheReference() throws Exception {
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke");
    Path sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke");
    FrameworkComparison c = compare(null, Map.of(), vllm, sglang);
    assertEquals("vllm", c.referenceRun().label(), "the first folder by default");
    FrameworkComparison.GroupTable t = c.groups().get(0);
    for (FrameworkComparison.Row r : t.rows()) {
      if (r.metric() == HeadlineMetric.ERROR_RATE) {
        assertEquals(Set.of(0, 1), r.best(), "a tie marks both");
        assertNull(r.ratios().get(1), "no ratio to a reference of 0");
        continue;
      }
      assertEquals(Set.of(0), r.best(), r.metric() + ": the faster server is best, whichever way is better");
      assertEquals(r.metric().higherIsBetter() ? 0.5 : 2.0, r.ratios().get(1), 1e-9, r.metric().toString());
      assertEquals(1.0, r.ratios().get(0), 1e-9);
    }
    assertNull(t.row(HeadlineMetric.REQUEST_GOODPUT), "no goodput row without objectives");
    assertTrue(c.differences().isEmpty(), c.differences().toString());

    FrameworkComparison other = compare("sglang", Map.of(), vllm, sglang);
    assertEquals(2.0, other.groups().get(0).row(HeadlineMetric.OUTPUT_THROUGHPUT).ratios().get(0), 1e-9);
  }

  @Test
  void costPerMillionOutputTokensIsThePriceOverTheTokensOfAnHour() {
    // 1,000 tok/s is 3.6 M tokens an hour: $3.6 an hour is $1 per million.
    assertEquals(1.0, Comparisons.costPerMillionOutputTokens(3.6, 1000.0), 1e-12);
    assertNull(Comparisons.costPerMillionOutputTokens(null, 1000.0));
    assertNull(Comparisons.costPerMillionOutputTokens(3.6, 0.0), "nothing generated: no price per token");
  }

  @Test
  void theCostRowUsesEachFrameworksPriceAndOutputThroughput() throws Exception {
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke");
    Path sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke");
    FrameworkComparison c = compare(null, Map.of("vllm", 2.0, "sglang", 2.0), vllm, sglang);
    List<Double> cost = c.groups().get(0).costPerMillionOutputTokens();
    assertEquals(2.0 / (640 * 3600) * 1e6, cost.get(0), 1e-9);
    assertEquals(2 * cost.get(0), cost.get(1), 1e-9, "half the tokens for the same price");
    String md = MarkdownFormat.render(c);
    assertTrue(md.contains("| Cost per 1M output tokens (USD) | **0.8681** | 1.7361 | 2.00× |"), md);
    FrameworkComparison onlyOne = compare(null, Map.of("sglang", 2.0), vllm, sglang);
    assertNull(onlyOne.groups().get(0).costPerMillionOutputTokens().get(0));
  }

  @Test
  void theMarkdownTableHasTheMetricsTheFrameworksAndTheRatioColumns() throws Exception {
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke");
    Path sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke");
    Path ollama = result("ollama", HandMadeResults.SMOKE, 4, "smoke");
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma would show here
      String md = MarkdownFormat.render(compare("sglang", Map.of(), vllm, sglang, ollama));
      assertTrue(md.contains("| Metric | vllm | sglang (reference) | ollama | vllm / sglang | ollama / sglang |\n"
          + "| --- | ---: | ---: | ---: | ---: | ---: |\n"), md);
      assertTrue(md.contains("| Output throughput (tok/s) | **640.00** | 320.00 | 160.00 | 2.00× | 0.50× |"), md);
      assertTrue(md.contains("| Median TPOT (ms) | **4.00** | 8.00 | 16.00 | 0.50× | 2.00× |"), md);
      assertTrue(md.contains("| Validity | valid | valid | valid |  |  |"), md);
      // Seed 003: the memory columns in every table, n/a where a result does not know them.
      assertTrue(md.contains("| Model memory (GiB) | 44.2 | n/a | n/a |  |  |"), md);
      assertTrue(md.contains("| KV cache (GiB) | 62.2 | n/a | n/a |  |  |"), md);
      assertTrue(md.contains("| KV cache tokens | 123456 | n/a | n/a |  |  |"), md);
      assertTrue(md.contains("| VRAM peak (MiB) | n/a | n/a | n/a |  |  |"), md);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void theVramPeakIsTheOneTheServersTelemetryRecorded() throws Exception {
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke");
    Path sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke");
    // summary.json's "server" object, as a run with nvidia-smi writes it (docs/results.md).
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode summary =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(sglang.resolve("summary.json").toFile());
    summary.putObject("server").put("vramBeforeMiB", 18000).put("vramPeakMiB", 20480).put("vramAfterMiB", 18100);
    json.writeValue(sglang.resolve("summary.json").toFile(), summary);
    String md = MarkdownFormat.render(compare(null, Map.of(), vllm, sglang));
    assertTrue(md.contains("| VRAM peak (MiB) | n/a | 20480 |"), md);
  }

  @Test
  void settingsThatDifferAreNamedAndAGroupMissingInOneIsNotCompared() throws Exception {
    Map<String, String> more = new HashMap<>(HandMadeResults.SMOKE);
    more.put("maxConcurrency", "16");
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke", "extra");
    Path sglang = result("sglang", more, 1, "smoke");
    FrameworkComparison c = compare(null, Map.of(), vllm, sglang);
    assertEquals(List.of("sglang against vllm: maxConcurrency was \"8\", is \"16\""), c.differences());
    assertEquals(List.of("group \"extra\" is missing in sglang; not compared"), c.missingGroups());
    assertEquals(List.of("smoke"), c.groups().stream().map(FrameworkComparison.GroupTable::group).toList());
    String md = MarkdownFormat.render(c);
    assertTrue(md.contains("## Differences\n\n- sglang against vllm: maxConcurrency was \"8\", is \"16\"\n"
        + "- group \"extra\" is missing in sglang; not compared\n"), md);
  }

  @Test
  void theFilesAreWrittenOnceAndASecondComparisonInTheSameSecondGetsItsOwnName() throws Exception {
    Path vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke");
    Path sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke");
    FrameworkComparison c = compare(null, Map.of("vllm", 1.5), vllm, sglang);
    List<Path> first = ComparisonFiles.write(reports, c, NOW);
    assertEquals(List.of("comparison-20261206-120000.json", "comparison-20261206-120000.md",
        "comparison-20261206-120000.html"), first.stream().map(p -> p.getFileName().toString()).toList());
    String before = Files.readString(first.get(0));
    List<Path> second = ComparisonFiles.write(reports, c, NOW);
    assertEquals("comparison-20261206-120000-2.json", second.get(0).getFileName().toString());
    assertEquals(before, Files.readString(first.get(0)), "the first one is untouched");
    try (var s = Files.list(reports.resolve("summary"))) {
      assertEquals(6, s.count(), "no temporary file left behind");
    }
    JsonNode json = JSON.readTree(first.get(0).toFile());
    assertEquals("vllm", json.get("reference").asText());
    JsonNode out = json.get("groups").get(0).get("metrics").get(1);
    assertEquals("output_throughput", out.get("metric").asText());
    assertEquals("higher", out.get("better").asText());
    assertEquals("vllm", out.get("best").get(0).asText());
    assertEquals(0.5, out.get("ratioToReference").get("sglang").asDouble(), 1e-9);
    assertEquals(44.2031, json.get("runs").get(0).get("memory").get("modelGiB").asDouble(), 1e-9);
    assertTrue(json.get("runs").get(1).get("memory").get("modelGiB").isNull());
    assertTrue(json.get("groups").get(0).get("costPerMillionOutputTokens").get("sglang").isNull());
    String html = Files.readString(first.get(2));
    assertTrue(html.contains("<img alt=\"Output throughput (tok/s)\"") && html.contains("src=\"data:image/png;base64,"),
        "a bar chart per metric, inline");
    assertTrue(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
        "one self-contained page");
  }

  @Test
  void aBareNumberPricesEveryFrameworkFromTheOptionOrTheProperty() throws Exception {
    String vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke").toString();
    String sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke").toString();
    FrameworkComparison pairs = compare(null, Map.of("vllm", 2.5, "sglang", 2.5), Path.of(vllm), Path.of(sglang));
    List<Double> expected = pairs.groups().get(0).costPerMillionOutputTokens();
    Map<String, Ran> ways = new LinkedHashMap<>();
    ways.put("--cost.per.hour 2.5", commandWith(null, "--cost.per.hour", "2.5", vllm, sglang));
    ways.put("-Dcost.per.hour=2.5", commandWith("2.5", vllm, sglang));
    ways.put("both, the same", commandWith("2.50", "--cost.per.hour", "2.5", vllm, sglang));
    for (Map.Entry<String, Ran> way : ways.entrySet()) {
      Ran r = way.getValue();
      assertEquals(CompareCommand.OK, r.code(), way.getKey() + ": " + r.err());
      JsonNode cost = JSON.readTree(reports.resolve("summary").resolve("comparison-20261206-120000.json").toFile())
          .get("groups").get(0).get("costPerMillionOutputTokens");
      assertEquals(expected.get(0), cost.get("vllm").asDouble(), 1e-6, way.getKey() + " (the JSON has 6 decimals)");
      assertEquals(expected.get(1), cost.get("sglang").asDouble(), 1e-6, way.getKey());
    }
    assertEquals(new HourlyPrices(2.5, Map.of()), HourlyPrices.parse("-Dcost.per.hour", "2.5"));
    assertEquals(Map.of("vllm", 2.5, "sglang", 2.5), HourlyPrices.parse("x", "2.5").of(List.of(
        ResultFiles.read(Path.of(vllm)), ResultFiles.read(Path.of(sglang)))));
  }

  @Test
  void twoResultsOfOneFrameworkAreToldApartByFolder() throws Exception {
    Path a = HandMadeResults.write(reports, "vllm", "smoke-20261201-000000", HandMadeResults.SMOKE,
        Map.of("smoke", figures(1)), null);
    Path b = HandMadeResults.write(reports, "vllm", "smoke-20261202-000000", HandMadeResults.SMOKE,
        Map.of("smoke", figures(1)), null);
    FrameworkComparison c = compare(null, Map.of(), a, b);
    assertEquals(List.of("vllm/smoke-20261201-000000", "vllm/smoke-20261202-000000"),
        c.runs().stream().map(FrameworkComparison.Run::label).toList());
    assertEquals(b, ResultFiles.resolve(reports.resolve("vllm")), "a framework folder stands for its newest result");
  }

  private record Ran(int code, String out, String err) {}

  private Ran command(String... args) {
    return commandWith(null, args);
  }

  /** The command with {@code -Dcost.per.hour} set to {@code costPerHour} (null: not set). */
  private Ran commandWith(String costPerHour, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CompareCommand.run(args, costPerHour, reports, NOW, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badInputIsOneLineAndExitCode2() throws Exception {
    String vllm = result("vllm", HandMadeResults.SMOKE, 1, "smoke").toString();
    String sglang = result("sglang", HandMadeResults.SMOKE, 2, "smoke").toString();
    Path empty = Files.createDirectories(reports.resolve("empty"));
    Map<String[], String> cases = new LinkedHashMap<>();
    cases.put(new String[] {vllm}, "a comparison needs at least two result folders, but got 1");
    cases.put(new String[] {vllm, empty.toString()}, empty + " is not a result: it has no summary.json");
    cases.put(new String[] {vllm, reports.resolve("nowhere").toString()}, "is not a folder");
    cases.put(new String[] {"--reference", "tgi", vllm, sglang},
        "unknown reference \"tgi\"; the frameworks compared are vllm, sglang");
    cases.put(new String[] {"--cost.per.hour", "vllm=cheap", vllm, sglang},
        "--cost.per.hour for vllm must be a number of USD per hour, but was \"cheap\"");
    cases.put(new String[] {"--cost.per.hour", "tgi=2", vllm, sglang}, "--cost.per.hour names \"tgi\", which is not");
    cases.put(new String[] {"--cost.per.hour", "2.5,vllm=2", vllm, sglang},
        "--cost.per.hour takes <framework>=<usd> pairs, or one number for every framework, but got \"2.5\"");
    cases.put(new String[] {"--cost.per.hour", "-1", vllm, sglang},
        "--cost.per.hour must be a finite price of at least 0, but was -1");
    cases.put(new String[] {"--reference"}, "--reference needs a value");
    cases.put(new String[] {"--frameworks", vllm, sglang}, "unknown option \"--frameworks\"");
    cases.forEach((args, expected) -> {
      Ran r = command(args);
      assertEquals(CompareCommand.INPUT_ERROR, r.code(), String.join(" ", args));
      assertTrue(r.err().startsWith("llm-serving-bench compare: ERROR ") && r.err().contains(expected)
          && r.err().strip().lines().count() == 1, r.err());
    });
    assertTrue(!Files.exists(reports.resolve("summary")), "nothing written on bad input");

    Ran conflict = commandWith("3", "--cost.per.hour", "2.5", vllm, sglang);
    assertEquals(CompareCommand.INPUT_ERROR, conflict.code(), conflict.err());
    assertEquals("llm-serving-bench compare: ERROR --cost.per.hour 2.5 and -Dcost.per.hour=3 differ; give the prices"
        + " once", conflict.err().strip());
    assertTrue(!Files.exists(reports.resolve("summary")), "nothing written on bad input");

    Ran ok = command("--cost.per.hour", "vllm=2,sglang=2.5", "--reference", "sglang", vllm, sglang);
    assertEquals(CompareCommand.OK, ok.code(), ok.err());
    assertTrue(ok.out().contains("wrote " + reports.resolve("summary").resolve("comparison-20261206-120000.md")),
        ok.out());
  }
}
