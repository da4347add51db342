package dev.llmbench.report.stats;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.MatrixRow;
import dev.llmbench.report.model.RequestRow;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.workload.Profiles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of {@code bench_full.py} (seed 003: the ISL/OSL matrix's procedure) for a run's matrix
 * groups: per configuration, its category and label from the matrix's data ({@code profiles.json}),
 * and the means of TTFT, TPOT, decode throughput and E2E throughput over its measured requests, as
 * that tool averages its 3 runs. The groups keep their run order; a run without matrix groups has an
 * empty table.
 */
public final class MatrixTable {
  private static final Pattern NAME = Pattern.compile("matrix-([0-9]+)-([0-9]+)");

  private MatrixTable() {}

  /** One row per matrix group of {@code s}, in its order. */
  public static List<MatrixRow> of(RunSummary s) {
    List<MatrixRow> rows = new ArrayList<>();
    for (GroupMetrics g : s.groups()) {
      Matcher m = NAME.matcher(g.group());
      if (!m.matches()) {
        continue;
      }
      int isl = Integer.parseInt(m.group(1));
      int osl = Integer.parseInt(m.group(2));
      Profiles.MatrixConfig config = config(isl, osl, "smoke".equals(s.metadata().parameters().get("size")));
      List<RequestRow> ok = s.requests().stream()
          .filter(r -> !r.warmup() && r.ok() && r.group().equals(g.group()))
          .toList();
      rows.add(new MatrixRow(g.group(), isl, osl, config == null ? "" : config.category(),
          config == null ? "" : config.label(), g.completed(), g.failed(),
          mean(ok, RequestRow::ttftMs), mean(ok, RequestRow::tpotMs),
          mean(ok, r -> ServingFormulas.decodeThroughput(r.e2eMs(), r.ttftMs(), r.outputTokens(), 1e3)),
          mean(ok, r -> ServingFormulas.e2eThroughput(r.e2eMs(), r.outputTokens(), 1e3)),
          mean(ok, RequestRow::e2eMs), mean(ok, r -> r.outputTokens())));
    }
    return List.copyOf(rows);
  }

  /**
   * The matrix configuration run at these lengths: at the smoke size, the one of its sets whose
   * lengths that size divides down to these (a smoke run names its groups by the lengths it ran, and
   * 1024/1024 then runs as 128/128, a name of the full matrix too); else the one of that name. Null
   * when there is none.
   */
  static Profiles.MatrixConfig config(int isl, int osl, boolean smoke) {
    Profiles.Matrix matrix = Profiles.load().matrix();
    int d = smoke ? matrix.smokeDivisor() : 1;
    for (Profiles.MatrixConfig c : matrix.configs()) {
      if ((!smoke || matrix.runsAtSmoke(c)) && c.isl(d) == isl && c.osl(d) == osl) {
        return c;
      }
    }
    return null;
  }

  /** The mean of the defined values (NaN ones left out, as bench_serving leaves out undefined TPOTs), or NaN. */
  private static double mean(List<RequestRow> rows, ToDoubleFunction<RequestRow> value) {
    double sum = 0;
    int n = 0;
    for (RequestRow r : rows) {
      double v = value.applyAsDouble(r);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
