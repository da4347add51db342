package dev.llmbench.report.stats;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.PoolingRow;
import dev.llmbench.report.model.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scoring runbook's table (seed 000: {@code Batch | Labels | IPS | p50 | p95 | p99 | Status}) for
 * a run's pooling groups, in the run's order: the groups of a pooling run (its load parameters record a
 * pooling workload), or of any run the groups that scored items. The status column comes from the
 * baseline comparison and is the renderer's; this is the figures.
 */
public final class PoolingTable {
  private static final Pattern BATCH = Pattern.compile("\\bbatch=([0-9]+)");
  private static final Pattern LABELS = Pattern.compile("\\blabels=([0-9]+)");

  private PoolingTable() {}

  /** One row per pooling group of {@code s}; empty when the run has none. */
  public static List<PoolingRow> of(RunSummary s) {
    // A cell whose requests all failed scored no item: the run's workload still says it is pooling.
    boolean poolingRun = s.metadata().parameters().containsKey("pooling");
    List<PoolingRow> rows = new ArrayList<>();
    for (GroupMetrics g : s.groups()) {
      if (!poolingRun && !g.pooling()) {
        continue;
      }
      Integer batch = number(BATCH, g.group());
      if (batch == null && g.completed() > 0) {
        batch = (int) Math.round(g.totalItems() / (double) g.completed());
      }
      Distribution e2e = g.e2eMs();
      // A cell with no answer has no latency (the group's distribution says 0, as bench_serving does).
      boolean none = g.completed() == 0;
      rows.add(new PoolingRow(g.group(), batch, number(LABELS, g.group()), g.completed(), g.failed(),
          g.itemThroughput(), g.requestThroughput(), none ? Double.NaN : e2e.mean(), none ? Double.NaN : e2e.median(),
          none ? Double.NaN : e2e.p95(), none ? Double.NaN : e2e.p99()));
    }
    return List.copyOf(rows);
  }

  private static Integer number(Pattern p, String group) {
    Matcher m = p.matcher(group);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }
}
