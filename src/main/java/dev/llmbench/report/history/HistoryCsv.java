package dev.llmbench.report.history;

import dev.llmbench.io.TempSibling;
import dev.llmbench.report.SummaryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code reports/history/<framework>/<profile>.csv}: one row per result folder and group, oldest first
 * (docs/history.md lists the columns). The headline figures are {@link SummaryIndex#HEADLINE_FIELDS}, so
 * the history and the summary index never disagree on what a headline is.
 */
public final class HistoryCsv {
  /**
   * "true" for a step of a capacity search (CapacitySimulation): its loads are chosen by the search, so
   * they differ from one run to the next and are not a trend; kept in the CSV, left out of the plots.
   */
  public static final String CAPACITY_SEARCH = "capacity_search";
  /** The load parameters that make two runs comparable (empty when the run did not record one). */
  static final List<String> LOAD = List.of("num_prompts", "max_concurrency", "request_rate", "input_len",
      "output_len", "batch", "labels", CAPACITY_SEARCH);
  /** The server's memory: from its log (-Dserver.log) and its GPUs (nvidia-smi), empty without. */
  static final List<String> MEMORY = List.of("model_memory_gib", "kv_cache_gib", "kv_cache_tokens",
      "vram_peak_mib", "kv_cache_usage_peak");
  /**
   * An offline sweep's figures per batch size (summary.json "offline", SGLang bench_one_batch's), as the
   * seed's offline CSV has them; empty for other runs.
   */
  static final List<String> OFFLINE = List.of("prefill_latency_s", "median_decode_latency_s", "e2e_latency_s",
      "prefill_throughput", "median_decode_throughput", "e2e_throughput");
  static final List<String> VERDICTS = List.of("validity", "baseline_verdict", "baseline_group_status");
  /** The columns, in order. */
  public static final List<String> HEADER;

  static {
    List<String> h = new ArrayList<>(List.of("date", "result_folder", "commit", "framework_version", "backend",
        "model", "server_hardware", "group"));
    h.addAll(LOAD);
    h.addAll(SummaryIndex.HEADLINE_FIELDS);
    h.addAll(MEMORY);
    h.addAll(OFFLINE);
    h.addAll(VERDICTS);
    HEADER = List.copyOf(h);
  }

  private HistoryCsv() {}

  /** Writes the rows (already sorted) to {@code file} atomically. */
  static void write(Path file, List<HistoryRow> rows) throws IOException {
    TempSibling.write(file, out -> {
      try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new))
          .setRecordSeparator("\n").get())) {
        for (HistoryRow r : rows) {
          List<String> cells = new ArrayList<>(HEADER.size());
          for (String c : HEADER) {
            cells.add(c.equals("date") ? DateTimeFormatter.ISO_INSTANT.format(r.date()) : r.cell(c));
          }
          csv.printRecord(cells);
        }
      }
    });
  }
}
