package dev.llmbench.report.baseline;

import java.util.List;
import java.util.Objects;

/**
 * A run compared with its baseline: one row per group and metric, and what the whole comparison says.
 *
 * @param framework the framework label
 * @param profile the profile
 * @param baselineCsv where the baseline is
 * @param baseline the baseline's metadata (commit, time, reason, runs)
 * @param thresholds the thresholds applied
 * @param rows per group (sorted) and metric (in {@link Metric} order)
 * @param warnings conditions that do not stop the comparison (hardware differs, groups missing)
 * @param clientBoundReasons why the run's client was the bottleneck; empty for a valid run
 * @param otherHardware whether the baseline was taken on other hardware (no regression is called then,
 *     but from the error-rate gate)
 * @param partialProblems why the run's result is partial; empty when it is whole (no regression at all
 *     is called from a partial result)
 */
public record Comparison(String framework, String profile, String baselineCsv, BaselineMetadata baseline,
    Thresholds thresholds, List<MetricComparison> rows, List<String> warnings, List<String> clientBoundReasons,
    boolean otherHardware, List<String> partialProblems) {

  /** How many regressed metrics the verdict line names. */
  private static final int NAMED = 4;

  public Comparison {
    Objects.requireNonNull(framework, "framework");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(baselineCsv, "baselineCsv");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(thresholds, "thresholds");
    rows = List.copyOf(rows);
    warnings = List.copyOf(warnings);
    clientBoundReasons = List.copyOf(clientBoundReasons);
    partialProblems = List.copyOf(partialProblems);
  }

  /** Whether the run's result is partial, so no regression was called. */
  public boolean partial() {
    return !partialProblems.isEmpty();
  }

  /** Whether any metric is a {@link Status#REGRESSION}: the run fails. */
  public boolean regression() {
    return rows.stream().anyMatch(r -> r.status() == Status.REGRESSION);
  }

  /** Whether the run's client was the bottleneck, so no regression was called. */
  public boolean clientBound() {
    return !clientBoundReasons.isEmpty();
  }

  /** How many rows have a status. */
  public long count(Status status) {
    return rows.stream().filter(r -> r.status() == status).count();
  }

  /**
   * The verdict in one line, for the console and the page: not judged when the result is partial;
   * else a regression (only the error-rate gate when not judged); else not judged when the run was
   * client-bound or the baseline is from other hardware (whether or not a row would have regressed);
   * else no regression.
   */
  public String verdictLine() {
    StringBuilder sb = new StringBuilder();
    if (partial()) {
      sb.append("NOT JUDGED: partial result (").append(String.join("; ", partialProblems))
          .append("), so no regression is called against ").append(baselineCsv);
    } else if (regression()) {
      sb.append("REGRESSION against baseline ").append(baselineCsv).append(": ");
      List<String> failed = rows.stream().filter(r -> r.status() == Status.REGRESSION)
          .map(r -> (r.group().isEmpty() ? "" : r.group() + " ") + r.metric().key()).toList();
      // The table lists them all; one line names the first few.
      sb.append(String.join(", ", failed.subList(0, Math.min(NAMED, failed.size()))));
      if (failed.size() > NAMED) {
        sb.append(" and ").append(failed.size() - NAMED).append(" more");
      }
    } else if (clientBound()) {
      sb.append("NOT JUDGED: the run was client-bound (").append(String.join("; ", clientBoundReasons))
          .append("), so no regression is called against ").append(baselineCsv);
    } else if (otherHardware) {
      sb.append("NOT JUDGED: the baseline ").append(baselineCsv).append(" was taken on other hardware, so no ")
          .append("regression is called; make a baseline on this machine (and server) to judge");
    } else {
      sb.append("no regression against baseline ").append(baselineCsv);
    }
    sb.append(" (").append(count(Status.OK)).append(" OK, ").append(count(Status.IMPROVED)).append(" improved, ")
        .append(count(Status.WARN) + count(Status.WARN_NOISY) + count(Status.WARN_CLIENT_BOUND)
            + count(Status.WARN_OTHER_HARDWARE) + count(Status.WARN_PARTIAL)).append(" warn, ")
        .append(count(Status.REGRESSION)).append(" regression)");
    return sb.toString();
  }
}
