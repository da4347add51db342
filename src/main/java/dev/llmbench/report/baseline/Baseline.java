package dev.llmbench.report.baseline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stored baseline: its metadata and one row per group and metric (sorted by {@link BaselineRow#ORDER}).
 *
 * @param metadata what it was taken from
 * @param rows one row per group and metric, no duplicates
 */
public record Baseline(BaselineMetadata metadata, List<BaselineRow> rows) {

  public Baseline {
    Objects.requireNonNull(metadata, "metadata");
    List<BaselineRow> sorted = new ArrayList<>(rows);
    sorted.sort(BaselineRow.ORDER);
    Set<String> seen = new HashSet<>();
    for (BaselineRow r : sorted) {
      if (!seen.add(r.group() + "\u0000" + r.metric().key())) {
        throw new IllegalArgumentException("group '" + r.group() + "' has metric " + r.metric().key() + " twice");
      }
    }
    rows = List.copyOf(sorted);
  }

  /** The row of a group's metric, if the baseline has it. */
  public Optional<BaselineRow> row(String group, Metric metric) {
    return rows.stream().filter(r -> r.group().equals(group) && r.metric() == metric).findFirst();
  }

  /** The groups the baseline has, sorted. */
  public List<String> groups() {
    return rows.stream().map(BaselineRow::group).distinct().sorted().toList();
  }
}
