package dev.llmbench.report.compare;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Two or more results side by side ({@link Comparisons#of}): per group in all of them, each headline
 * figure per framework, the best marked, each framework's ratio to the reference, and what makes the
 * comparison other than apples to apples.
 *
 * @param createdAt when the comparison was made, ISO-8601 UTC (injected)
 * @param runs the results, in the order given; their labels are unique
 * @param reference the index in {@code runs} of the reference framework
 * @param groups one table per group that every result has, in the first result's order
 * @param missingGroups one line per group that some result lacks, naming them (those groups are not compared)
 * @param differences one line per setting that differs from the reference's (load parameters, model, profile,
 *     hardware) or per partial result: what breaks apples to apples; empty when nothing does
 */
public record FrameworkComparison(String createdAt, List<Run> runs, int reference, List<GroupTable> groups,
    List<String> missingGroups, List<String> differences) {

  public FrameworkComparison {
    Objects.requireNonNull(createdAt, "createdAt");
    runs = List.copyOf(runs);
    groups = List.copyOf(groups);
    missingGroups = List.copyOf(missingGroups);
    differences = List.copyOf(differences);
    if (reference < 0 || reference >= runs.size()) {
      throw new IllegalArgumentException("reference " + reference + " is not one of the " + runs.size() + " runs");
    }
  }

  /** The reference framework's run. */
  public Run referenceRun() {
    return runs.get(reference);
  }

  /**
   * A compared result.
   *
   * @param label how the tables name it: its framework, or framework and folder when two share a framework
   * @param result what the folder holds
   * @param usdPerHour its price per hour ({@code --cost.per.hour}), or null when not given
   */
  public record Run(String label, ResultRun result, Double usdPerHour) {
    public Run {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * One group's figures.
   *
   * @param group the group's name
   * @param rows one per headline metric that some result has (goodput only with objectives)
   * @param costPerMillionOutputTokens per run, USD per million output tokens, null without a price or throughput
   */
  public record GroupTable(String group, List<Row> rows, List<Double> costPerMillionOutputTokens) {
    public GroupTable {
      rows = List.copyOf(rows);
      costPerMillionOutputTokens = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
          costPerMillionOutputTokens));
    }

    /** Whether any run has a price. */
    public boolean hasCost() {
      return costPerMillionOutputTokens.stream().anyMatch(Objects::nonNull);
    }

    /** The row of a metric, or null when no result has it. */
    public Row row(HeadlineMetric m) {
      return rows.stream().filter(r -> r.metric() == m).findFirst().orElse(null);
    }
  }

  /**
   * One metric across the runs.
   *
   * @param values per run, null when that result lacks it
   * @param best the indexes of the runs with the best value (all of them on a tie); empty when fewer than two
   *     have a value
   * @param ratios per run, its value over the reference's; null when either lacks it or the reference's is 0
   */
  public record Row(HeadlineMetric metric, List<Double> values, Set<Integer> best, List<Double> ratios) {
    public Row {
      values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
      best = Set.copyOf(best);
      ratios = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ratios));
    }
  }
}
