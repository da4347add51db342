package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.MatrixRow;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerMemory;
import dev.llmbench.report.stats.MatrixTable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code bench_full.py}'s table of the ISL/OSL matrix ({@link MatrixTable}), in the forms a matrix
 * run's result gives it: {@code matrix.csv}, the console and the result page. The procedure requires
 * every column, the server's memory included ("Do not omit any"): without {@code -Dserver.log} the
 * memory columns are there and say {@code n/a} (empty in the CSV).
 */
public final class MatrixFormats {
  /** The file of a matrix run's result folder. */
  public static final String FILE_NAME = "matrix.csv";

  static final List<String> CSV_HEADER = List.of("run_id", "framework", "model", "group", "isl", "osl", "category",
      "label", "completed", "failed", "ttft_mean_ms", "tpot_mean_ms", "decode_throughput_tok_s",
      "e2e_throughput_tok_s", "e2e_mean_ms", "output_tokens_mean", "model_memory_gib", "kv_cache_gib",
      "kv_cache_tokens", "validity");

  /** The table's columns as the console and the page head them. */
  static final List<String> HEADER = List.of("ISL", "OSL", "Category", "Label", "Runs", "TTFT (ms)", "TPOT (ms)",
      "Decode (tok/s)", "E2E (tok/s)", "Model memory (GiB)", "KV cache (GiB)", "KV cache tokens");

  private MatrixFormats() {}

  /** Whether the run has a matrix table: it measured matrix configurations. */
  public static boolean applies(RunSummary s) {
    return !MatrixTable.of(s).isEmpty();
  }

  /**
   * {@code matrix.csv}: one row per configuration, RFC 4180, {@code \n} line ends; an unknown figure is
   * empty; the last column is the run's validity verdict, as in {@code summary.csv}.
   */
  public static void csv(RunSummary s, Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, CSVFormat.Builder.create(CSVFormat.RFC4180)
        .setHeader(CSV_HEADER.toArray(String[]::new)).setRecordSeparator("\n").get());
    RunMetadata m = s.metadata();
    ServerMemory mem = s.serverMemory();
    for (MatrixRow r : MatrixTable.of(s)) {
      printer.printRecord(m.runId(), m.framework(), m.model(), r.group(), r.isl(), r.osl(), r.category(), r.label(),
          r.completed(), r.failed(), Numbers.decimal(r.ttftMs()), Numbers.decimal(r.tpotMs()),
          Numbers.decimal(r.decodeThroughput()), Numbers.decimal(r.e2eThroughput()), Numbers.decimal(r.e2eMs()),
          Numbers.decimal(r.outputTokens()),
          mem == null || mem.modelGiB() == null ? "" : Numbers.decimal(mem.modelGiB()),
          mem == null || mem.kvCacheGiB() == null ? "" : Numbers.decimal(mem.kvCacheGiB()),
          mem == null || mem.kvCacheTokens() == null ? "" : Long.toString(mem.kvCacheTokens()),
          // As summary.csv's last column: a spreadsheet of many runs shows the ones the client bent.
          s.validity() == null ? "" : s.validity().verdict().wireName());
    }
    printer.flush(); // not closed: the caller owns the writer
  }

  /** The table's cells as the console and the page show them, one list per configuration. */
  static List<List<String>> cells(RunSummary s) {
    ServerMemory mem = s.serverMemory();
    List<List<String>> rows = new ArrayList<>();
    for (MatrixRow r : MatrixTable.of(s)) {
      rows.add(List.of(Integer.toString(r.isl()), Integer.toString(r.osl()), orNa(r.category()), orNa(r.label()),
          r.completed() + (r.failed() > 0 ? " (+" + r.failed() + " failed)" : ""), fixed(r.ttftMs(), 1),
          fixed(r.tpotMs(), 2), fixed(r.decodeThroughput(), 1), fixed(r.e2eThroughput(), 1),
          mem == null || mem.modelGiB() == null ? "n/a" : MemoryFormat.gib(mem.modelGiB()),
          mem == null || mem.kvCacheGiB() == null ? "n/a" : MemoryFormat.gib(mem.kvCacheGiB()),
          mem == null || mem.kvCacheTokens() == null ? "n/a" : String.format(Locale.ROOT, "%,d", mem.kvCacheTokens())));
    }
    return rows;
  }

  /** Where the memory columns come from, one line. */
  static String memoryNote(RunSummary s) {
    ServerMemory mem = s.serverMemory();
    if (mem == null) {
      return "Memory columns: n/a, no server log given (-Dserver.log=<file>, e.g. the output of docker logs).";
    }
    if (mem.problem() != null) {
      return "Memory columns: n/a, " + mem.problem() + ".";
    }
    return "Memory columns: from the server's log " + mem.source()
        + (mem.isEmpty() ? ", which has none of the lines they are read from (n/a)." : ".");
  }

  /** The memory figures in one line, for the page's run facts: each figure, or n/a, and where they came from. */
  static String memorySummary(ServerMemory mem) {
    if (mem.problem() != null) {
      return "n/a: " + mem.problem();
    }
    return "model " + (mem.modelGiB() == null ? "n/a" : MemoryFormat.gib(mem.modelGiB()) + " GiB")
        + ", KV cache " + (mem.kvCacheGiB() == null ? "n/a" : MemoryFormat.gib(mem.kvCacheGiB()) + " GiB")
        + ", " + (mem.kvCacheTokens() == null ? "n/a" : String.format(Locale.ROOT, "%,d", mem.kvCacheTokens()))
        + " KV cache tokens (from " + mem.source() + ")";
  }

  /** The table as aligned text, for the console: a title, the header, one line per configuration, the memory note. */
  public static List<String> console(RunSummary s) {
    // The text columns (category, label) to the left, the figures to the right.
    List<String> lines = new ArrayList<>(ConsoleTable.lines("============ ISL/OSL matrix (bench_full.py's table, means "
        + "over the measured runs) ============", HEADER, cells(s), Set.of(2, 3)));
    lines.add(memoryNote(s));
    return lines;
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String orNa(String s) {
    return s.isEmpty() ? "n/a" : s;
  }
}
