package dev.llmbench.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.Numbers;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.MetricComparison;
import dev.llmbench.report.baseline.Status;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.PoolingRow;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.PoolingTable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The scoring runbook's table ({@link PoolingTable}) in the forms a pooling run's result gives it: the
 * console ({@code Batch | Labels | IPS | p50 (ms) | p95 (ms) | p99 (ms) | Status}, as the runbook's
 * script prints it), {@code pooling.csv}, the {@code poolingTable} of {@code summary.json} and the
 * result page. A cell's status is its worst metric's in the baseline comparison (IPS, requests per
 * second, the E2E latencies, the error rate, each judged by the noise rule): {@code OK} within 5 %,
 * {@code WARN} from 5 % to the regression threshold, {@code REGRESSION} beyond it; without a
 * comparison it says why ({@code no baseline}, {@code not comparable}).
 */
public final class PoolingFormats {
  /** The file of a pooling run's result folder. */
  public static final String FILE_NAME = "pooling.csv";

  static final List<String> CSV_HEADER = List.of("run_id", "framework", "model", "profile", "group", "batch",
      "labels", "completed", "failed", "items_per_second", "requests_per_second", "mean_ms", "p50_ms", "p95_ms",
      "p99_ms", "status", "validity");

  /** The runbook's columns, then the ones it leaves to its CSV. */
  static final List<String> HEADER = List.of("Batch", "Labels", "IPS", "p50 (ms)", "p95 (ms)", "p99 (ms)", "Status");

  /** The page's columns: the runbook's and the rest of each cell's figures. */
  static final List<String> PAGE_HEADER = List.of("Group", "Batch", "Labels", "IPS", "p50 (ms)", "p95 (ms)", "p99 (ms)",
      "Status", "Mean (ms)", "Req/s", "Completed", "Failed");

  private PoolingFormats() {}

  /** Whether the run has a pooling table. */
  public static boolean applies(RunSummary s) {
    return !PoolingTable.of(s).isEmpty();
  }

  /**
   * A cell's status against the baseline: its metrics' worst ({@code REGRESSION}, then any kind of
   * {@code WARN}, then {@code IMPROVED} when one metric improved and none is worse, else {@code OK}).
   */
  static String status(BaselineCheck check, String group) {
    if (check == null) {
      return "n/a";
    }
    if (check.comparison() == null) {
      return switch (check.kind()) {
        case NO_BASELINE -> "no baseline";
        case NOT_COMPARABLE -> "not comparable";
        default -> "n/a";
      };
    }
    List<MetricComparison> rows = check.comparison().rows().stream().filter(r -> r.group().equals(group)).toList();
    if (rows.isEmpty()) {
      return "not in baseline";
    }
    Status worst = Status.OK;
    for (MetricComparison r : rows) {
      if (rank(r.status()) > rank(worst)) {
        worst = r.status();
      }
    }
    return worst.label();
  }

  /** Severity: OK < IMPROVED < WARN (any kind) < REGRESSION. */
  private static int rank(Status s) {
    return switch (s) {
      case OK -> 0;
      case IMPROVED -> 1;
      case REGRESSION -> 3;
      default -> 2;
    };
  }

