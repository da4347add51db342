package dev.llmbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.io.TempSibling;
import dev.llmbench.report.input.RunDescriptionFile;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code reports/summary/index.csv}: one row per group of every result folder under
 * {@code reports/<framework>/}, newest folders last, with the headline figures, so that runs of
 * several frameworks and days can be compared at a glance, with each run's validity verdict beside
 * its figures, the server's hardware label beside its model, a matrix run's decode and E2E
 * throughputs (bench_full.py's, empty for other runs), and the server's memory figures (from
 * {@code -Dserver.log}) last. Rebuilt from the folders each time
 * (it holds nothing of its own) and replaced atomically.
 */
public final class SummaryIndex {
  public static final String FOLDER = "summary";
  /** The history's folder beside it ({@code report.history}): no framework's either. */
  public static final String HISTORY_FOLDER = "history";
  public static final String FILE = "index.csv";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] HEADER = {"framework", "result_folder", "group", "started_at", "model",
      "server_hardware", "partial",
      "validity", "completed", "failed", "request_throughput", "output_throughput", "median_ttft_ms", "p99_ttft_ms",
      "mean_tpot_ms", "median_itl_ms", "p99_itl_ms", "items_per_second", "median_e2e_latency_ms",
      "p99_e2e_latency_ms", "mean_decode_throughput", "mean_e2e_throughput",
      "model_memory_gib", "kv_cache_gib", "kv_cache_tokens",
      // Last, not beside server_hardware: readers that index the older columns by position keep working.
      "server_version"};
  /**
   * The headline figures of a group, summary.json's keys, in the index's order; shared with the history
   * CSVs (report.history) so both list the same figures.
   */
  public static final java.util.List<String> HEADLINE_FIELDS;
  private static final String[] FIELDS = {"completed", "failed", "request_throughput", "output_throughput",
      "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_itl_ms", "p99_itl_ms", "items_per_second",
      "median_e2e_latency_ms", "p99_e2e_latency_ms"};
  /** What a pooling group (one answer per request, no token streamed) has not: left empty, not 0. */
  public static final java.util.Set<String> TOKEN_FIELDS = java.util.Set.of("output_throughput", "median_ttft_ms",
      "p99_ttft_ms", "mean_tpot_ms", "median_itl_ms", "p99_itl_ms");
  /** bench_full.py's per-request throughputs, from the summary's matrix table: a matrix run's groups only. */
  private static final String[] MATRIX_FIELDS = {"mean_decode_throughput", "mean_e2e_throughput"};
  private static final String[] MEMORY_FIELDS = {"modelGiB", "kvCacheGiB", "kvCacheTokens"};

  static {
    HEADLINE_FIELDS = java.util.List.of(FIELDS);
  }

  private SummaryIndex() {}

  /** Rebuilds the index; returns its path. Folders without a readable summary are skipped. */
  public static Path rebuild(Path reports) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    if (Files.isDirectory(reports)) {
      try (Stream<Path> frameworks = Files.list(reports)) {
        for (Path framework : frameworks.filter(Files::isDirectory).sorted().toList()) {
          String name = framework.getFileName().toString();
          if (name.equals(FOLDER) || name.equals(HISTORY_FOLDER)) {
            continue;
          }
          try (Stream<Path> results = Files.list(framework)) {
            for (Path result : results.filter(p -> Files.isRegularFile(p.resolve("summary.json"))).sorted().toList()) {
              addRows(framework.getFileName().toString(), result, rows);
            }
          }
        }
      }
    }
    Path dir = reports.resolve(FOLDER);
    Files.createDirectories(dir);
    Path temp = TempSibling.file(dir, "." + FILE, ".tmp");
    try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator("\n")
            .get())) {
      for (List<String> row : rows) {
        csv.printRecord(row);
      }
    }
    return Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void addRows(String framework, Path result, List<List<String>> rows) {
    try {
      JsonNode summary = MAPPER.readTree(result.resolve("summary.json").toFile());
      Path metaFile = result.resolve("metadata.json");
      JsonNode meta = Files.isRegularFile(metaFile) ? MAPPER.readTree(metaFile.toFile()) : MAPPER.createObjectNode();
      for (JsonNode g : summary.path("groups")) {
        List<String> row = new ArrayList<>();
        row.add(framework);
        row.add(result.getFileName().toString());
        row.add(g.path("group").asText());
        row.add(summary.path("metadata").path("startedAt").asText(""));
        row.add(summary.path("metadata").path("model").asText(""));
        // The -Dserver.hardware label, from metadata.json, which has had it since the label existed.
        row.add(Objects.requireNonNullElse(RunDescriptionFile.inMetadata(meta).serverHardware(), ""));
        row.add(meta.path("partial").asText("unknown"));
        // Empty when the folder has no verdict (no self-monitor figures), as in summary.csv.
        row.add(summary.path("validity").path("verdict").asText(""));
        boolean pooling = g.has("total_items");
        for (String f : FIELDS) {
          row.add(pooling && TOKEN_FIELDS.contains(f) ? "" : g.path(f).asText(""));
        }
        JsonNode matrix = MAPPER.missingNode();
        for (JsonNode m : summary.path("matrix")) {
          if (m.path("group").asText().equals(g.path("group").asText())) {
            matrix = m;
          }
        }
        for (String f : MATRIX_FIELDS) {
          JsonNode v = matrix.path(f);
          row.add(v.isNumber() ? v.asText() : "");
        }
        // The server's memory from its log (-Dserver.log), beside the throughput it bought; empty without.
        JsonNode memory = summary.path("serverMemory");
        for (String f : MEMORY_FIELDS) {
          JsonNode v = memory.path(f);
          // Plain digits: a figure below 1 MiB read back as a double would print as 9.77E-4.
          row.add(v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : "");
        }
        // What the server reported at the start (summary.json's serverVersion), "" for older runs.
        row.add(summary.path("metadata").path("serverVersion").asText(""));
        rows.add(row);
      }
    } catch (IOException | IllegalArgumentException e) {
      // A folder being written by hand or half-deleted: the index lists what it can read.
    }
  }
}
