package dev.llmbench.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.Numbers;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineMetadata;
import dev.llmbench.report.baseline.Comparison;
import dev.llmbench.report.baseline.Metric;
import dev.llmbench.report.baseline.MetricComparison;
import dev.llmbench.report.baseline.Thresholds;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The baseline comparison as files and text: {@code comparison.json} in the result folder, the console
 * table, and the cells the result page shows. Only lays out what the comparison holds; numbers with
 * {@link Locale#ROOT}.
 *
 * <h2>{@code comparison.json}</h2>
 * <pre>
 * {
 *   "schemaVersion" : 1,
 *   "status" : "compared" | "no-baseline" | "not-comparable" | "unreadable-baseline",
 *   "message" : one line (the verdict, or why nothing was compared and what to do),
 *   only when compared:
 *   "verdict" : "regression" | "no-regression" | "client-bound" | "other-hardware" | "partial" (the last
 *               three: not judged; a regression despite client-bound or other hardware is the error-rate
 *               gate, which only a partial result downgrades),
 *   "baseline" : { "csv", "commit", "timestampUtc", "reason", "runs" (count) },
 *   "thresholds" : { "regressionPct", "warnPct", "p95GatePct", "errorRateGate" (0..1), "confidence",
 *                    "replicates", "seed" },
 *   "clientBoundReasons" : [ ... ] (empty for a valid run),
 *   "otherHardware" : true | false (the baseline was taken on another CPU, core count or GPU),
 *   "partialProblems" : [ ... ] (why the result is partial; empty when it is whole),
 *   "warnings" : [ ... ],
 *   "metrics" : [ { "group", "metric", "unit", "better" ("higher"|"lower"), "baseline", "current",
 *                   "change_pct", "change_ci_low_pct", "change_ci_high_pct", "current_ci_low",
 *                   "current_ci_high", "baseline_runs", "baseline_run_min", "baseline_run_max",
 *                   "baseline_run_sd", "status" ("OK", "IMPROVED", "WARN", "WARN (noisy)",
 *                   "WARN (client-bound)", "WARN (other hardware)", "WARN (partial result)", "REGRESSION"),
 *                   "note" }, ... by group, then metric ]
 * }
 * </pre>
 * Changes are percent of the baseline value, signed as the value moved; undefined figures are null.
 */
public final class ComparisonFormats {
  /** The file in the result folder. */
  public static final String FILE_NAME = "comparison.json";
  public static final int SCHEMA_VERSION = 1;

  /** The console table's columns. */
  static final List<String> HEADER = List.of("metric", "baseline", "current", "Δ%", "CI of Δ%", "baseline run spread", "status");

  private ComparisonFormats() {}

  /** {@code comparison.json}. The writer is flushed, not closed. */
  public static void json(BaselineCheck check, Writer out) throws IOException {
    try (JsonGenerator gen = JsonSummaryFormat.FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(JsonSummaryFormat.PRINTER);
      gen.writeStartObject();
      gen.writeNumberField("schemaVersion", SCHEMA_VERSION);
      gen.writeStringField("status", check.kind().word());
      gen.writeStringField("message", check.message());
      Comparison c = check.comparison();
      if (c != null) {
        gen.writeStringField("verdict", verdict(c));
        writeBaseline(gen, c);
        writeThresholds(gen, c.thresholds());
        strings(gen, "clientBoundReasons", c.clientBoundReasons());
        gen.writeBooleanField("otherHardware", c.otherHardware());
        strings(gen, "partialProblems", c.partialProblems());
        strings(gen, "warnings", c.warnings());
        gen.writeArrayFieldStart("metrics");
        for (MetricComparison r : c.rows()) {
          writeRow(gen, r);
        }
        gen.writeEndArray();
      }
      gen.writeEndObject();
    }
    out.write("\n");
    out.flush();
  }

  private static void writeBaseline(JsonGenerator gen, Comparison c) throws IOException {
    BaselineMetadata b = c.baseline();
    gen.writeObjectFieldStart("baseline");
    gen.writeStringField("csv", c.baselineCsv());
    gen.writeStringField("commit", b.commit());
    gen.writeStringField("timestampUtc", b.timestampUtc());
    gen.writeStringField("reason", b.reason());
    gen.writeNumberField("runs", b.runs().size());
    gen.writeEndObject();
  }

  private static void writeThresholds(JsonGenerator gen, Thresholds t) throws IOException {
    gen.writeObjectFieldStart("thresholds");
    number(gen, "regressionPct", t.regressionPct());
    number(gen, "warnPct", t.warnPct());
    number(gen, "p95GatePct", t.p95GatePct());
    number(gen, "errorRateGate", t.errorRateGate());
    number(gen, "confidence", t.confidence());
    gen.writeNumberField("replicates", t.replicates());
    gen.writeNumberField("seed", t.seed());
    gen.writeEndObject();
  }

  private static void writeRow(JsonGenerator gen, MetricComparison r) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("group", r.group());
    gen.writeStringField("metric", r.metric().key());
    gen.writeStringField("unit", r.metric().unit());
    gen.writeStringField("better", r.metric().direction().word());
    number(gen, "baseline", r.baseline());
    number(gen, "current", r.current());
    number(gen, "change_pct", r.changePct());
    number(gen, "change_ci_low_pct", r.changeCiLowPct());
    number(gen, "change_ci_high_pct", r.changeCiHighPct());
    number(gen, "current_ci_low", r.currentCiLow());
    number(gen, "current_ci_high", r.currentCiHigh());
    gen.writeNumberField("baseline_runs", r.baselineRuns());
    number(gen, "baseline_run_min", r.baselineRunMin());
    number(gen, "baseline_run_max", r.baselineRunMax());
    number(gen, "baseline_run_sd", r.baselineRunSd());
    gen.writeStringField("status", r.status().label());
    gen.writeStringField("note", r.note());
    gen.writeEndObject();
  }

  /**
   * {@code partial}, {@code regression}, {@code client-bound}, {@code other-hardware} (not judged,
   * whether or not a row would have regressed) or {@code no-regression}; as
   * {@link Comparison#verdictLine()} decides.
   */
  public static String verdict(Comparison c) {
    if (c.partial()) {
      return "partial";
    }
    if (c.regression()) {
      return "regression";
    }
    if (c.clientBound()) {
      return "client-bound";
    }
    return c.otherHardware() ? "other-hardware" : "no-regression";
  }

  /**
   * The console lines: the baseline it was compared with, warnings, one table per group
   * (metric | baseline | current | Δ% | CI of Δ% | status) and the verdict; or the one line saying why
   * nothing was compared.
   */
  public static List<String> console(BaselineCheck check) {
    List<String> lines = new ArrayList<>();
    String prefix = "llm-serving-bench: ";
    Comparison c = check.comparison();
    if (c == null) {
      lines.add(prefix + (check.kind() == BaselineCheck.Kind.NOT_COMPARABLE ? "NOT COMPARED: " : "")
          + check.message());
      return lines;
    }
    BaselineMetadata b = c.baseline();
    lines.add(prefix + "baseline " + c.baselineCsv() + " (" + b.runs().size() + " run" + (b.runs().size() == 1 ? "" : "s")
        + ", commit " + shortCommit(b.commit()) + ", " + b.timestampUtc() + ", reason: " + b.reason() + ")");
    for (String w : c.warnings()) {
      lines.add(prefix + "WARNING " + w);
    }
    String group = null;
    List<List<String>> table = new ArrayList<>();
    for (MetricComparison r : c.rows()) {
      if (!r.group().equals(group)) {
        if (group != null) {
          lines.addAll(layout(table));
          table.clear();
        }
        group = r.group();
        lines.add("Group " + (group.isEmpty() ? "(none)" : group) + String.format(Locale.ROOT,
            " (confidence %s %%, threshold %s %%)", plain(c.thresholds().confidence() * 100),
            plain(c.thresholds().regressionPct())));
        table.add(HEADER);
      }
      table.add(cells(r));
    }
    if (!table.isEmpty()) {
      lines.addAll(layout(table));
    }
    lines.add(prefix + c.verdictLine());
    return lines;
  }

  /** A row's cells as the table and the page show them. */
  static List<String> cells(MetricComparison r) {
    return List.of(r.metric().key(), value(r.metric(), r.baseline()), value(r.metric(), r.current()),
        signedPct(r.changePct()), Double.isNaN(r.changeCiLowPct()) ? "n/a"
            : "[" + signedPct(r.changeCiLowPct()) + ", " + signedPct(r.changeCiHighPct()) + "]",
        spread(r), r.status().label());
  }

  /**
   * How far the baseline's runs lay apart: their standard deviation relative to the value, and how many
   * runs (one run has no spread to show).
   */
  private static String spread(MetricComparison r) {
    if (r.baselineRuns() < 2 || Double.isNaN(r.baselineRunSd()) || r.baseline() == 0) {
      return r.baselineRuns() + " run" + (r.baselineRuns() == 1 ? "" : "s");
    }
    return String.format(Locale.ROOT, "±%.1f%% of %d runs", 100 * r.baselineRunSd() / Math.abs(r.baseline()),
        r.baselineRuns());
  }

  private static List<String> layout(List<List<String>> table) {
    int[] width = new int[HEADER.size()];
    for (List<String> row : table) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    List<String> out = new ArrayList<>();
    for (List<String> row : table) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - cell.length());
        // Names and statuses to the left, numbers to the right, as the runbook's table.
        sb.append(i == 0 || i == row.size() - 1 ? cell + pad : pad + cell);
        if (i < row.size() - 1) {
          sb.append(" | ");
        }
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }

  /** A metric's value: four decimals for the error rate (a fraction), two for the rest. */
  static String value(Metric m, double v) {
    return String.format(Locale.ROOT, m == Metric.ERROR_RATE ? "%.4f" : "%.2f", v);
  }

  /** {@code +12.3%}, {@code -4.0%}, {@code 0.0%}; {@code n/a} when undefined. */
  static String signedPct(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%+.1f%%", v);
    return s.equals("-0.0%") || s.equals("+0.0%") ? "0.0%" : s;
  }

  private static String plain(double v) {
    return Numbers.decimal(v);
  }

  private static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  private static void number(JsonGenerator gen, String field, double v) throws IOException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      gen.writeNullField(field);
    } else {
      gen.writeFieldName(field);
      gen.writeNumber(Numbers.decimal(v));
    }
  }

  private static void strings(JsonGenerator gen, String field, List<String> values) throws IOException {
    gen.writeArrayFieldStart(field);
    for (String v : values) {
      gen.writeString(v);
    }
    gen.writeEndArray();
  }
}