  /** {@code pooling.csv}: one row per cell, RFC 4180, {@code \n} line ends; an unknown figure is empty. */
  public static void csv(RunSummary s, BaselineCheck check, Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, CSVFormat.Builder.create(CSVFormat.RFC4180)
        .setHeader(CSV_HEADER.toArray(String[]::new)).setRecordSeparator("\n").get());
    RunMetadata m = s.metadata();
    for (PoolingRow r : PoolingTable.of(s)) {
      printer.printRecord(m.runId(), m.framework(), m.model(), m.profile(), r.group(), orEmpty(r.batch()),
          orEmpty(r.labels()), r.completed(), r.failed(), Numbers.decimal(r.itemsPerSecond()),
          Numbers.decimal(r.requestsPerSecond()), decimalOrEmpty(r.meanMs()), decimalOrEmpty(r.p50Ms()),
          decimalOrEmpty(r.p95Ms()), decimalOrEmpty(r.p99Ms()), status(check, r.group()),
          s.validity() == null ? "" : s.validity().verdict().wireName());
    }
    printer.flush(); // not closed: the caller owns the writer
  }

  /** {@code summary.json}'s {@code poolingTable}: one object per cell; nothing when the run has no pooling group. */
  static void json(JsonGenerator gen, RunSummary s, BaselineCheck check) throws IOException {
    List<PoolingRow> rows = PoolingTable.of(s);
    if (rows.isEmpty()) {
      return;
    }
    gen.writeArrayFieldStart("poolingTable");
    for (PoolingRow r : rows) {
      gen.writeStartObject();
      gen.writeStringField("group", r.group());
      nullableInt(gen, "batch", r.batch());
      nullableInt(gen, "labels", r.labels());
      gen.writeNumberField("completed", r.completed());
      gen.writeNumberField("failed", r.failed());
      JsonSummaryFormat.writeNullable(gen, "items_per_second", r.itemsPerSecond());
      JsonSummaryFormat.writeNullable(gen, "request_throughput", r.requestsPerSecond());
      JsonSummaryFormat.writeNullable(gen, "mean_latency_ms", r.meanMs());
      JsonSummaryFormat.writeNullable(gen, "p50_latency_ms", r.p50Ms());
      JsonSummaryFormat.writeNullable(gen, "p95_latency_ms", r.p95Ms());
      JsonSummaryFormat.writeNullable(gen, "p99_latency_ms", r.p99Ms());
      gen.writeStringField("status", status(check, r.group()));
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** The page's rows ({@link #PAGE_HEADER}). */
  static List<List<String>> pageRows(RunSummary s, BaselineCheck check) {
    List<List<String>> rows = new ArrayList<>();
    for (PoolingRow r : PoolingTable.of(s)) {
      rows.add(List.of(r.group(), orNa(r.batch()), orNa(r.labels()), fixed(r.itemsPerSecond()), fixed(r.p50Ms()),
          fixed(r.p95Ms()), fixed(r.p99Ms()), status(check, r.group()), fixed(r.meanMs()),
          fixed(r.requestsPerSecond()), Long.toString(r.completed()), Long.toString(r.failed())));
    }
    return rows;
  }

  /**
   * The runbook's table for the console: a rule, the title with the profile, the header and one line
   * per cell; then a line per cell with failed requests, and what the status column was judged against.
   */
  public static List<String> console(RunSummary s, BaselineCheck check) {
    List<PoolingRow> rows = PoolingTable.of(s);
    List<String> statuses = rows.stream().map(r -> status(check, r.group())).toList();
    int statusWidth = Math.max(10, statuses.stream().mapToInt(String::length).max().orElse(0));
    String rule = "=".repeat(80);
    List<String> lines = new ArrayList<>();
    lines.add(rule);
    lines.add("BENCHMARK RESULTS - Profile: " + s.metadata().profile());
    lines.add(rule);
    String format = "%5s | %6s | %12s | %8s | %8s | %8s | %" + statusWidth + "s";
    // Cells named otherwise than the runbook's (the stress scenarios' groups) are told apart by a first column.
    boolean named = rows.stream().anyMatch(r -> !RUNBOOK_CELL.matcher(r.group()).matches());
    int groupWidth = rows.stream().mapToInt(r -> r.group().length()).max().orElse(0);
    String group = named ? "%-" + groupWidth + "s | " : "";
    lines.add(String.format(Locale.ROOT, named ? "%-" + groupWidth + "s | " + format : format,
        named ? prepend("Group", HEADER) : HEADER.toArray()));
    lines.add((named ? "-".repeat(groupWidth) + "-|-" : "")
        + "------|--------|--------------|----------|----------|----------|-" + "-".repeat(statusWidth));
    for (int i = 0; i < rows.size(); i++) {
      PoolingRow r = rows.get(i);
      // The runbook's figures: IPS with one decimal and a space, latencies likewise.
      String line = String.format(Locale.ROOT, format, orNa(r.batch()), orNa(r.labels()), fixed(r.itemsPerSecond())
          + " ", fixed(r.p50Ms()) + " ", fixed(r.p95Ms()) + " ", fixed(r.p99Ms()) + " ", statuses.get(i));
      lines.add(named ? String.format(Locale.ROOT, group, r.group()) + line : line);
    }
    for (GroupMetrics g : s.groups()) {
      if (g.failed() > 0 && rows.stream().anyMatch(r -> r.group().equals(g.group()))) {
        // The most frequent first (ErrorCount.ORDER); summary.json and the page have every message.
        ErrorCount top = g.errors().get(0);
        lines.add("Errors in " + g.group() + ": " + g.failed() + " of " + g.measured() + " requests failed, "
            + top.count() + " with: " + top.message());
      }
    }
    return lines;
  }

  /** A cell of the runbook's sweep: {@code batch=8 labels=2}, or {@code batch=8} for an API without labels. */
  private static final java.util.regex.Pattern RUNBOOK_CELL =
      java.util.regex.Pattern.compile("batch=\\d+( labels=\\d+)?");

  private static Object[] prepend(String first, List<String> rest) {
    List<Object> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray();
  }

  private static String fixed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String orNa(Integer v) {
    return v == null ? "n/a" : v.toString();
  }

  private static String orEmpty(Integer v) {
    return v == null ? "" : v.toString();
  }

  private static String decimalOrEmpty(double v) {
    return Double.isNaN(v) ? "" : Numbers.decimal(v);
  }

  private static void nullableInt(JsonGenerator gen, String field, Integer v) throws IOException {
    if (v == null) {
      gen.writeNullField(field);
    } else {
      gen.writeNumberField(field, v);
    }
  }
}
