package dev.llmbench.report.compare;

import dev.llmbench.report.baseline.Baselines;
import dev.llmbench.report.compare.FrameworkComparison.GroupTable;
import dev.llmbench.report.compare.FrameworkComparison.Row;
import dev.llmbench.report.compare.FrameworkComparison.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds a {@link FrameworkComparison} from result folders already read. */
public final class Comparisons {
  private Comparisons() {}

  /**
   * What an hour of a server costs per million output tokens it generates at a throughput:
   * {@code usd_per_hour / (output tokens/s × 3600) × 1e6}, as InferenceX prices a framework. Null when there
   * is no price or no throughput (nothing generated: no cost per token).
   */
  public static Double costPerMillionOutputTokens(Double usdPerHour, Double outputTokensPerSecond) {
    if (usdPerHour == null || outputTokensPerSecond == null || !(outputTokensPerSecond > 0)) {
      return null;
    }
    return usdPerHour / (outputTokensPerSecond * 3600) * 1e6;
  }

  /**
   * Compares results.
   *
   * @param results two or more results, in the order given
   * @param reference the framework (or label) the ratios are to; null for the first result
   * @param usdPerHour price per hour by framework (or label); frameworks not named have no cost
   * @throws CompareException for fewer than two results, an unknown reference, or a price for a framework
   *     that is not compared
   */
  public static FrameworkComparison of(List<ResultRun> results, String reference, Map<String, Double> usdPerHour,
      Instant now) throws CompareException {
    if (results.size() < 2) {
      throw new CompareException("a comparison needs at least two result folders, but got " + results.size());
    }
    List<String> labels = labels(results);
    int ref = reference == null ? 0 : indexOf(reference, results, labels);
    if (ref < 0) {
      throw new CompareException("unknown reference \"" + reference + "\"; the frameworks compared are "
          + String.join(", ", labels));
    }
    for (String priced : usdPerHour.keySet()) {
      if (indexOf(priced, results, labels) < 0) {
        throw new CompareException("--cost.per.hour names \"" + priced + "\", which is not compared; the frameworks"
            + " compared are " + String.join(", ", labels));
      }
    }
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      ResultRun r = results.get(i);
      Double price = usdPerHour.containsKey(labels.get(i)) ? usdPerHour.get(labels.get(i))
          : usdPerHour.get(r.framework());
      runs.add(new Run(labels.get(i), r, price));
    }

    List<GroupTable> tables = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Map<String, List<String>> absentFrom = new LinkedHashMap<>();
    for (Run run : runs) {
      for (String g : run.result().groups().keySet()) {
        absentFrom.putIfAbsent(g, new ArrayList<>());
      }
    }
    absentFrom.forEach((g, absent) -> runs.stream().filter(r -> !r.result().groups().containsKey(g))
        .forEach(r -> absent.add(r.label())));
    absentFrom.forEach((g, absent) -> {
      if (absent.isEmpty()) {
        tables.add(table(g, runs, ref));
      } else {
        missing.add("group \"" + g + "\" is missing in " + String.join(", ", absent) + "; not compared");
      }
    });
    return new FrameworkComparison(now.toString(), runs, ref, tables, missing, differences(runs, ref));
  }

  private static GroupTable table(String group, List<Run> runs, int ref) {
    List<Row> rows = new ArrayList<>();
    for (HeadlineMetric m : HeadlineMetric.values()) {
      List<Double> values = runs.stream().map(r -> r.result().groups().get(group).get(m)).toList();
      if (values.stream().allMatch(v -> v == null)) {
        continue;
      }
      rows.add(row(m, values, ref, m.higherIsBetter()));
    }
    List<Double> cost = new ArrayList<>();
    for (Run r : runs) {
      cost.add(costPerMillionOutputTokens(r.usdPerHour(),
          r.result().groups().get(group).get(HeadlineMetric.OUTPUT_THROUGHPUT)));
    }
    return new GroupTable(group, rows, cost);
  }

  /** A metric's row: the best among the values (when two or more have one) and each one's ratio to the reference. */
  static Row row(HeadlineMetric m, List<Double> values, int ref, boolean higherIsBetter) {
    return new Row(m, values, new HashSet<>(bestOf(values, higherIsBetter)), ratios(values, ref));
  }

  /** Each value over the reference's; null when either is unknown or the reference's is 0. */
  static List<Double> ratios(List<Double> values, int ref) {
    Double r = values.get(ref);
    List<Double> ratios = new ArrayList<>();
    for (Double v : values) {
      ratios.add(v == null || r == null || r == 0 ? null : v / r);
    }
    return ratios;
  }

  /** The indexes of the best values (every one on a tie); none when fewer than two values are known. */
  static Set<Integer> bestOf(List<Double> values, boolean higherIsBetter) {
    Double best = null;
    int known = 0;
    for (Double v : values) {
      if (v == null) {
        continue;
      }
      known++;
      if (best == null || (higherIsBetter ? v > best : v < best)) {
        best = v;
      }
    }
    Set<Integer> out = new TreeSet<>();
    if (known < 2) {
      return out;
    }
    for (int i = 0; i < values.size(); i++) {
      if (best.equals(values.get(i))) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Each result's settings against the reference's, by the baseline check's rule
   * ({@link Baselines#differences}), its hardware (when both record it), and partial results.
   */
  private static List<String> differences(List<Run> runs, int ref) {
    Run reference = runs.get(ref);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      if (i != ref) {
        String prefix = run.label() + " against " + reference.label() + ": ";
        for (String d : Baselines.differences(reference.result().metadata(), run.result().metadata())) {
          out.add(prefix + d);
        }
        Map<String, String> was = reference.result().hardware();
        Map<String, String> is = run.result().hardware();
        if (!was.isEmpty() && !is.isEmpty()) {
          Set<String> keys = new TreeSet<>(was.keySet());
          keys.addAll(is.keySet());
          for (String k : keys) {
            String a = was.getOrDefault(k, "(not recorded)");
            String b = is.getOrDefault(k, "(not recorded)");
            if (!a.equals(b)) {
              out.add(prefix + "hardware " + k + " was \"" + a + "\", is \"" + b + "\"");
            }
          }
        }
      }
      if (run.result().partial()) {
        out.add(run.label() + ": a partial result (see its metadata.json problems)");
      }
    }
    return out;
  }

  /** Each result's label: its framework, or framework and folder name when frameworks repeat. */
  static List<String> labels(List<ResultRun> results) {
    Map<String, Integer> count = new HashMap<>();
    results.forEach(r -> count.merge(r.framework(), 1, Integer::sum));
    List<String> labels = new ArrayList<>();
    for (ResultRun r : results) {
      String label = count.get(r.framework()) == 1 ? r.framework()
          : r.framework() + "/" + r.folder().getFileName();
      // Two folders of one name in two places: number them, so each column is named once.
      String unique = label;
      for (int n = 2; labels.contains(unique); n++) {
        unique = label + "#" + n;
      }
      labels.add(unique);
    }
    return labels;
  }

  private static int indexOf(String name, List<ResultRun> results, List<String> labels) {
    int byLabel = labels.indexOf(name);
    if (byLabel >= 0) {
      return byLabel;
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).framework().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
