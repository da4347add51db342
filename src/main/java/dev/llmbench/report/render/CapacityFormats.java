package dev.llmbench.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.Numbers;
import dev.llmbench.report.model.CapacitySearchResult;
import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A capacity search's result ({@link CapacitySearchResult}, from the run folder's {@code capacity.json})
 * as the result folder gives it: {@value #CSV_FILE} (the steps' table), the {@code capacity} object of
 * {@code summary.json}, the section "Capacity search" of the page, and the console's line. Only for a
 * run that made a search ({@link #applies}).
 */
public final class CapacityFormats {
  /** The steps' table in the result folder. */
  public static final String CSV_FILE = "capacity.csv";

  private CapacityFormats() {}

  /** Whether the run made a capacity search. */
  public static boolean applies(RunSummary s) {
    return s.capacity() != null;
  }

  /** The console's line: the answer with its bracket and why the search ended. */
  public static String console(CapacitySearchResult c) {
    return "Capacity: " + c.headline();
  }

  /** The objectives measured, in the order of the first step (every step measures the same ones). */
  private static List<String> objectives(CapacitySearchResult c) {
    return c.steps().isEmpty() ? List.of() : List.copyOf(c.steps().get(0).measuredMs().keySet());
  }

  /** {@code p99}: the percentile the steps were judged at; empty without steps. */
  private static String percentile(CapacitySearchResult c) {
    return c.steps().isEmpty() ? "" : "p" + Numbers.decimal(c.steps().get(0).percentile());
  }

  /**
   * {@value #CSV_FILE}: one row per step, in the order they ran: {@code step}, the load ({@code rate}
   * in req/s or {@code concurrency}), {@code group}, {@code passed}, {@code completed}, {@code failed},
   * {@code error_rate} (0..1), {@code request_throughput} (req/s), {@code output_throughput} (tok/s),
   * {@code p<N>_<objective>_ms} per objective, {@code saturated} (empty when not judged), {@code misses}
   * ({@code "; "} between them). Decimals with four places, {@link Locale#ROOT}; unknown is empty.
   */
  public static void csv(CapacitySearchResult c, Writer out) throws IOException {
    List<String> keys = objectives(c);
    List<String> header = new ArrayList<>(List.of("step", c.search(), "group", "passed", "completed", "failed",
        "error_rate", "request_throughput", "output_throughput"));
    keys.forEach(k -> header.add(percentile(c) + "_" + k + "_ms"));
    header.add("saturated");
    header.add("misses");
    CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
    csv.printRecord(header);
    for (CapacitySearchResult.Step s : c.steps()) {
      List<Object> row = new ArrayList<>(List.of(s.step(), Numbers.decimal(s.load()), s.group(), s.passed(),
          s.completed(), s.failed(), four(s.errorRate()), four(s.requestThroughput()), four(s.outputThroughput())));
      keys.forEach(k -> row.add(four(s.measuredMs().get(k))));
      row.add(s.saturated() == null ? "" : s.saturated());
      row.add(String.join("; ", s.misses()));
      csv.printRecord(row);
    }
    csv.flush(); // not closed: the caller owns the writer
  }

  private static String four(Double v) {
    return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * The {@code capacity} object of {@code summary.json}: {@code search}, {@code answer}, {@code failed_at},
   * {@code bracket_share}, {@code stop}, {@code passed_at_or_below}, {@code failed_above}, {@code tolerance},
   * {@code headline}, and {@code steps}: {@code step}, the load ({@code rate} or {@code concurrency}),
   * {@code group}, {@code passed}, {@code planned}, {@code completed}, {@code failed}, {@code error_rate},
   * {@code request_throughput}, {@code output_throughput}, {@code percentile}, {@code p<N>_<objective>_ms}
   * per objective, {@code saturated}, {@code stopped_early}, {@code misses}; unknown values are null.
   */
  static void json(JsonGenerator gen, CapacitySearchResult c) throws IOException {
    gen.writeObjectFieldStart("capacity");
    gen.writeStringField("search", c.search());
    JsonSummaryFormat.writeNullable(gen, "answer", c.answer());
    JsonSummaryFormat.writeNullable(gen, "failed_at", c.failedAt());
    JsonSummaryFormat.writeNullable(gen, "bracket_share", c.bracketShare());
    gen.writeStringField("stop", c.stop());
    gen.writeNumberField("passed_at_or_below", c.passedAtOrBelow());
    gen.writeNumberField("failed_above", c.failedAbove());
    JsonSummaryFormat.writeNullable(gen, "tolerance", c.tolerance());
    gen.writeStringField("headline", c.headline());
    gen.writeArrayFieldStart("steps");
    for (CapacitySearchResult.Step s : c.steps()) {
      gen.writeStartObject();
      gen.writeNumberField("step", s.step());
      JsonSummaryFormat.writeNullable(gen, c.search(), s.load());
      gen.writeStringField("group", s.group());
      gen.writeBooleanField("passed", s.passed());
      gen.writeNumberField("planned", s.planned());
      gen.writeNumberField("completed", s.completed());
      gen.writeNumberField("failed", s.failed());
      JsonSummaryFormat.writeNullable(gen, "error_rate", s.errorRate());
      JsonSummaryFormat.writeNullable(gen, "request_throughput", s.requestThroughput());
      JsonSummaryFormat.writeNullable(gen, "output_throughput", s.outputThroughput());
      JsonSummaryFormat.writeNullable(gen, "percentile", s.percentile());
      String p = "p" + Numbers.decimal(s.percentile());
      for (Map.Entry<String, Double> e : s.measuredMs().entrySet()) {
        JsonSummaryFormat.writeNullable(gen, p + "_" + e.getKey() + "_ms", e.getValue());
      }
      if (s.saturated() == null) {
        gen.writeNullField("saturated");
      } else {
        gen.writeBooleanField("saturated", s.saturated());
      }
      gen.writeStringField("stopped_early", s.stoppedEarly());
      gen.writeArrayFieldStart("misses");
      for (String m : s.misses()) {
        gen.writeString(m);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  /**
   * The page's section: {@code headline}, {@code header}, and {@code rows}, each {@code cells} (step,
   * load, group, met or missed, the measured percentile of each objective, req/s, output tok/s, why it
   * missed) and {@code cls} ({@code passed} or {@code missed}); {@code numeric}, whether each column is a number.
   */
  static Map<String, Object> page(CapacitySearchResult c) {
    List<String> keys = objectives(c);
    String label = c.loadLabel();
    List<String> header = new ArrayList<>(List.of("Step", label.substring(0, 1).toUpperCase(Locale.ROOT)
        + label.substring(1), "Group", "Objectives"));
    keys.forEach(k -> header.add(percentile(c) + " " + k.toUpperCase(Locale.ROOT) + " (ms)"));
    header.add("Request throughput (req/s)");
    header.add("Output throughput (tokens/s)");
    header.add("Why it missed");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CapacitySearchResult.Step s : c.steps()) {
      List<String> cells = new ArrayList<>(List.of(Integer.toString(s.step()), Numbers.decimal(s.load()), s.group(),
          s.passed() ? "met" : "missed"));
      keys.forEach(k -> {
        Double v = s.measuredMs().get(k);
        cells.add(v == null || !Double.isFinite(v) ? "n/a" : HtmlReportFormat.fixed(v));
      });
      cells.add(HtmlReportFormat.fixed(s.requestThroughput()));
      cells.add(HtmlReportFormat.fixed(s.outputThroughput()));
      cells.add(String.join("; ", s.misses()));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", cells);
      row.put("cls", s.passed() ? "passed" : "missed");
      rows.add(row);
    }
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("headline", c.headline());
    section.put("header", header);
    section.put("rows", rows);
    // The group, the verdict and the reason are text; every other column is a number, right-aligned.
    List<Boolean> numeric = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      numeric.add(i != 2 && i != 3 && i != header.size() - 1);
    }
    section.put("numeric", numeric);
    return section;
  }
}
