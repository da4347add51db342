package dev.llmbench.report.history;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One group of one result folder, as a row of {@code reports/history/<framework>/<profile>.csv}.
 *
 * @param date when the run started (summary.json's {@code metadata.startedAt}, else the folder's timestamp)
 * @param framework the framework folder the result is in
 * @param profile the profile (summary.json's, else the folder name's)
 * @param resultFolder the result folder's name
 * @param group the group's name
 * @param cells every column of {@link HistoryCsv#HEADER} but the date, by column name; "" when the
 *     folder does not have the figure (an older format), never null
 */
public record HistoryRow(Instant date, String framework, String profile, String resultFolder, String group,
    Map<String, String> cells) {

  public HistoryRow {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(framework, "framework");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(resultFolder, "resultFolder");
    Objects.requireNonNull(group, "group");
    cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
  }

  /** A column's text, "" when absent. */
  public String cell(String column) {
    return cells.getOrDefault(column, "");
  }

  /** A column as a number, NaN when empty or not a number (the plots leave a gap there). */
  public double number(String column) {
    String v = cell(column);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
