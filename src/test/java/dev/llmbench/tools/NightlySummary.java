package dev.llmbench.tools;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.NewFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A night's summary: the console table, and {@code reports/summary/nightly-<yyyyMMdd-HHmmss>.{md,json}}
 * (the night's start, UTC; {@code -2}, {@code -3}... when that name is taken, never replacing a file).
 *
 * <pre>
 * {
 *   "schemaVersion" : 1,
 *   "startedAt", "endedAt" : ISO-8601 UTC,
 *   "exitCode" : the command's,
 *   "size" : -Dsize or null (each run's own), "stress" : whether stress entries ran, "entries" : in the config,
 *   "history" : { "days", "exitCode" },
 *   "runs" : [ { "name", "simulation", "resultFolder" (or null), "verdict" ("ok", "client-bound", "REGRESSION",
 *               "FAILED verdict", "FAILED"), "why", "exitCode" (or null: it did not start), "durationSec" } ]
 * }
 * </pre>
 *
 * @param started when the night began
 * @param ended when its last step ended
 * @param entries how many entries the config has (skipped stress entries included)
 * @param stress whether stress entries ran
 * @param size {@code -Dsize}, or null
 * @param days the history's days
 * @param historyCode the history update's exit code
 * @param exitCode the command's
 * @param runs the runs, in order
 */
record NightlySummary(Instant started, Instant ended, int entries, boolean stress, String size, int days,
    int historyCode, int exitCode, List<Nightly.RunOutcome> runs) {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);
  private static final List<String> HEADER = List.of("entry", "verdict", "duration", "result folder");

  /**
   * The table: one line per run (its verdict's label, its duration in seconds, its result folder), then, under a
   * run whose verdict has a reason, that reason on a line of its own: a reason is often a sentence, which would
   * push the columns off the screen.
   */
  static String table(List<Nightly.RunOutcome> runs) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Nightly.RunOutcome r : runs) {
      rows.add(List.of(r.name(), r.verdict().label(), seconds(r),
          r.resultFolder() == null ? "-" : r.resultFolder().toString()));
    }
    int[] width = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < rows.size(); n++) {
      List<String> row = rows.get(n);
      for (int i = 0; i < width.length; i++) {
        sb.append(i == 0 ? "" : "  ").append(i == width.length - 1 ? row.get(i)
            : String.format(Locale.ROOT, "%-" + width[i] + "s", row.get(i)));
      }
      sb.append('\n');
      if (n > 0 && !runs.get(n - 1).why().isEmpty()) {
        sb.append("  ").append(" ".repeat(width[0])).append(runs.get(n - 1).why()).append('\n');
      }
    }
    return sb.toString();
  }

  private static String verdict(Nightly.RunOutcome r) {
    return r.why().isEmpty() ? r.verdict().label() : r.verdict().label() + " (" + r.why() + ")";
  }

  private static String seconds(Nightly.RunOutcome r) {
    return String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0);
  }

  /** The Markdown: what the night was, then the table; a '|' in a cell is escaped. */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Nightly ").append(started).append("\n\n");
    sb.append("Exit code ").append(exitCode).append("; size ").append(size == null ? "each run's own" : size)
        .append("; stress entries ").append(stress ? "run" : "skipped").append("; history update (")
        .append(days).append(" days) exit code ").append(historyCode).append(".\n\n");
    sb.append("| entry | result folder | verdict | duration |\n|---|---|---|---|\n");
    for (Nightly.RunOutcome r : runs) {
      sb.append("| ").append(cell(r.name())).append(" | ")
          .append(r.resultFolder() == null ? "-" : cell(r.resultFolder().toString())).append(" | ")
          .append(cell(verdict(r))).append(" | ").append(seconds(r)).append(" |\n");
    }
    return sb.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace('\n', ' ');
  }

  String json() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("schemaVersion", 1);
      g.writeStringField("startedAt", started.toString());
      g.writeStringField("endedAt", ended.toString());
      g.writeNumberField("exitCode", exitCode);
      g.writeStringField("size", size);
      g.writeBooleanField("stress", stress);
      g.writeNumberField("entries", entries);
      g.writeObjectFieldStart("history");
      g.writeNumberField("days", days);
      g.writeNumberField("exitCode", historyCode);
      g.writeEndObject();
      g.writeArrayFieldStart("runs");
      for (Nightly.RunOutcome r : runs) {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("simulation", r.simulation());
        g.writeStringField("resultFolder", r.resultFolder() == null ? null : r.resultFolder().toString());
        g.writeStringField("verdict", r.verdict().label());
        g.writeStringField("why", r.why());
        if (r.exitCode() == null) {
          g.writeNullField("exitCode");
        } else {
          g.writeNumberField("exitCode", r.exitCode());
        }
        g.writeNumberField("durationSec", Math.round(r.duration().toMillis() / 100.0) / 10.0);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return bytes.toString(StandardCharsets.UTF_8) + "\n";
  }

  /** Writes the Markdown and the JSON under a name no file has; returns them. */
  List<Path> write(Path reports) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".md", markdown());
    files.put(".json", json());
    return NewFiles.write(reports.resolve("summary"), "nightly-" + STAMP.format(started), files);
  }
}
