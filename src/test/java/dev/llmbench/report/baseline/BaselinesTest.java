package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.report.render.ComparisonFormats;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The comparison rules on hand-made baselines: every status in both directions, the hard gates, the
 * noise rule (a noisy change against a clear one), the client-bound input, apples to apples and the
 * hardware warning. Figures are derived from the thresholds, never written in.
 */
class BaselinesTest {
  private static final Thresholds T = Thresholds.DEFAULTS;
  private static final double BASE = 100;

  private static BaselineRow row(Metric m, double value, double runSd, double se) {
    return new BaselineRow("g", m, value, 5, value - runSd, value + runSd, runSd, se);
  }

  /** The current value of a metric that is worse than the baseline by {@code worsePct}. */
  private static double worse(Metric m, double base, double worsePct) {
    return m.direction() == Metric.Direction.LOWER_IS_BETTER ? base * (1 + worsePct / 100)
        : base * (1 - worsePct / 100);
  }

  /**
   * A baseline of k runs, and a new run worse by exactly the threshold, all with 8 % run-to-run noise:
   * a regression called "at 95 % confidence" may then be wrong at most 2.5 % of the time, however few
   * runs the baseline has (its spread, measured on 2 or 3 runs, is itself uncertain).
   */
  @Test
  void aBaselineOfFewRunsCallsAChangeAtTheThresholdARegressionNoMoreOftenThanItsConfidenceAllows() {
    java.util.Random world = new java.util.Random(11);
    Metric m = Metric.OUTPUT_THROUGHPUT;
    double noise = 0.08;
    int trials = 1_000;
    // No replicates of this run (a constant, as when its sampling noise is unknown): 250 of them is
    // enough for the baseline's 20 draws each, and keeps the test to seconds.
    Thresholds t = new Thresholds(T.regressionPct(), T.warnPct(), T.p95GatePct(), T.errorRateGate(), T.confidence(),
        250, T.seed());
    for (int k : new int[] {2, 3, 5}) {
      int regressions = 0;
      for (int trial = 0; trial < trials; trial++) {
        double[] runs = new double[k];
        for (int i = 0; i < k; i++) {
          runs[i] = BASE * Math.exp(noise * world.nextGaussian());
        }
        double mean = java.util.Arrays.stream(runs).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(runs).map(v -> (v - mean) * (v - mean)).sum() / (k - 1));
        BaselineRow b = new BaselineRow("g", m, mean, k, java.util.Arrays.stream(runs).min().orElseThrow(),
            java.util.Arrays.stream(runs).max().orElseThrow(), sd, sd / Math.sqrt(k));
        double current = worse(m, BASE, t.regressionPct()) * Math.exp(noise * world.nextGaussian());
        if (Baselines.judge(b, current, new double[0], t, false, false).status() == Status.REGRESSION) {
          regressions++;
        }
      }
      double allowed = 0.025 + 3 * Math.sqrt(0.025 * 0.975 / trials);
      assertTrue(regressions <= allowed * trials, regressions + " of " + trials + " called with " + k + " runs");
    }
  }

  private static Status status(Metric m, double worsePct, Thresholds t) {
    return Baselines.judge(row(m, BASE, 0, 0), worse(m, BASE, worsePct), new double[0], t, false, false).status();
  }

  @Test
  void everyStatusInBothDirections() {
    for (Metric m : List.of(Metric.P99_TTFT, Metric.MEAN_ITL, Metric.OUTPUT_THROUGHPUT, Metric.REQUEST_THROUGHPUT)) {
      assertEquals(Status.OK, status(m, T.warnPct() / 2, T), m + " worse within the warn band");
      assertEquals(Status.OK, status(m, -T.warnPct() / 2, T), m + " better within the warn band");
      assertEquals(Status.WARN, status(m, (T.warnPct() + T.regressionPct()) / 2, T), m + " in the warn band");
      assertEquals(Status.REGRESSION, status(m, T.regressionPct() * 1.5, T), m + " beyond the threshold");
      assertEquals(Status.IMPROVED, status(m, -T.regressionPct(), T), m + " better");
    }
  }

  @Test
  void aDropInThroughputIsWorseAndADropInLatencyIsBetter() {
    MetricComparison throughput = Baselines.judge(row(Metric.OUTPUT_THROUGHPUT, BASE, 0, 0),
        BASE * (1 - T.regressionPct() * 2 / 100), new double[0], T, false, false);
    MetricComparison latency = Baselines.judge(row(Metric.MEAN_E2E, BASE, 0, 0),
        BASE * (1 - T.regressionPct() * 2 / 100), new double[0], T, false, false);
    assertEquals(Status.REGRESSION, throughput.status());
    assertEquals(Status.IMPROVED, latency.status());
    assertTrue(throughput.changePct() < 0 && latency.changePct() < 0, "Δ% is signed as the value moved");
  }

  @Test
  void theThresholdComesFromThePropertyThenTheEnvironment() {
    Map<String, String> env = Map.of("REGRESSION_THRESHOLD", "25");
    assertEquals(25, Thresholds.from(Props.of(Map.of()), env).regressionPct());
    assertEquals(7.5, Thresholds.from(Props.of(Map.of("regression.threshold", "7.5")), env).regressionPct());
    assertEquals(Thresholds.DEFAULT_REGRESSION_PCT, Thresholds.from(Props.of(Map.of()), Map.of()).regressionPct());
    ConfigException e = assertThrows(ConfigException.class,
        () -> Thresholds.from(Props.of(Map.of("regression.threshold", "ten")), Map.of()));
    assertTrue(e.getMessage().contains("regression.threshold") && e.getMessage().contains("ten"), e.getMessage());
    ConfigException fromEnv = assertThrows(ConfigException.class,
        () -> Thresholds.from(Props.of(Map.of()), Map.of("REGRESSION_THRESHOLD", "-3")));
    assertTrue(fromEnv.getMessage().contains("REGRESSION_THRESHOLD"), fromEnv.getMessage());
    Thresholds lowered = Thresholds.from(Props.of(Map.of("regression.threshold", "3")), Map.of());
    assertTrue(lowered.warnPct() <= lowered.regressionPct(), "the warn band never exceeds the threshold");
  }

  @Test
  void aMistypedBaselinePropertyIsRefusedAndAnUpdateNeedsAReason() {
    ConfigException typo = assertThrows(ConfigException.class,
        () -> BaselineOptions.from(Props.of(Map.of("baseline.reson", "x")), Map.of()));
    assertTrue(typo.getMessage().startsWith("unknown property baseline.reson;"), typo.getMessage());
    ConfigException noReason = assertThrows(ConfigException.class,
        () -> BaselineOptions.from(Props.of(Map.of("baseline.update", "true")), Map.of()));
    assertTrue(noReason.getMessage().contains("-Dbaseline.reason"), noReason.getMessage());
    assertFalse(BaselineOptions.from(Props.of(Map.of()), Map.of()).update(), "never an update unless asked");
  }

  @Test
  void theP95GateFailsEvenWhenTheThresholdIsHigher() {
    double threshold = Thresholds.P95_GATE_PCT * 3;
    Thresholds lenient = Thresholds.from(Props.of(Map.of("regression.threshold", Double.toString(threshold))), Map.of());
    double change = (Thresholds.P95_GATE_PCT + threshold) / 2;
    MetricComparison p95 = Baselines.judge(row(Metric.P95_E2E, BASE, 0, 0), worse(Metric.P95_E2E, BASE, change),
        new double[0], lenient, false, false);
    assertEquals(Status.REGRESSION, p95.status());
    assertTrue(p95.note().contains("p95 hard gate"), p95.note());
    assertEquals(Status.WARN, status(Metric.P99_E2E, change, lenient), "p99 is judged by the threshold only");
    assertEquals(Status.WARN, status(Metric.P95_TTFT, Thresholds.P95_GATE_PCT / 2, lenient));
  }

  @Test
  void theErrorRateGateFailsWhateverTheBaseline() {
    double above = T.errorRateGate() * 2;
    MetricComparison same = Baselines.judge(row(Metric.ERROR_RATE, above, 0, 0), above, new double[0], T, false, false);
    assertEquals(Status.REGRESSION, same.status(), "an error rate above the gate fails even if the baseline had it");
    assertTrue(same.note().contains("hard gate"), same.note());
    assertEquals(Status.WARN, Baselines.judge(row(Metric.ERROR_RATE, 0, 0, 0), T.errorRateGate() / 2, new double[0],
        T, false, false).status(), "new errors below the gate");
    assertEquals(Status.IMPROVED, Baselines.judge(row(Metric.ERROR_RATE, T.errorRateGate() / 2, 0, 0), 0,
        new double[0], T, false, false).status());
    assertEquals(Status.OK, Baselines.judge(row(Metric.ERROR_RATE, 0, 0, 0), 0, new double[0], T, false, false).status());
  }

  @Test
  void aChangeBeyondTheThresholdIsARegressionOnlyWhenTheNoiseCannotExplainIt() {
    double change = T.regressionPct() * 1.5;
    double current = worse(Metric.MEAN_TTFT, BASE, change);
    MetricComparison clear = Baselines.judge(row(Metric.MEAN_TTFT, BASE, BASE * T.regressionPct() / 1000, 0),
        current, new double[0], T, false, false);
    MetricComparison noisy = Baselines.judge(row(Metric.MEAN_TTFT, BASE, BASE * change / 100, 0), current,
        new double[0], T, false, false);
    assertEquals(Status.REGRESSION, clear.status(), clear.note());
    assertEquals(Status.WARN_NOISY, noisy.status(), noisy.note());
    assertEquals(clear.changePct(), noisy.changePct(), 1e-9, "the same change");
    assertTrue(noisy.changeCiLowPct() < T.regressionPct() && noisy.changeCiHighPct() > change, "a wide interval");
    // This run's own sampling noise counts as well: replicates spread around the current value.
    double[] spread = new double[T.replicates()];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < spread.length; i++) {
      spread[i] = current * (1 + change / 100 * r.nextGaussian());
    }
    assertEquals(Status.WARN_NOISY, Baselines.judge(row(Metric.MEAN_TTFT, BASE, 0, 0), current, spread, T, false, false)
        .status());
  }

  @Test
  void aThroughputDropBeyondTheThresholdIsNoisyWhenTheIntervalReachesBackAboveIt() {
    // Higher is better: worse is a drop, and the better end of the interval is its upper end.
    double change = T.regressionPct() * 1.5;
    double current = worse(Metric.OUTPUT_THROUGHPUT, BASE, change);
    MetricComparison clear = Baselines.judge(row(Metric.OUTPUT_THROUGHPUT, BASE, BASE * T.regressionPct() / 1000, 0),
        current, new double[0], T, false, false);
    MetricComparison noisy = Baselines.judge(row(Metric.OUTPUT_THROUGHPUT, BASE, BASE * change / 100, 0), current,
        new double[0], T, false, false);
    assertEquals(Status.REGRESSION, clear.status(), clear.note());
    assertTrue(clear.changeCiHighPct() < -T.regressionPct(), "even the better end is a drop beyond it: " + clear);
    assertEquals(Status.WARN_NOISY, noisy.status(), noisy.note());
    assertEquals(-change, noisy.changePct(), 1e-9, "a drop, signed as the value moved");
    assertTrue(noisy.changeCiLowPct() < -change && noisy.changeCiHighPct() > -T.regressionPct(),
        "the interval reaches back above the threshold: " + noisy);
    // The same spread on a rise in throughput is better, not noisy.
    assertNotEquals(Status.WARN_NOISY, Baselines.judge(row(Metric.OUTPUT_THROUGHPUT, BASE, BASE * change / 100, 0),
        worse(Metric.OUTPUT_THROUGHPUT, BASE, -change), new double[0], T, false, false).status());
  }

  @Test
  void aClientBoundRunIsNoRegressionButForTheErrorGate() {
    double current = worse(Metric.P99_TTFT, BASE, T.regressionPct() * 3);
    MetricComparison m = Baselines.judge(row(Metric.P99_TTFT, BASE, 0, 0), current, new double[0], T, true, false);
    assertEquals(Status.WARN_CLIENT_BOUND, m.status());
    assertEquals("WARN (client-bound)", m.status().label());
    assertEquals(Status.WARN_CLIENT_BOUND, Baselines.judge(row(Metric.P99_TTFT, BASE, 0, 0), current, new double[0], T,
        true, true).status(), "client-bound says more than other hardware");
  }

  @Test
  void theErrorRateGateIsHardWhateverTheClientOrTheMachine() {
    double failing = T.errorRateGate() * 2;
    for (boolean[] c : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
      MetricComparison m = Baselines.judge(row(Metric.ERROR_RATE, 0, 0, 0), failing, new double[0], T, c[0], c[1]);
      assertEquals(Status.REGRESSION, m.status(), "client-bound " + c[0] + ", other hardware " + c[1]);
      assertTrue(m.note().contains("hard gate"), m.note());
    }
  }

  // --- whole comparisons on made-up runs, through the bootstrap ---

  @Test
  void aSlowerServerIsAClearRegressionAndTheSameServerIsNot() throws BaselineException {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1), SyntheticRun.calm(2), SyntheticRun.calm(3));
    Comparison same = Baselines.compare(b, "b.csv", SyntheticRun.calm(7).current(), List.of(), T);
    assertFalse(same.regression(), statuses(same));
    assertTrue(same.rows().stream().allMatch(r -> r.status() == Status.OK), statuses(same));
    assertEquals(Metric.values().length - 3, same.rows().size(),
        "every headline metric of a generation group (all but IPS), without goodput (no -Dslo)");

    double slower = 1 + T.regressionPct() * 3 / 100;
    Comparison worse = Baselines.compare(b, "b.csv", SyntheticRun.calm(7).scaled(slower).current(), List.of(), T);
    assertTrue(worse.regression(), statuses(worse));
    for (Metric m : List.of(Metric.MEAN_TTFT, Metric.P95_TTFT, Metric.MEAN_TPOT, Metric.P99_ITL, Metric.P95_E2E,
        Metric.OUTPUT_THROUGHPUT, Metric.REQUEST_THROUGHPUT)) {
      assertEquals(Status.REGRESSION, status(worse, m), m.key());
    }
    assertEquals(Status.OK, status(worse, Metric.ERROR_RATE));
    assertTrue(worse.verdictLine().startsWith("REGRESSION"), worse.verdictLine());

    Comparison clientBound = Baselines.compare(b, "b.csv", SyntheticRun.calm(7).scaled(slower).current(),
        List.of("event-loop lag p99 40 ms > 10 ms"), T);
    assertFalse(clientBound.regression());
    assertTrue(clientBound.verdictLine().contains("client-bound") && clientBound.verdictLine().contains("event-loop"),
        clientBound.verdictLine());
  }

  @Test
  void inOneRunANoisyMetricIsAWarningAndASteadyOneARegression() throws BaselineException {
    // Few requests whose TTFT varies a lot: the mean TTFT moves by chance. The TPOT averages many
    // token gaps per request: the same slowdown stands out of its noise.
    int few = 6;
    double jitter = 0.6;
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1).withJitter(jitter, few),
        SyntheticRun.calm(2).withJitter(jitter, few), SyntheticRun.calm(3).withJitter(jitter, few));
    Comparison c = Baselines.compare(b, "b.csv",
        SyntheticRun.calm(7).withJitter(jitter, few).scaled(1 + T.regressionPct() * 3 / 100).current(), List.of(), T);
    MetricComparison ttft = row(c, Metric.MEAN_TTFT);
    assertTrue(ttft.changePct() > T.regressionPct(), ttft.toString());
    assertEquals(Status.WARN_NOISY, ttft.status(), ttft.note());
    assertTrue(ttft.changeCiLowPct() < T.regressionPct(), "the interval reaches below the threshold: " + ttft);
    MetricComparison tpot = row(c, Metric.MEAN_TPOT);
    assertEquals(Status.REGRESSION, tpot.status(), tpot.note());
    assertTrue(tpot.changeCiLowPct() > T.regressionPct(), tpot.toString());
    BaselineRow base = b.row(SyntheticRun.GROUP, Metric.MEAN_TTFT).orElseThrow();
    assertTrue(base.runSd() > 0 && base.runMin() < base.runMax() && base.runs() == 3, base.toString());
  }

  @Test
  void otherLoadParametersOrAnotherModelAreRefused() throws BaselineException {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1).withParameter("maxConcurrency", "8"));
    BaselineException params = assertThrows(BaselineException.class,
        () -> Baselines.compare(b, "b.csv", SyntheticRun.calm(2).withParameter("maxConcurrency", "64").current(),
            List.of(), T));
    assertEquals(BaselineException.Kind.MISMATCH, params.kind());
    assertTrue(params.getMessage().contains("maxConcurrency was \"8\", is \"64\""), params.getMessage());
    BaselineException file = assertThrows(BaselineException.class, () -> Baselines.compare(b, "b.csv",
        SyntheticRun.calm(2).withParameter("maxConcurrency", "8").withParameter("promptFile", "p.jsonl").current(),
        List.of(), T));
    assertTrue(file.getMessage().contains("promptFile was (not set), is \"p.jsonl\""), "absent is a difference: "
        + file.getMessage());
    BaselineException seed = assertThrows(BaselineException.class,
        () -> Baselines.compare(b, "b.csv", SyntheticRun.calm(2).withParameter("seed", "2").current(), List.of(), T));
    assertTrue(seed.getMessage().contains("seed was \"1\", is \"2\"") && seed.getMessage().contains("b.csv"),
        seed.getMessage());
    BaselineException model = assertThrows(BaselineException.class,
        () -> Baselines.compare(b, "b.csv", SyntheticRun.calm(2).withModel("model-b").current(), List.of(), T));
    assertTrue(model.getMessage().contains("model was \"model-a\", is \"model-b\""), model.getMessage());
  }

  @Test
  void theConsoleTableShowsTheBaselinesRunToRunSpread() throws BaselineException {
    Baseline three = SyntheticRun.baselineOf(T, SyntheticRun.calm(1), SyntheticRun.calm(2), SyntheticRun.calm(3));
    Comparison c = Baselines.compare(three, "b.csv", SyntheticRun.calm(4).current(), List.of(), T);
    List<String> console = ComparisonFormats.console(new BaselineCheck(BaselineCheck.Kind.COMPARED, c, c.verdictLine()));
    String header = console.stream().filter(l -> l.startsWith("metric")).findFirst().orElseThrow();
    assertTrue(header.contains("baseline run spread"), header);
    MetricComparison ttft = c.rows().stream().filter(r -> r.metric() == Metric.MEAN_TTFT).findFirst().orElseThrow();
    String expected = String.format(java.util.Locale.ROOT, "±%.1f%% of 3 runs",
        100 * ttft.baselineRunSd() / ttft.baseline());
    assertTrue(console.stream().anyMatch(l -> l.startsWith(Metric.MEAN_TTFT.key()) && l.contains(expected)),
        expected + " in " + console);
    Comparison single = Baselines.compare(SyntheticRun.baselineOf(T, SyntheticRun.calm(1)), "b.csv",
        SyntheticRun.calm(4).current(), List.of(), T);
    assertTrue(ComparisonFormats.console(new BaselineCheck(BaselineCheck.Kind.COMPARED, single, single.verdictLine()))
        .stream().anyMatch(l -> l.startsWith(Metric.MEAN_TTFT.key()) && l.contains("1 run ")), "one run: no spread");
  }

  @Test
  void aBaselineFromBeforePromptsAndConcurrencyWereRecordedIsComparedWithAWarning() throws BaselineException {
    // Older runs recorded numPrompts and maxConcurrency only when given on the command line.
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1));
    BaselineMetadata m = b.metadata();
    java.util.TreeMap<String, String> recorded = new java.util.TreeMap<>(m.loadParameters());
    String prompts = recorded.remove("numPrompts");
    Baseline old = new Baseline(new BaselineMetadata(m.schemaVersion(), m.framework(), m.profile(), m.model(),
        m.backend(), recorded, m.hardware(), m.commit(), m.timestampUtc(), m.reason(), m.runs(), m.replicates(),
        m.seed(), m.csvSha256()), b.rows());
    Comparison c = Baselines.compare(old, "b.csv", SyntheticRun.calm(2).withParameter("maxConcurrency", "8").current(),
        List.of(), T);
    assertEquals(List.of("maxConcurrency not checked: the baseline does not record it (this run has \"8\"); update "
        + "the baseline to compare it", "numPrompts not checked: the baseline does not record it (this run has \""
        + prompts + "\"); update the baseline to compare it"), c.warnings());
    assertFalse(c.otherHardware());
    assertEquals("no-regression", ComparisonFormats.verdict(c), statuses(c));
  }

  @Test
  void runsThatDifferOnlyInTheirSliceLengthStayComparable() throws BaselineException {
    // -Dslice.sec only cuts the report into time slices: it changes no compared figure.
    Baseline sliced = SyntheticRun.baselineOf(T, SyntheticRun.calm(1).withParameter("sliceSec", "10.0"));
    Comparison other = Baselines.compare(sliced, "b.csv", SyntheticRun.calm(2).withParameter("sliceSec", "1.0")
        .current(), List.of(), T);
    assertEquals(List.of(), other.warnings());
    assertEquals("no-regression", ComparisonFormats.verdict(other), statuses(other));
    Comparison none = Baselines.compare(SyntheticRun.baselineOf(T, SyntheticRun.calm(1)), "b.csv",
        SyntheticRun.calm(2).withParameter("sliceSec", "1.0").current(), List.of(), T);
    assertEquals(List.of(), none.warnings(), "nothing to check, so nothing unchecked");
  }

  @Test
  void aBaselineIsComparedOnlyWithRunsOfItsSamplingVersionAndOneFromBeforeItWasRecordedIsVersionOne()
      throws BaselineException {
    String version = Integer.toString(dev.llmbench.sampling.Seeds.SAMPLING_VERSION);
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1).withParameter(Baselines.SAMPLING, version));
    assertEquals(version, b.metadata().loadParameters().get(Baselines.SAMPLING), "a new baseline records it");
    BaselineMetadata m = b.metadata();
    java.util.TreeMap<String, String> recorded = new java.util.TreeMap<>(m.loadParameters());
    recorded.remove(Baselines.SAMPLING);
    Baseline old = new Baseline(new BaselineMetadata(m.schemaVersion(), m.framework(), m.profile(), m.model(),
        m.backend(), recorded, m.hardware(), m.commit(), m.timestampUtc(), m.reason(), m.runs(), m.replicates(),
        m.seed(), m.csvSha256()), b.rows());
    // Before the version was recorded every seed drew with new Random(seed): version 1.
    Comparison same = Baselines.compare(old, "b.csv", SyntheticRun.calm(2).withParameter(Baselines.SAMPLING, "1")
        .current(), List.of(), T);
    assertEquals(List.of(), same.warnings());
    assertEquals("no-regression", ComparisonFormats.verdict(same), statuses(same));
    BaselineException other = assertThrows(BaselineException.class, () -> Baselines.compare(old, "b.csv",
        SyntheticRun.calm(2).withParameter(Baselines.SAMPLING, "2").current(), List.of(), T));
    assertEquals(BaselineException.Kind.MISMATCH, other.kind());
    assertTrue(other.getMessage().contains("sampling was \"1\", is \"2\""), other.getMessage());
  }

  @Test
  void aRunNotComparableWithItsBaselineSaysHowToMakeItTheBaseline(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    BaselineFiles.write(dir, SyntheticRun.baselineOf(T, SyntheticRun.calm(1).withParameter("maxConcurrency", "8")));
    SyntheticRun now = SyntheticRun.calm(2).withParameter("maxConcurrency", "64");
    BaselineCheck check = BaselineCheck.of(dir, now.current(), List.of(), T);
    assertEquals(BaselineCheck.Kind.NOT_COMPARABLE, check.kind());
    assertTrue(check.message().contains("maxConcurrency was \"8\", is \"64\""), check.message());
    assertTrue(check.message().endsWith("make this run the baseline with: mvn -q exec:java@baseline -Dbaseline.dir="
        + dir + " -Dexec.args=\"update --reason '<what changed>' " + now.current().runFolder() + "\""),
        check.message());
  }

  @Test
  void anotherMachineIsAWarningNotARefusalNorARegression() throws BaselineException {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1));
    Comparison c = Baselines.compare(b, "b.csv", SyntheticRun.calm(2).withHardware("cpu", "cpu-b").current(),
        List.of(), T);
    assertEquals(List.of("hardware differs: cpu was \"cpu-a\" for the baseline, is \"cpu-b\" now"), c.warnings());
    assertFalse(c.rows().isEmpty());
    Comparison slower = Baselines.compare(b, "b.csv", SyntheticRun.calm(2).withHardware("cores", "64")
        .scaled(1 + T.regressionPct() * 3 / 100).current(), List.of(), T);
    assertFalse(slower.regression(), statuses(slower));
    assertEquals(Status.WARN_OTHER_HARDWARE, status(slower, Metric.MEAN_TPOT));
    assertTrue(slower.verdictLine().startsWith("NOT JUDGED") && slower.verdictLine().contains("other hardware"),
        slower.verdictLine());
  }

  @Test
  void aClientBoundRunOrAnotherMachineIsNotJudgedEvenWhenNoRowWouldHaveRegressed() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1), SyntheticRun.calm(2), SyntheticRun.calm(3));
    Comparison clientBound = Baselines.compare(b, "b.csv", SyntheticRun.calm(7).current(),
        List.of("event-loop lag p99 40 ms > 10 ms"), T);
    assertEquals(0, clientBound.count(Status.WARN_CLIENT_BOUND), statuses(clientBound));
    assertTrue(clientBound.verdictLine().startsWith("NOT JUDGED: the run was client-bound (event-loop"),
        clientBound.verdictLine());
    assertEquals("client-bound", ComparisonFormats.verdict(clientBound));

    Comparison other = Baselines.compare(b, "b.csv", SyntheticRun.calm(7).withHardware("cpu", "cpu-b").current(),
        List.of(), T);
    assertEquals(0, other.count(Status.WARN_OTHER_HARDWARE), statuses(other));
    assertTrue(other.verdictLine().startsWith("NOT JUDGED") && other.verdictLine().contains("other hardware"),
        other.verdictLine());
    assertEquals("other-hardware", ComparisonFormats.verdict(other));
    StringWriter json = new StringWriter();
    ComparisonFormats.json(new BaselineCheck(BaselineCheck.Kind.COMPARED, other, other.verdictLine()), json);
    JsonNode written = new ObjectMapper().readTree(json.toString());
    assertTrue(written.get("otherHardware").asBoolean(), json.toString());
    assertEquals("other-hardware", written.get("verdict").asText());
  }

  @Test
  void noGroupInCommonIsNotComparable() throws BaselineException {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1));
    String elsewhere = SyntheticRun.GROUP + "-elsewhere";
    Baseline other = new Baseline(b.metadata(), b.rows().stream().map(r -> new BaselineRow(elsewhere, r.metric(),
        r.value(), r.runs(), r.runMin(), r.runMax(), r.runSd(), r.se())).toList());
    BaselineException e = assertThrows(BaselineException.class,
        () -> Baselines.compare(other, "b.csv", SyntheticRun.calm(2).current(), List.of(), T));
    assertEquals(BaselineException.Kind.MISMATCH, e.kind());
    assertEquals("not comparable with baseline b.csv: no group and metric in common (the baseline has groups ["
        + elsewhere + "], this run has [" + SyntheticRun.GROUP + "])", e.getMessage());
  }

  @Test
  void aBaselineNeedsAReasonAndRunsOfOneKind() {
    BaselineException noReason = assertThrows(BaselineException.class, () -> Baselines.create(
        List.of(SyntheticRun.calm(1).baselineRun()), " ", java.time.Instant.EPOCH, T));
    assertEquals(BaselineException.Kind.USAGE, noReason.kind());
    BaselineException mixed = assertThrows(BaselineException.class, () -> Baselines.create(
        List.of(SyntheticRun.calm(1).baselineRun(), SyntheticRun.calm(2).withParameter("seed", "9").baselineRun()),
        "why", java.time.Instant.EPOCH, T));
    assertEquals(BaselineException.Kind.MISMATCH, mixed.kind());
    assertTrue(mixed.getMessage().contains("seed"), mixed.getMessage());
    // One baseline records one hardware: runs of two servers (their -Dserver.hardware labels) cannot pool.
    BaselineException servers = assertThrows(BaselineException.class, () -> Baselines.create(
        List.of(SyntheticRun.calm(1).withHardware("server", "8x H100 80GB").baselineRun(),
            SyntheticRun.calm(2).baselineRun()), "why", java.time.Instant.EPOCH, T));
    assertEquals(BaselineException.Kind.MISMATCH, servers.kind());
    assertTrue(servers.getMessage().endsWith("cannot join a baseline with run " + SyntheticRun.calm(1).runId()
        + ": hardware server was \"8x H100 80GB\", is (not set); give every run of a baseline the same "
        + "-Dserver.hardware"), servers.getMessage());
  }

  @Test
  void theValidityVerdictIsReadFromSummaryJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals(List.of(), SummaryValidity.clientBoundReasons(json.readTree("{\"schemaVersion\":1}")), "absent: valid");
    assertEquals(List.of(), SummaryValidity.clientBoundReasons(json.readTree("{\"validity\":{\"verdict\":\"valid\"}}")));
    assertEquals(List.of("GC pauses 12 % of the run"), SummaryValidity.clientBoundReasons(json.readTree(
        "{\"validity\":{\"verdict\":\"client-bound\",\"reasons\":[\"GC pauses 12 % of the run\"]}}")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SummaryValidity.clientBoundReasons(
        json.readTree("{\"validity\":{\"verdict\":\"maybe\"}}")));
    assertTrue(e.getMessage().contains("\"maybe\""), e.getMessage());
  }

  private static Status status(Comparison c, Metric m) {
    return row(c, m).status();
  }

  private static MetricComparison row(Comparison c, Metric m) {
    return c.rows().stream().filter(r -> r.metric() == m).findFirst().orElseThrow();
  }

  private static String statuses(Comparison c) {
    return c.rows().stream().map(r -> r.metric().key() + "=" + r.status().label() + " (" + r.note() + ")")
        .collect(Collectors.joining(", "));
  }
}
