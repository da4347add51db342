package dev.llmbench.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.TempSibling;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What a capacity search found: the highest load that met the objectives, the bracket around it, how
 * many steps back it on either side, and every step.
 *
 * @param mode what was searched
 * @param answer the highest load that passed; null when none did
 * @param failedAt the lowest load that failed (the bracket's upper end); null when none did
 * @param stop why the search ended; null when the run ended first (cut short)
 * @param passedAtOrBelow steps that passed at or below the answer
 * @param failedAbove steps that failed above it
 * @param tolerance the bracket's width the search aimed for, as a share of its lower end
 * @param steps every step, in the order it ran
 */
public record SearchResult(CapacitySearch.Mode mode, Double answer, Double failedAt, CapacitySearch.Stop stop,
    int passedAtOrBelow, int failedAbove, double tolerance, List<StepVerdict> steps) {

  /** The result folder's files. */
  public static final String JSON_FILE = "capacity.json";
  public static final String CSV_FILE = "capacity.csv";

  public SearchResult {
    steps = List.copyOf(steps);
  }

  /** The bracket's width as a share of the answer; null without both ends. */
  public Double bracketShare() {
    return answer == null || failedAt == null ? null : (failedAt - answer) / answer;
  }

  /** The result in a few lines for the console: the answer with its bracket and backing, then each step. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("llm-serving-bench: capacity " + headline());
    for (StepVerdict s : steps) {
      lines.add("llm-serving-bench:   " + s.line(mode));
    }
    return lines;
  }

  /** The answer in one phrase, e.g. {@code rate=13.7 req/s met the objectives; rate=14.4 did not (...)} */
  public String headline() {
    String unit = mode == CapacitySearch.Mode.RATE ? " req/s" : " streams";
    String backing = String.format(Locale.ROOT, "(%d step%s passed at or below, %d failed above)", passedAtOrBelow,
        passedAtOrBelow == 1 ? "" : "s", failedAbove);
    String why = stop == null ? "the run ended before the search did" : switch (stop) {
      case CONVERGED -> String.format(Locale.ROOT, "converged within %.0f %%", tolerance * 100);
      case MAX_PASSED -> "the highest load allowed (-Dsearch.max) met the objectives: the capacity is at least that";
      case MIN_FAILED -> "even the lowest load allowed (-Dsearch.min) missed the objectives";
      case MAX_STEPS -> "stopped after -Dsearch.max.steps steps, before the bracket was within the tolerance";
    };
    if (answer == null) {
      return mode.wireName() + ": no load met the objectives" + (failedAt == null ? "" : ", down to "
          + CapacitySearch.loadName(failedAt) + unit) + " " + backing + "; " + why;
    }
    return mode.wireName() + "=" + CapacitySearch.loadName(answer) + unit + " met the objectives"
        + (failedAt == null ? "" : ", " + CapacitySearch.loadName(failedAt) + unit + " did not") + " " + backing + "; "
        + why;
  }

  /** Writes {@value #JSON_FILE} and {@value #CSV_FILE} into {@code folder}, each atomically. */
  public void write(Path folder) throws IOException {
    writeJson(folder.resolve(JSON_FILE));
    writeCsv(folder.resolve(CSV_FILE));
  }

  /** Writes the result as JSON ({@value #JSON_FILE}'s form) to {@code file}, atomically. */
  public void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("search", mode.wireName());
    putNumber(root, "answer", answer);
    putNumber(root, "failedAt", failedAt);
    putNumber(root, "bracketShare", bracketShare());
    root.put("stop", stop == null ? null : stop.name().toLowerCase(Locale.ROOT));
    root.put("passedAtOrBelow", passedAtOrBelow);
    root.put("failedAbove", failedAbove);
    root.put("tolerance", tolerance);
    root.put("headline", headline());
    ArrayNode rows = root.putArray("steps");
    for (StepVerdict s : steps) {
      ObjectNode row = rows.addObject();
      row.put("step", s.index());
      row.put(mode.wireName(), s.load());
      row.put("group", s.group());
      row.put("passed", s.passed());
      row.put("planned", s.planned());
      row.put("completed", s.completed());
      row.put("failed", s.failed());
      row.put("errorRate", s.errorRate());
      row.put("requestThroughput", s.requestThroughput());
      row.put("outputThroughput", s.outputThroughput());
      row.put("percentile", s.percentile());
      ObjectNode measured = row.putObject("measuredMs");
      s.measured().forEach((k, v) -> putNumber(measured, k, v));
      if (s.saturated() != null) {
        row.put("saturated", s.saturated());
      }
      if (s.stoppedEarly() != null) {
        row.put("stoppedEarly", s.stoppedEarly());
      }
      ArrayNode misses = row.putArray("misses");
      s.misses().forEach(misses::add);
    }
    TempSibling.write(file, out -> mapper.writeValue(out, root));
  }

  /** Writes the steps' table as CSV ({@value #CSV_FILE}'s form) to {@code file}, atomically. */
  public void writeCsv(Path file) throws IOException {
    TempSibling.write(file, out -> {
      List<String> keys = steps.isEmpty() ? List.of() : List.copyOf(steps.get(0).measured().keySet());
      List<String> header = new ArrayList<>(List.of("step", mode.wireName(), "group", "passed", "completed", "failed",
          "error_rate", "request_throughput", "output_throughput"));
      keys.forEach(k -> header.add("p" + CapacitySearch.loadName(steps.get(0).percentile()) + "_" + k + "_ms"));
      header.add("saturated");
      header.add("misses");
      try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build())) {
        csv.printRecord(header);
        for (StepVerdict s : steps) {
          List<Object> row = new ArrayList<>(List.of(s.index(), CapacitySearch.loadName(s.load()), s.group(),
              s.passed(), s.completed(), s.failed(), fmt(s.errorRate()), fmt(s.requestThroughput()),
              fmt(s.outputThroughput())));
          keys.forEach(k -> row.add(fmt(s.measured().getOrDefault(k, Double.NaN))));
          row.add(s.saturated() == null ? "" : s.saturated());
          row.add(String.join("; ", s.misses()));
          csv.printRecord(row);
        }
      }
    });
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static void putNumber(ObjectNode node, String key, Double v) {
    if (v == null || v.isNaN()) {
      node.putNull(key);
    } else {
      node.put(key, v);
    }
  }
}
