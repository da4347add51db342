package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.MatrixRow;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerMemory;
import dev.llmbench.report.stats.MatrixTable;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * bench_full.py's table of a matrix run, worked out by hand:
 *
 * <pre>
 * matrix-16-16 (the smoke size's 128/128: balanced, "micro-benchmark baseline ...")
 *   w  a warm-up, left out
 *   a  10 tokens, TTFT 100 ms, E2E 1,000 ms: decode 10 / 0.9 s = 11.11 tok/s, E2E 10 / 1 s = 10 tok/s, TPOT 900 / 9 = 100 ms
 *   b  20 tokens, TTFT 200 ms, E2E 2,100 ms: decode 20 / 1.9 s = 10.53,        E2E 20 / 2.1 s = 9.52,   TPOT 1,900 / 19 = 100
 *   c  failed: counted, left out of the means
 * matrix-1024-128 (lengths of the full size's "vLLM default", none of the smoke size's)
 *   d  1 token, TTFT = E2E = 50 ms: no TPOT, no decode time; E2E 1 / 0.05 s = 20 tok/s
 * matrix-7-9: lengths the matrix does not have at any size (no category or label)
 * other: not a matrix group, not in the table
 * </pre>
 */
class MatrixFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000; // µs

  private static RequestResult row(String id, String group, boolean warmup, boolean ok, int output, long ttftMs,
      long e2eMs) {
    double tpot = output > 1 ? (double) (e2eMs - ttftMs) * MS / (output - 1) : Double.NaN;
    return new RequestResult(id, group, warmup, ok, ok ? null : "HTTP 500", ok ? 200 : 500,
        1_700_000_000_000_000L + e2eMs, 1_000_000_000L + e2eMs * 1_000, 10, 10, 64, output, "usage",
        ok ? ttftMs * MS : -1, e2eMs * MS, ok ? tpot : Double.NaN, new long[0], null);
  }

  private static RunSummary summary() {
    return summary("smoke");
  }

  private static RunSummary summary(String size) {
    RunMetadata m = RunMetadata.of("run-1", "2026-11-25T00:00:00Z", "matrix", "vllm", "openai-chat", "llama",
        "http://gpu:8000", "", Map.of("size", size));
    return ServingMetrics.summarize(m, List.of(
        row("w", "matrix-16-16", true, true, 10, 5_000, 9_000),
        row("a", "matrix-16-16", false, true, 10, 100, 1_000),
        row("b", "matrix-16-16", false, true, 20, 200, 2_100),
        row("c", "matrix-16-16", false, false, 0, 0, 30),
        row("d", "matrix-1024-128", false, true, 1, 50, 50),
        row("e", "matrix-7-9", false, true, 3, 10, 30),
        row("f", "other", false, true, 3, 10, 30)));
  }

  @Test
  void theTableHasOneRowPerMatrixConfigurationWithBenchFullsMeans() {
    List<MatrixRow> rows = MatrixTable.of(summary());
    assertEquals(List.of("matrix-16-16", "matrix-1024-128", "matrix-7-9"),
        rows.stream().map(MatrixRow::group).toList());

    MatrixRow smoke = rows.get(0);
    assertEquals(16, smoke.isl());
    assertEquals(16, smoke.osl());
    assertEquals("balanced", smoke.category());
    assertEquals("micro-benchmark baseline (peak decode speed)", smoke.label());
    assertEquals(2, smoke.completed());
    assertEquals(1, smoke.failed());
    assertEquals(150.0, smoke.ttftMs(), 1e-9);
    assertEquals(100.0, smoke.tpotMs(), 1e-9);
    assertEquals((10 / 0.9 + 20 / 1.9) / 2, smoke.decodeThroughput(), 1e-9);
    assertEquals((10 / 1.0 + 20 / 2.1) / 2, smoke.e2eThroughput(), 1e-9);
    assertEquals(1_550.0, smoke.e2eMs(), 1e-9);
    assertEquals(15.0, smoke.outputTokens(), 1e-9);

    MatrixRow oneToken = rows.get(1);
    assertEquals("", oneToken.category(), "no smoke configuration runs 1024/128");
    assertTrue(Double.isNaN(oneToken.tpotMs()));
    assertTrue(Double.isNaN(oneToken.decodeThroughput()));
    assertEquals(20.0, oneToken.e2eThroughput(), 1e-9);

    assertEquals("", rows.get(2).category());
    assertEquals("", rows.get(2).label());
  }

  @Test
  void theRunsSizeSaysWhichConfigurationAGroupNameIs() {
    // matrix-16-16 is 128/128 at the smoke size; at full size there is no 16/16 configuration.
    assertEquals("", MatrixTable.of(summary("full")).get(0).label());
    // matrix-1024-128 at full size is the prefill-heavy "vLLM default"; no smoke configuration has those lengths.
    assertEquals("vLLM default", MatrixTable.of(summary("full")).get(1).label());
    assertEquals("", MatrixTable.of(summary("smoke")).get(1).label());
  }

  @Test
  void summaryJsonCarriesTheTableAndNullsForWhatNoRequestGave() throws IOException {
    StringWriter out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(summary(), out);
    JsonNode json = JSON.readTree(out.toString());
    assertFalse(json.has("serverMemory"), "no server log given");
    JsonNode smoke = json.get("matrix").get(0);
    assertEquals("matrix-16-16", smoke.get("group").asText());
    assertEquals(128 / 8, smoke.get("isl").asInt());
    assertEquals(150.0, smoke.get("mean_ttft_ms").asDouble(), 1e-9);
    assertEquals(10.818713, smoke.get("mean_decode_throughput").asDouble(), 1e-9);
    assertTrue(json.get("matrix").get(1).get("mean_decode_throughput").isNull());
    assertEquals(3, json.get("matrix").size());

    out = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(summary().withServerMemory(
        new ServerMemory("vllm.log", 44.2, null, 1_358_752L)), out);
    JsonNode memory = JSON.readTree(out.toString()).get("serverMemory");
    assertEquals("vllm.log", memory.get("source").asText());
    assertEquals(44.2, memory.get("modelGiB").asDouble(), 1e-9);
    assertTrue(memory.get("kvCacheGiB").isNull());
    assertEquals(1_358_752L, memory.get("kvCacheTokens").asLong());
  }

  @Test
  void everyRequiredColumnIsThereAndTheMemoryOnesSayNaWithoutALog() throws IOException {
    StringWriter csv = new StringWriter();
    MatrixFormats.csv(summary(), csv);
    List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv.toString())).getRecords();
    assertEquals(3, records.size());
    CSVRecord first = records.get(0);
    assertEquals("run-1", first.get("run_id"));
    assertEquals("micro-benchmark baseline (peak decode speed)", first.get("label"));
    assertEquals("10.818713", first.get("decode_throughput_tok_s"));
    assertEquals("100", first.get("tpot_mean_ms"));
    assertEquals("", first.get("model_memory_gib"));
    assertEquals("", records.get(1).get("tpot_mean_ms"), "undefined: empty, as in summary.csv");
    assertEquals("", first.get("validity"), "no self-monitor figures in this summary");

    List<String> console = MatrixFormats.console(summary());
    assertTrue(console.get(1).contains("Decode (tok/s)") && console.get(1).contains("KV cache tokens"), console.get(1));
    assertTrue(console.get(2).contains("10.8") && console.get(2).endsWith("n/a"), console.get(2));
    assertTrue(console.get(console.size() - 1).contains("-Dserver.log"), console.get(console.size() - 1));

    List<String> withLog = MatrixFormats.console(summary().withServerMemory(
        new ServerMemory("vllm.log", 44.2, 62.2, 1_358_752L)));
    assertTrue(withLog.get(2).matches(".*\\s44\\.2\\s+62\\.2\\s+1,358,752"), withLog.get(2));
    assertTrue(withLog.get(withLog.size() - 1).contains("vllm.log"));

    // llama.cpp b4748's tiny model: 41.25 MiB of weights, 512 MiB of cache; once printed 0.0 and 0.5.
    ServerMemory small = new ServerMemory("server.log", 41.25 / 1024, 0.5, 131_072L);
    List<String> smallLog = MatrixFormats.console(summary().withServerMemory(small));
    assertTrue(smallLog.get(2).matches(".*\\s0\\.0403\\s+0\\.500\\s+131,072"), smallLog.get(2));
    csv = new StringWriter();
    MatrixFormats.csv(summary().withServerMemory(small), csv);
    CSVRecord smallRow = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv.toString())).getRecords().get(0);
    assertEquals("0.040283", smallRow.get("model_memory_gib"), "six decimals for machines");
    assertEquals("0.5", smallRow.get("kv_cache_gib"));

    List<String> unreadable = MatrixFormats.console(summary().withServerMemory(
        new ServerMemory("vllm.log", null, null, null, "the server log /x/vllm.log could not be read: gone")));
    assertTrue(unreadable.get(unreadable.size() - 1).contains("n/a, the server log /x/vllm.log could not be read"),
        unreadable.get(unreadable.size() - 1));
  }

  @Test
  void theResultPageShowsTheTableEscapedAndOnlyForMatrixRuns() throws IOException {
    StringWriter page = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(summary(), page);
    String html = page.toString();
    assertTrue(html.contains("<h2>ISL/OSL matrix</h2>"));
    assertTrue(html.contains("<td>micro-benchmark baseline (peak decode speed)</td>"));
    assertTrue(html.contains("<td class=\"num\">10.8</td>"));

    RunSummary plain =
        ServingMetrics.summarize(summary().metadata(), List.of(row("f", "other", false, true, 3, 10, 30)));
    page = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(plain, page);
    assertFalse(page.toString().contains("ISL/OSL matrix"));
    assertFalse(page.toString().contains("Server memory"), "no log given");
    assertFalse(MatrixFormats.applies(plain));

    // A serving run given a server log shows its figures among the run's facts.
    page = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(plain.withServerMemory(
        new ServerMemory("<vllm>.log", 44.2, null, 1_358_752L)), page);
    assertTrue(page.toString().contains(
        "<th>Server memory</th><td>model 44.2 GiB, KV cache n/a, 1,358,752 KV cache tokens (from &lt;vllm&gt;.log)</td>"),
        page.toString());

    page = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.HTML).write(summary().withServerMemory(
        new ServerMemory("server.log", 41.25 / 1024, 0.5, 131_072L)), page);
    assertTrue(page.toString().contains(
        "<th>Server memory</th><td>model 0.0403 GiB, KV cache 0.500 GiB, 131,072 KV cache tokens (from server.log)</td>"),
        page.toString());
    assertTrue(page.toString().contains("<td class=\"num\">0.0403</td>"), "the matrix table's cell");
  }
}
