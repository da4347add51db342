package dev.llmbench.report.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A table as aligned text for the console: its title line, the header, then one line per row. */
final class ConsoleTable {
  private ConsoleTable() {}

  /**
   * The lines of the table: figures right-aligned, the {@code left} columns (text: a category, a label)
   * left-aligned, two spaces between columns, no trailing blanks.
   */
  static List<String> lines(String title, List<String> header, List<List<String>> rows, Set<Integer> left) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(title);
    for (List<String> row : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        sb.append(String.format(Locale.ROOT, (left.contains(i) ? "%-" : "%") + widths[i] + "s", row.get(i)));
        if (i < row.size() - 1) {
          sb.append("  ");
        }
      }
      lines.add(sb.toString().stripTrailing());
    }
    return lines;
  }
}
