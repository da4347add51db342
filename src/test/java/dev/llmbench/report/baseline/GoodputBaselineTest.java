package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.metrics.Slo;
import dev.llmbench.report.model.GroupMetrics;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goodput metrics in a baseline: written and read back, judged, bootstrapped, and only for runs
 * with objectives. The synthetic runs' TTFT is 40 ms ± 2 %: {@code ttft:41.6} (two standard deviations)
 * is met by about 98 % of a calm run's requests and by none of a run 30 % slower.
 */
class GoodputBaselineTest {
  private static final Thresholds T = Thresholds.DEFAULTS;
  private static final String SLO = "ttft:41.6";

  @TempDir
  Path dir;

  private static SyntheticRun calm(long seed) {
    return SyntheticRun.calm(seed).withParameter("slo", SLO);
  }

  @Test
  void aBaselineOfRunsWithObjectivesHasGoodputRowsAndReadsThemBack() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, calm(1), calm(2));
    GroupMetrics g = calm(1).summary().groups().get(0);
    assertTrue(g.goodput().sloAttainment() > 0.9 && g.goodput().sloAttainment() < 1, g.goodput().toString());
    BaselineRow attainment = b.row(SyntheticRun.GROUP, Metric.SLO_ATTAINMENT).orElseThrow();
    assertEquals((g.goodput().sloAttainment() + calm(2).summary().groups().get(0).goodput().sloAttainment()) / 2,
        attainment.value(), 1e-12);
    assertTrue(attainment.se() > 0, "the bootstrap saw the attainment's sampling noise: " + attainment);
    assertTrue(b.row(SyntheticRun.GROUP, Metric.REQUEST_GOODPUT).orElseThrow().value() > 0);
    assertEquals(Metric.values().length - 1, b.rows().size(), "all but IPS");

    BaselineFiles.write(dir, b);
    Baseline read = BaselineFiles.read(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE);
    for (Metric m : List.of(Metric.REQUEST_GOODPUT, Metric.SLO_ATTAINMENT)) {
      BaselineRow w = b.row(SyntheticRun.GROUP, m).orElseThrow();
      BaselineRow r = read.row(SyntheticRun.GROUP, m).orElseThrow();
      assertEquals(w.value(), r.value(), 1e-6, m.key());
      assertEquals(w.se(), r.se(), 1e-6, m.key());
    }
    assertEquals(SLO, read.metadata().loadParameters().get("slo"), "the objectives are part of the load compared");
  }

  @Test
  void theSameServerMeetsItsObjectivesAsBeforeAndASlowerOneIsARegressionOfGoodput() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, calm(1), calm(2), calm(3));
    Comparison same = Baselines.compare(b, "b.csv", calm(7).current(), List.of(), T);
    assertFalse(same.regression(), statuses(same));
    assertEquals(Status.OK, status(same, Metric.SLO_ATTAINMENT), statuses(same));
    assertEquals(Status.OK, status(same, Metric.REQUEST_GOODPUT), statuses(same));

    Comparison slower = Baselines.compare(b, "b.csv", calm(7).scaled(1.3).current(), List.of(), T);
    MetricComparison attainment = row(slower, Metric.SLO_ATTAINMENT);
    assertEquals(0, attainment.current(), "no request of the slower run within 41.6 ms");
    assertEquals(Status.REGRESSION, attainment.status(), attainment.note());
    assertEquals(Status.REGRESSION, status(slower, Metric.REQUEST_GOODPUT));
  }

  @Test
  void otherObjectivesOrNoneAreNotComparable() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, calm(1));
    BaselineException other = assertThrows(BaselineException.class, () -> Baselines.compare(b, "b.csv",
        SyntheticRun.calm(2).withParameter("slo", "ttft:50").current(), List.of(), T));
    assertEquals(BaselineException.Kind.MISMATCH, other.kind());
    assertTrue(other.getMessage().contains("slo was \"ttft:41.6\", is \"ttft:50\""), other.getMessage());
    BaselineException none = assertThrows(BaselineException.class,
        () -> Baselines.compare(b, "b.csv", SyntheticRun.calm(2).current(), List.of(), T));
    assertTrue(none.getMessage().contains("slo was \"ttft:41.6\", is (not set)"), none.getMessage());
  }

  @Test
  void aRunWithoutObjectivesHasNoGoodputRows() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1));
    assertTrue(b.row(SyntheticRun.GROUP, Metric.REQUEST_GOODPUT).isEmpty());
    assertTrue(b.row(SyntheticRun.GROUP, Metric.SLO_ATTAINMENT).isEmpty());
  }

  @Test
  void bootstrapReplicatesGoodputFromEachRequestsVerdict() {
    SyntheticRun run = calm(1);
    GroupMetrics g = run.summary().groups().get(0);
    Map<Metric, double[]> reps = Bootstrap.replicates(run.results(), g.durationSeconds(), 400, 5,
        Slo.parse(SLO));
    double[] attainment = reps.get(Metric.SLO_ATTAINMENT);
    assertEquals(400, attainment.length);
    double mean = Arrays.stream(attainment).average().orElseThrow();
    assertEquals(g.goodput().sloAttainment(), mean, 0.01, "replicates centre on the observed attainment");
    assertTrue(Arrays.stream(attainment).allMatch(a -> a >= 0 && a <= 1));
    assertTrue(Bootstrap.standardError(attainment) > 0);
    double[] goodput = reps.get(Metric.REQUEST_GOODPUT);
    assertEquals(g.goodput().requestGoodput(), Arrays.stream(goodput).average().orElseThrow(),
        0.01 * g.goodput().requestGoodput() + 1e-9);
    // A run whose requests all fail is good nowhere: every replicate 0.
    SyntheticRun failing = calm(1).withFailed(200);
    assertTrue(Arrays.stream(Bootstrap.replicates(failing.results(), 1, 200, 5, Slo.parse(SLO))
        .get(Metric.SLO_ATTAINMENT)).allMatch(a -> a == 0));
  }

  private static Status status(Comparison c, Metric m) {
    return row(c, m).status();
  }

  private static MetricComparison row(Comparison c, Metric m) {
    return c.rows().stream().filter(r -> r.metric() == m).findFirst().orElseThrow(() -> new AssertionError(
        m.key() + " not compared: " + statuses(c)));
  }

  private static String statuses(Comparison c) {
    return c.rows().stream().map(r -> r.metric().key() + "=" + r.status().label() + " (" + r.note() + ")")
        .collect(Collectors.joining(", "));
  }
}
