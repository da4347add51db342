package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.Goodput;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code summary.csv}: one row per group (sorted by name), units in the column names:
 *
 * <pre>
 * run_id, profile, framework, backend, model, group, completed, failed, error_rate,
 * total_input_tokens, total_input_tokens_planned, total_output_tokens, duration_s,
 * request_throughput_req_s, input_throughput_tok_s, output_throughput_tok_s, total_throughput_tok_s, concurrency,
 * then for X in ttft_ms, tpot_ms, itl_ms, e2e_ms, itl_per_token_ms, tokens_per_chunk:
 *   X_mean, X_median, X_std, X_p90, X_p95, X_p99, X_max,
 * validity,
 * good_requests, request_goodput_req_s, output_token_goodput_tok_s, slo_attainment,
 * then for X in client_queue_time_ms, e2el_including_client_queue_ms (vLLM's names):
 *   X_mean, X_median, X_std, X_p90, X_p95, X_p99, X_max
 * </pre>
 *
 * {@code validity} is the run's verdict as in {@code summary.json} ({@code valid} or
 * {@code client-bound}), empty when the run folder has no self-monitor figures: a spreadsheet of many
 * runs then shows which ones the load generator bent. The goodput columns (as {@code summary.json}'s
 * {@code good_requests}, {@code request_goodput}, {@code output_token_goodput}, {@code slo_attainment})
 * are empty when the run had no service-level objectives ({@code -Dslo}) or none applies to the group; the
 * client queue columns when the group has none (see {@code summary.json}).
 * New columns go last, so the columns before them keep their places.
 *
 * RFC 4180 quoting, {@code \n} line ends, numbers as {@link Numbers#decimal}.
 */
final class CsvSummaryFormat implements ReportFormat {
  static final List<String> HEADER = header();

  static final CSVFormat FORMAT = CSVFormat.Builder.create(CSVFormat.RFC4180)
      .setHeader(HEADER.toArray(String[]::new))
      .setRecordSeparator("\n")
      .get();

  private static List<String> header() {
    List<String> h = new ArrayList<>(List.of("run_id", "profile", "framework", "backend", "model", "group",
        "completed", "failed", "error_rate", "total_input_tokens", "total_input_tokens_planned",
        "total_output_tokens", "duration_s", "request_throughput_req_s", "input_throughput_tok_s",
        "output_throughput_tok_s", "total_throughput_tok_s", "concurrency"));
    for (Columns.Dist d : Columns.DISTRIBUTIONS) {
      for (Columns.Stat stat : Columns.STATS) {
        h.add(d.csvStem() + (d.millis() ? "_ms" : "") + "_" + stat.name());
      }
    }
    h.add("validity");
    h.addAll(List.of("good_requests", "request_goodput_req_s", "output_token_goodput_tok_s", "slo_attainment"));
    for (Columns.Dist d : Columns.CLIENT_QUEUE) {
      for (Columns.Stat stat : Columns.STATS) {
        h.add(d.csvStem() + "_ms_" + stat.name());
      }
    }
    return List.copyOf(h);
  }

  @Override
  public void write(RunSummary s, Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, FORMAT);
    RunMetadata m = s.metadata();
    for (GroupMetrics g : s.groups()) {
      List<String> row = new ArrayList<>(List.of(m.runId(), m.profile(), m.framework(), m.backend(), m.model(),
          g.group(), Long.toString(g.completed()), Long.toString(g.failed()), Numbers.decimal(g.errorRate()),
          Long.toString(g.totalInputTokens()), Long.toString(g.totalInputTokensPlanned()),
          Long.toString(g.totalOutputTokens()), Numbers.decimal(g.durationSeconds()),
          Numbers.decimal(g.requestThroughput()), Numbers.decimal(g.inputThroughput()),
          Numbers.decimal(g.outputThroughput()), Numbers.decimal(g.totalThroughput()),
          Numbers.decimal(g.concurrency())));
      for (Columns.Dist d : Columns.DISTRIBUTIONS) {
        for (Columns.Stat stat : Columns.STATS) {
          row.add(Numbers.decimal(stat.get().apply(d.get().apply(g))));
        }
      }
      row.add(s.validity() == null ? "" : s.validity().verdict().wireName());
      Goodput gp = g.goodput();
      row.add(gp == null ? "" : Long.toString(gp.goodRequests()));
      row.add(gp == null ? "" : Numbers.decimal(gp.requestGoodput()));
      row.add(gp == null ? "" : Numbers.decimal(gp.outputTokenGoodput()));
      row.add(gp == null ? "" : Numbers.decimal(gp.sloAttainment()));
      for (Columns.Dist d : Columns.CLIENT_QUEUE) {
        Distribution q = d.get().apply(g);
        for (Columns.Stat stat : Columns.STATS) {
          row.add(q == null ? "" : Numbers.decimal(stat.get().apply(q)));
        }
      }
      printer.printRecord(row);
    }
    printer.flush(); // not closed: the caller owns the writer
  }
}
