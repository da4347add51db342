package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.ServerTelemetry;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The run's time series in the result folder, all on one axis, {@code time_s}: seconds from the run's
 * first send (how the clocks are aligned: {@code report.input.TelemetryFiles}).
 *
 * <ul>
 *   <li>{@value #SERVER_FILE}: one row per scrape that got a page; {@code time_s}, then one column per
 *       series of telemetry-names.json the server gave (running and waiting requests, KV-cache usage 0..1,
 *       prefix-cache hits and queries, preemptions, prompt and generation tokens: counters as the server
 *       counts them, since its start); a cell is empty when that page lacked the series. The pages
 *       themselves, with every series unmapped, are the run folder's {@code server-metrics.jsonl}, copied
 *       beside it.
 *   <li>{@value #GPU_FILE}: one row per GPU per sample; {@code time_s, gpu, memory_used_mib,
 *       memory_total_mib, utilization_pct} (nvidia-smi's figures; empty when it could not give one).
 *   <li>{@value #TIMELINE_FILE}: one row per second of the load, from the per-request rows:
 *       {@code time_s} (the second's start), {@code output_tokens_per_s}, {@code requests_in_flight} (mean
 *       over the second), {@code ttft_p50_ms} (requests whose first token came in it), {@code itl_p50_ms}
 *       (gaps that ended in it), {@code completed}, {@code failed}.
 * </ul>
 */
public final class TelemetryFormats {
  public static final String SERVER_FILE = "server-metrics.csv";
  public static final String GPU_FILE = "gpu.csv";
  public static final String TIMELINE_FILE = "timeline.csv";

  private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

  private TelemetryFormats() {}

  /** {@value #SERVER_FILE}. */
  public static void serverCsv(ServerTelemetry t, Writer out) throws IOException {
    try (CSVPrinter csv = new CSVPrinter(out, CSV)) {
      List<String> header = new ArrayList<>();
      header.add("time_s");
      header.addAll(t.columns());
      csv.printRecord(header);
      for (ServerTelemetry.Point p : t.points()) {
        List<String> row = new ArrayList<>();
        row.add(Numbers.decimal(p.timeSec()));
        for (String c : t.columns()) {
          Double v = p.values().get(c);
          row.add(v == null || !Double.isFinite(v) ? "" : Numbers.decimal(v));
        }
        csv.printRecord(row);
      }
    }
  }

  /** {@value #GPU_FILE}. */
  public static void gpuCsv(ServerTelemetry t, Writer out) throws IOException {
    try (CSVPrinter csv = new CSVPrinter(out, CSV)) {
      csv.printRecord("time_s", "gpu", "memory_used_mib", "memory_total_mib", "utilization_pct");
      for (ServerTelemetry.GpuSample s : t.gpus()) {
        for (ServerTelemetry.Gpu g : s.gpus()) {
          csv.printRecord(Numbers.decimal(s.timeSec()), g.index(), Numbers.decimal(g.memoryUsedMib()),
              Numbers.decimal(g.memoryTotalMib()), Numbers.decimal(g.utilizationPct()));
        }
      }
    }
  }

  /** {@value #TIMELINE_FILE}. */
  public static void timelineCsv(List<ClientSecond> seconds, Writer out) throws IOException {
    try (CSVPrinter csv = new CSVPrinter(out, CSV)) {
      csv.printRecord("time_s", "output_tokens_per_s", "requests_in_flight", "ttft_p50_ms", "itl_p50_ms", "completed",
          "failed");
      for (ClientSecond s : seconds) {
        csv.printRecord(Numbers.decimal(s.startSec()), Numbers.decimal(s.outputTokens()), Numbers.decimal(s.inFlight()),
            Numbers.decimal(s.ttftP50Ms()), Numbers.decimal(s.itlP50Ms()), s.completed(), s.failed());
      }
    }
  }
}
