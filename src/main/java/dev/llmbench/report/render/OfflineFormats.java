package dev.llmbench.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.OfflineRow;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The offline sweep's table ({@code report.stats.OfflineTable}, SGLang's {@code bench_one_batch} figures),
 * in the forms an offline run's result gives it: {@code offline.csv} (the seed's CSV, one row per batch
 * size with a backend column), {@code config.json} (the sweep's configuration, as the seed writes one
 * beside its CSV), the {@code "offline"} table of {@code summary.json}, the console and the result page.
 *
 * <p>The backend column is the serving framework the run measured ({@code metadata.framework}): the
 * seed's attention backend (aiter, triton) is a server flag HTTP does not show; label it in
 * {@code -Dserver.hardware}, which {@code config.json} carries.
 */
public final class OfflineFormats {
  /** The table's file in an offline run's result folder. */
  public static final String FILE_NAME = "offline.csv";

  /** The sweep's configuration in an offline run's result folder. */
  public static final String CONFIG_FILE = "config.json";

  /** Version of {@code config.json}. */
  public static final int CONFIG_SCHEMA_VERSION = 1;

  static final List<String> CSV_HEADER = List.of("batch_size", "input_len", "output_len", "backend",
      "prefill_latency_s", "median_decode_latency_s", "e2e_latency_s", "prefill_throughput_tok_s",
      "median_decode_throughput_tok_s", "e2e_throughput_tok_s", "mode", "batches", "failed_batches", "group", "run_id",
      "model", "validity");

  /** The table's columns as the console and the page head them (the seed's names and units). */
  static final List<String> HEADER = List.of("Batch", "Input", "Output", "Batches", "Prefill latency (s)",
      "Median decode latency (s)", "E2E latency (s)", "Prefill throughput (tok/s)",
      "Median decode throughput (tok/s)", "E2E throughput (tok/s)");

  private OfflineFormats() {}

  /** Whether the run has an offline table: it measured offline batches. */
  public static boolean applies(RunSummary s) {
    return !s.offline().isEmpty();
  }

  /**
   * {@code offline.csv}: one row per batch size in run order, RFC 4180, {@code \n} line ends; an unknown
   * figure is empty. The first columns are the seed's; the run's validity verdict is last, as in
   * {@code summary.csv}.
   */
  public static void csv(RunSummary s, Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, CSVFormat.Builder.create(CSVFormat.RFC4180)
        .setHeader(CSV_HEADER.toArray(String[]::new)).setRecordSeparator("\n").get());
    RunMetadata m = s.metadata();
    for (OfflineRow r : s.offline()) {
      printer.printRecord(r.batchSize(), r.inputLen(), r.outputLen(), m.framework(),
          Numbers.decimal(r.prefillLatencySec()), Numbers.decimal(r.medianDecodeLatencySec()),
          Numbers.decimal(r.e2eLatencySec()), Numbers.decimal(r.prefillThroughput()),
          Numbers.decimal(r.medianDecodeThroughput()), Numbers.decimal(r.e2eThroughput()), r.mode(), r.batches(),
          r.failedBatches(), r.group(), m.runId(), m.model(),
          s.validity() == null ? "" : s.validity().verdict().wireName());
    }
    printer.flush(); // not closed: the caller owns the writer
  }

  /**
   * {@code summary.json}'s {@code "offline"} table (see {@link JsonSummaryFormat}'s schema), only for a run
   * that has one.
   */
  static void json(JsonGenerator gen, RunSummary s) throws IOException {
    if (!applies(s)) {
      return;
    }
    gen.writeArrayFieldStart("offline");
    for (OfflineRow r : s.offline()) {
      gen.writeStartObject();
      gen.writeStringField("group", r.group());
      gen.writeStringField("mode", r.mode());
      gen.writeNumberField("batch_size", r.batchSize());
      gen.writeNumberField("input_len", r.inputLen());
      gen.writeNumberField("output_len", r.outputLen());
      gen.writeNumberField("batches", r.batches());
      gen.writeNumberField("failed_batches", r.failedBatches());
      JsonSummaryFormat.writeNullable(gen, "prefill_latency_s", r.prefillLatencySec());
      JsonSummaryFormat.writeNullable(gen, "median_decode_latency_s", r.medianDecodeLatencySec());
      JsonSummaryFormat.writeNullable(gen, "e2e_latency_s", r.e2eLatencySec());
      JsonSummaryFormat.writeNullable(gen, "prefill_throughput", r.prefillThroughput());
      JsonSummaryFormat.writeNullable(gen, "median_decode_throughput", r.medianDecodeThroughput());
      JsonSummaryFormat.writeNullable(gen, "e2e_throughput", r.e2eThroughput());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /**
   * {@code config.json}: what the sweep was, as the seed records its run beside its CSV: its mode, batch
   * sizes, lengths, measured batches per size, the server and the model. The full run parameters are in
   * {@code metadata.json}; this is the sweep's part of them in one place.
   */
  public static void config(RunSummary s, Writer out) throws IOException {
    RunMetadata m = s.metadata();
    JsonGenerator gen = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out).useDefaultPrettyPrinter();
    gen.writeStartObject();
    gen.writeNumberField("schemaVersion", CONFIG_SCHEMA_VERSION);
    gen.writeStringField("runId", m.runId());
    gen.writeStringField("startedAt", m.startedAt());
    gen.writeStringField("mode", String.join(",", new TreeSet<>(s.offline().stream().map(OfflineRow::mode).toList())));
    gen.writeStringField("backend", m.framework());
    gen.writeStringField("api", m.backend());
    gen.writeStringField("model", m.model());
    gen.writeStringField("targetUrl", m.targetUrl());
    gen.writeStringField("serverVersion", m.serverVersion());
    gen.writeStringField("serverHardware", m.serverHardware());
    gen.writeStringField("size", m.parameters().getOrDefault("size", ""));
    gen.writeArrayFieldStart("configs");
    for (OfflineRow r : s.offline()) {
      gen.writeStartObject();
      gen.writeNumberField("batch_size", r.batchSize());
      gen.writeNumberField("input_len", r.inputLen());
      gen.writeNumberField("output_len", r.outputLen());
      gen.writeNumberField("batches", r.batches());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
    gen.flush();
    out.write("\n");
  }

  /** The table's cells as the console and the page show them, one list per batch size. */
  static List<List<String>> cells(RunSummary s) {
    List<List<String>> rows = new ArrayList<>();
    for (OfflineRow r : s.offline()) {
      rows.add(List.of(Integer.toString(r.batchSize()), Integer.toString(r.inputLen()), Integer.toString(r.outputLen()),
          r.batches() + (r.failedBatches() > 0 ? " (+" + r.failedBatches() + " failed)" : ""),
          fixed(r.prefillLatencySec(), 4), fixed(r.medianDecodeLatencySec(), 5), fixed(r.e2eLatencySec(), 4),
          fixed(r.prefillThroughput(), 1), fixed(r.medianDecodeThroughput(), 1), fixed(r.e2eThroughput(), 1)));
    }
    return rows;
  }

  /** The table as aligned text, for the console: a title, the header, one line per batch size. */
  public static List<String> console(RunSummary s) {
    List<String> lines = new ArrayList<>(ConsoleTable.lines("============ Offline batches (bench_one_batch's figures, "
        + "medians over the measured batches) ============", HEADER, cells(s), Set.of()));
    lines.add("Backend: " + (s.metadata().framework().isEmpty() ? "unknown" : s.metadata().framework()));
    return lines;
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
