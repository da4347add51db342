package dev.llmbench.report.stats;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.OfflineRow;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of an offline sweep ({@code OfflineSimulation}; SGLang's {@code bench_one_batch} as the
 * seed's {@code grok_perf_offline_csv.sh} runs it): per group {@code offline-<mode>-<input>-<output>@batch=<B>},
 * its measured requests cut into batches of {@code B} in send order (the simulation runs one batch at a
 * time: a batch is released once the one before has ended), each batch's figures by {@link
 * ServingFormulas#batch}, and the median of each figure over the batches. Groups keep their run
 * order; a run without offline groups has an empty table.
 *
 * <p>Token arrivals are rebuilt from the side file: the first at {@code sentNanos + ttft}, each next one
 * an ITL gap later (one per content event). A batch is released at its first send.
 */
public final class OfflineTable {
  /** An offline group's name: mode, input and output lengths, batch size. */
  public static final Pattern GROUP = Pattern.compile("offline-([a-z_]+)-([0-9]+)-([0-9]+)@batch=([0-9]+)");

  private OfflineTable() {}

  /** The name of the group of one batch size. */
  public static String group(String mode, int inputLen, int outputLen, int batch) {
    return "offline-" + mode + "-" + inputLen + "-" + outputLen + "@batch=" + batch;
  }

  /** One row per offline group of {@code requests}, in the order their first request was sent. */
  public static List<OfflineRow> of(List<RequestResult> requests) {
    Map<String, List<RequestResult>> byGroup = new LinkedHashMap<>();
    requests.stream().filter(r -> !r.warmup() && GROUP.matcher(r.group()).matches())
        .sorted(Comparator.comparingLong(RequestResult::sentNanos))
        .forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
    List<OfflineRow> rows = new ArrayList<>();
    byGroup.forEach((group, measured) -> rows.add(row(group, measured)));
    return List.copyOf(rows);
  }

  private static OfflineRow row(String group, List<RequestResult> measured) {
    Matcher m = GROUP.matcher(group);
    if (!m.matches()) {
      throw new IllegalStateException("not an offline group: " + group);
    }
    int inputLen = Integer.parseInt(m.group(2));
    int outputLen = Integer.parseInt(m.group(3));
    int batch = Integer.parseInt(m.group(4));
    List<double[]> figures = new ArrayList<>(); // prefill s, median step s, e2e s per complete batch
    int failed = 0;
    for (int from = 0; from < measured.size(); from += batch) {
      List<RequestResult> b = measured.subList(from, Math.min(measured.size(), from + batch));
      if (b.size() < batch || b.stream().anyMatch(r -> !r.ok() || r.ttftMicros() < 0)) {
        failed++;
        continue;
      }
      long release = b.stream().mapToLong(RequestResult::sentNanos).min().orElseThrow();
      long[][] tokens = new long[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        tokens[i] = tokenTimes(b.get(i));
      }
      ServingFormulas.BatchLatencies l = ServingFormulas.batch(release, tokens);
      double[] steps = Arrays.stream(l.decodeSteps()).mapToDouble(s -> s / 1e9).sorted().toArray();
      figures.add(new double[] {l.prefill() / 1e9, steps.length == 0 ? Double.NaN : Numpy.median(steps),
          l.e2e() / 1e9});
    }
    double prefill = median(figures, 0);
    double step = median(figures, 1);
    double e2e = median(figures, 2);
    return new OfflineRow(group, m.group(1), batch, inputLen, outputLen, figures.size(), failed, prefill, step, e2e,
        ServingFormulas.prefillThroughput(inputLen, batch, prefill),
        ServingFormulas.decodeStepThroughput(batch, step),
        ServingFormulas.batchTotalThroughput(inputLen, outputLen, batch, e2e));
  }

  /** A request's output token arrivals as nanoTime stamps: the first at sent + TTFT, then one ITL gap each. */
  static long[] tokenTimes(RequestResult r) {
    long[] itl = r.itlMicros() == null ? new long[0] : r.itlMicros();
    long[] t = new long[itl.length + 1];
    t[0] = r.sentNanos() + r.ttftMicros() * 1_000;
    for (int i = 0; i < itl.length; i++) {
      t[i + 1] = t[i] + itl[i] * 1_000;
    }
    return t;
  }

  /** np.median of one figure over the batches; NaN when no batch gave it. */
  private static double median(List<double[]> figures, int i) {
    double[] v = figures.stream().mapToDouble(f -> f[i]).filter(d -> !Double.isNaN(d)).sorted().toArray();
    return v.length == 0 ? Double.NaN : Numpy.median(v);
  }
}
