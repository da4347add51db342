package dev.llmbench.report.compare;

import dev.llmbench.report.compare.FrameworkComparison.GroupTable;
import dev.llmbench.report.compare.FrameworkComparison.Row;
import dev.llmbench.report.compare.FrameworkComparison.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code comparison-<ts>.md}: the results compared, the differences, and a table per group (metrics as
 * rows, frameworks as columns, the best in bold, then each framework's ratio to the reference), ready to
 * paste into a pull request.
 */
final class MarkdownFormat {
  private MarkdownFormat() {}

  static String render(FrameworkComparison c) {
    StringBuilder out = new StringBuilder();
    out.append("# Framework comparison\n\n");
    out.append("Reference: **").append(c.referenceRun().label()).append("**. Best per metric in **bold** (higher is ")
        .append("better for throughputs and goodput, lower for latencies and the error rate); ratios are each ")
        .append("framework's value over the reference's.\n\n");
    out.append("| Framework | Result | Profile | Model | Started |\n|---|---|---|---|---|\n");
    for (Run r : c.runs()) {
      var m = r.result().metadata();
      out.append("| ").append(esc(r.label())).append(" | ").append(esc(r.result().folder().toString())).append(" | ")
          .append(esc(m.profile())).append(" | ").append(esc(m.model())).append(" | ").append(esc(m.startedAt()))
          .append(" |\n");
    }
    out.append("\n## Differences\n\n");
    if (c.differences().isEmpty()) {
      out.append("None: the same model, profile, load parameters and hardware.\n");
    } else {
      for (String d : c.differences()) {
        out.append("- ").append(esc(d)).append('\n');
      }
    }
    for (String m : c.missingGroups()) {
      out.append("- ").append(esc(m)).append('\n');
    }
    for (GroupTable t : c.groups()) {
      out.append("\n## Group `").append(t.group()).append("`\n\n");
      table(c, t, out);
    }
    return out.toString();
  }

  /** One group's table. */
  static void table(FrameworkComparison c, GroupTable t, StringBuilder out) {
    List<String> header = Cells.header(c);
    line(out, header);
    List<String> align = new ArrayList<>();
    align.add("---");
    for (int i = 1; i < header.size(); i++) {
      align.add("---:");
    }
    line(out, align);
    for (Row r : t.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(r.metric().heading());
      for (int i = 0; i < r.values().size(); i++) {
        String v = Cells.value(r.metric(), r.values().get(i));
        cells.add(r.best().contains(i) ? "**" + v + "**" : v);
      }
      ratios(c, r.ratios(), cells);
      line(out, cells);
    }
    List<String> validity = new ArrayList<>(List.of("Validity"));
    validity.addAll(Cells.validity(c));
    pad(c, validity);
    line(out, validity);
    for (Cells.MemoryRow m : Cells.memory(c)) {
      List<String> cells = new ArrayList<>(List.of(m.heading()));
      cells.addAll(m.cells());
      pad(c, cells);
      line(out, cells);
    }
    if (t.hasCost()) {
      List<Double> cost = t.costPerMillionOutputTokens();
      var best = Comparisons.bestOf(cost, false);
      List<String> cells = new ArrayList<>(List.of(Cells.COST));
      for (int i = 0; i < cost.size(); i++) {
        String v = Cells.usd(cost.get(i));
        cells.add(best.contains(i) ? "**" + v + "**" : v);
      }
      ratios(c, Comparisons.ratios(cost, c.reference()), cells);
      line(out, cells);
    }
  }

  private static void ratios(FrameworkComparison c, List<Double> ratios, List<String> cells) {
    for (int i = 0; i < ratios.size(); i++) {
      if (i != c.reference()) {
        cells.add(Cells.ratio(ratios.get(i)));
      }
    }
  }

  /** Empty ratio cells for a row that has none. */
  private static void pad(FrameworkComparison c, List<String> cells) {
    for (int i = 1; i < c.runs().size(); i++) {
      cells.add("");
    }
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append("| ").append(String.join(" | ", cells.stream().map(MarkdownFormat::esc).toList())).append(" |\n");
  }

  /** A cell's text with the table's separator escaped and no line break. */
  private static String esc(String s) {
    return s.replace("|", "\\|").replace('\n', ' ');
  }
}
