package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.RequestRow;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code requests.csv}: one row per request, warm-ups included, sorted by request id (numeric suffixes
 * as numbers):
 *
 * <pre>
 * request_id, group, warmup (true/false), ok (true/false), status (HTTP, 0 when none), error (empty when none),
 * prompt_tokens, output_tokens, ttft_ms, tpot_ms, e2e_ms
 * </pre>
 *
 * An undefined time (no TTFT without content, no TPOT for at most one output token) is empty. RFC 4180
 * quoting (error messages may hold commas, quotes and line breaks), {@code \n} line ends.
 */
final class RequestsCsvFormat implements ReportFormat {
  static final String[] HEADER = {"request_id", "group", "warmup", "ok", "status", "error", "prompt_tokens",
      "output_tokens", "ttft_ms", "tpot_ms", "e2e_ms"};

  static final CSVFormat FORMAT = CSVFormat.Builder.create(CSVFormat.RFC4180)
      .setHeader(HEADER)
      .setRecordSeparator("\n")
      .get();

  @Override
  public void write(RunSummary s, Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, FORMAT);
    for (RequestRow r : s.requests()) {
      printer.printRecord(r.requestId(), r.group(), Boolean.toString(r.warmup()), Boolean.toString(r.ok()),
          Integer.toString(r.httpStatus()), r.error() == null ? "" : r.error(), Integer.toString(r.promptTokens()),
          Integer.toString(r.outputTokens()), Numbers.decimal(r.ttftMs()), Numbers.decimal(r.tpotMs()),
          Numbers.decimal(r.e2eMs()));
    }
    printer.flush(); // not closed: the caller owns the writer
  }
}
