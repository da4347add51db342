package dev.llmbench.report.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.sampling.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The comparison logic: apples-to-apples checks, the direction-aware status of every metric with the
 * noise rule, and making a baseline from runs. Pure: no files, no clock, no properties (those come in
 * as arguments), so every rule is tested on hand-made baselines.
 *
 * <h2>The noise rule</h2>
 * For each group, this run's requests are bootstrapped ({@link Bootstrap}, seeded by the thresholds'
 * seed and the group's name): every replicate gives every metric. The baseline value is not a
 * constant either: it is drawn in each replicate as {@code value × exp(σ·T)} (seeded), σ =
 * {@link BaselineRow#relativeNoise()}: the baseline's own standard error and its run-to-run spread
 * (which also stands for the run-to-run spread this single run has), relative to its value. T is
 * Student's t with {@code runs − 1} degrees of freedom ({@link #spread}): a spread measured on a few
 * runs is itself uncertain, and where a new run may land is the textbook prediction interval
 * {@code mean ± t·s·sqrt(1 + 1/k)}. The replicates of {@code (current − baseline) / baseline}
 * give the interval of the change at the thresholds' confidence (percentile interval). A metric
 * worse than the threshold is a {@code REGRESSION} only when the better end of that interval is still
 * beyond the threshold; otherwise it is {@code WARN (noisy)}.
 */
public final class Baselines {
  /** The embedded emulator's I/O transport (the kernel's, not the load's): left out of the apples-to-apples check. */
  static final String EMULATOR_TRANSPORT = "transport=\\S+ ";

  /**
   * Draws of the baseline's noise in all, spread over this run's replicates (20 each for the default
   * 1,000): with one each, the interval's ends moved with the seed.
   */
  static final int BASELINE_DRAWS = 20_000;

  /**
   * Load parameters that runs before these were resolved did not record (they were only there when
   * given on the command line). A baseline or run without one of them is compared with a warning
   * that it is unknown; every other parameter absent on one side is a difference.
   */
  static final Set<String> RECORDED_LATER = Set.of("numPrompts", "maxConcurrency");

  /**
   * Load parameters that only say how the report was cut ({@code sliceSec}: time slices) or when the load
   * started ({@code startAtEpochMs}: the shards' common start), not what load was sent: they change no compared figure, so runs that differ only there stay comparable.
   */
  static final Set<String> ANALYSIS_ONLY = Set.of("sliceSec", dev.llmbench.report.model.Injectors.START_AT,
      // Where the dataset file lies, which differs between machines; its datasetSha256 is what is compared.
      "datasetPath");

  /** The load parameter of the sampling version ({@link Seeds#SAMPLING_VERSION}). */
  static final String SAMPLING = "sampling";

  private Baselines() {}

  /**
   * The hardware facts of a result's {@code metadata.json} (MachineMetadata): cpu, cores, gpu of the
   * machine that ran the load, and {@code server}, the run's {@code -Dserver.hardware} label, when it
   * has one. A remote server's hardware is known only from that label; runs without it (all before
   * it existed) have no {@code server} key, so they compare with each other as before.
   */
  public static SortedMap<String, String> hardware(JsonNode machine) {
    SortedMap<String, String> hw = new TreeMap<>();
    for (String key : List.of("cpu", "cores", "gpu")) {
      JsonNode v = machine.get(key);
      hw.put(key, v == null || v.isNull() ? "none" : v.asText());
    }
    String server = RunDescriptionFile.inMetadata(machine).serverHardware();
    if (server != null) {
      hw.put("server", server);
    }
    return hw;
  }

  /**
   * The load parameters two runs must share to be compared: the run's parameters, with the embedded
   * emulator's I/O transport (a property of the machine's kernel, not of the load) left out, and the
   * sampling version of a run from before it was recorded filled in ({@link #withSamplingVersion}).
   */
  public static SortedMap<String, String> loadParameters(RunMetadata m) {
    SortedMap<String, String> p = withSamplingVersion(m.parameters());
    p.computeIfPresent("emulator", (k, v) -> v.replaceAll(EMULATOR_TRANSPORT, ""));
    return p;
  }

  /**
   * Parameters with the sampling version of a result from before it was recorded
   * ({@link Seeds#UNRECORDED_SAMPLING_VERSION}) when they lack one.
   */
  static SortedMap<String, String> withSamplingVersion(Map<String, String> parameters) {
    SortedMap<String, String> p = new TreeMap<>(parameters);
    p.putIfAbsent(SAMPLING, Integer.toString(Seeds.UNRECORDED_SAMPLING_VERSION));
    return p;
  }

  /**
   * Refuses a baseline that was taken under other conditions.
   *
   * @throws BaselineException {@code MISMATCH}, naming every difference with both values
   */
  public static void checkComparable(BaselineMetadata b, RunMetadata current, String baselineCsv)
      throws BaselineException {
    List<String> diffs = differences(b.model(), b.backend(), b.profile(), withSamplingVersion(b.loadParameters()),
        current);
    if (!diffs.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.MISMATCH, "not comparable with baseline " + baselineCsv
          + ": " + String.join("; ", diffs));
    }
  }

  /**
   * What makes two results not apples to apples, by the rule the baseline check applies (model, backend,
   * profile and every load parameter but those that only cut the report; the emulator's transport left
   * out; prompts and concurrency only when both record them): one {@code "<name> was <a>, is <b>"} per
   * difference, {@code earlier} being the "was" side. Empty when the two may be compared.
   */
  public static List<String> differences(RunMetadata earlier, RunMetadata later) {
    return differences(earlier.model(), earlier.backend(), earlier.profile(), loadParameters(earlier), later);
  }

  private static List<String> differences(String model, String backend, String profile,
      SortedMap<String, String> then, RunMetadata current) {
    List<String> diffs = new ArrayList<>();
    diff(diffs, "model", model, current.model());
    diff(diffs, "backend", backend, current.backend());
    diff(diffs, "profile", profile, current.profile());
    SortedMap<String, String> now = loadParameters(current);
    for (String key : new TreeSet<>(union(then.keySet(), now.keySet()))) {
      if (ANALYSIS_ONLY.contains(key)) {
        continue;
      }
      if (RECORDED_LATER.contains(key) && !(then.containsKey(key) && now.containsKey(key))) {
        continue; // unknown on one side: unrecordedParameters says so
      }
      diff(diffs, key, then.get(key), now.get(key));
    }
    return diffs;
  }

  /**
   * Warnings for the {@link #RECORDED_LATER} parameters that one side does not record: they could not
   * be checked.
   */
  static List<String> unrecordedParameters(BaselineMetadata b, RunMetadata current) {
    SortedMap<String, String> now = loadParameters(current);
    List<String> out = new ArrayList<>();
    for (String key : new TreeSet<>(RECORDED_LATER)) {
      boolean inBaseline = b.loadParameters().containsKey(key);
      if (inBaseline != now.containsKey(key)) {
        out.add(key + " not checked: " + (inBaseline ? "this run does not record it (the baseline has "
            + show(b.loadParameters().get(key)) + ")" : "the baseline does not record it (this run has "
            + show(now.get(key)) + "); update the baseline to compare it"));
      }
    }
    return out;
  }

  /**
   * Hardware differences as warnings: a comparison across machines is shown, but a change there
   * cannot be told apart from the machine's, so no regression is called (see {@link Status#WARN_OTHER_HARDWARE}).
   */
  public static List<String> hardwareWarnings(BaselineMetadata b, Map<String, String> current) {
    List<String> out = new ArrayList<>();
    for (String key : new TreeSet<>(union(b.hardware().keySet(), current.keySet()))) {
      String was = b.hardware().getOrDefault(key, "(not recorded)");
      String is = current.getOrDefault(key, "(not recorded)");
      if (!was.equals(is)) {
        out.add("hardware differs: " + key + " was \"" + was + "\" for the baseline, is \"" + is + "\" now");
      }
    }
    return out;
  }

  /**
   * Compares a run with its baseline.
   *
   * @param clientBoundReasons why the run's client was the bottleneck (validity verdict); empty for a
   *     valid run. A client-bound run gets no {@code REGRESSION} but from the error-rate gate: such
   *     rows become {@code WARN (client-bound)}. A partial result ({@link CurrentRun#problems()}) gets no
   *     {@code REGRESSION} at all: such rows become {@code WARN (partial result)}, and a warning names
   *     the problems.
   * @throws BaselineException {@code MISMATCH} when the load parameters or the model differ, or when
   *     the run and the baseline have no group and metric in common
   */
  public static Comparison compare(Baseline baseline, String baselineCsv, CurrentRun run,
      List<String> clientBoundReasons, Thresholds t) throws BaselineException {
    RunMetadata m = run.summary().metadata();
    checkComparable(baseline.metadata(), m, baselineCsv);
    List<String> warnings = new ArrayList<>(hardwareWarnings(baseline.metadata(), run.hardware()));
    boolean otherHardware = !warnings.isEmpty();
    warnings.addAll(unrecordedParameters(baseline.metadata(), m));
    boolean clientBound = !clientBoundReasons.isEmpty();
    if (run.partial()) {
      warnings.add("partial result, no regression is called: " + String.join("; ", run.problems()));
    }
    List<MetricComparison> rows = new ArrayList<>();
    List<String> groups = run.summary().groups().stream().map(GroupMetrics::group).toList();
    for (String g : baseline.groups()) {
      if (!groups.contains(g)) {
        warnings.add("group '" + g + "' is in the baseline but not in this run");
      }
    }
    for (GroupMetrics g : run.summary().groups()) {
      if (!baseline.groups().contains(g.group())) {
        warnings.add("group '" + g.group() + "' is not in the baseline: not compared");
        continue;
      }
      Map<Metric, double[]> reps = Bootstrap.replicates(run.requestsOf(g.group()), g.durationSeconds(),
          t.replicates(), t.seed() ^ g.group().hashCode(), ServingMetrics.slo(m));
      // A pooling group whose requests all failed scored no item: its baseline says what it is.
      boolean pooling = g.pooling() || baseline.row(g.group(), Metric.ITEMS_THROUGHPUT).isPresent();
      for (Metric metric : Metric.values()) {
        if (!metric.appliesTo(pooling, g.hasGoodput())) {
          continue;
        }
        var row = baseline.row(g.group(), metric);
        if (row.isEmpty()) {
          warnings.add("group '" + g.group() + "': the baseline has no " + metric.key());
          continue;
        }
        MetricComparison judged = judge(row.get(), metric.of(g), reps.get(metric), t, clientBound, otherHardware);
        rows.add(run.partial() ? notJudgedPartial(judged) : judged);
      }
    }
    if (rows.isEmpty()) {
      // Nothing in common: "no regression" would be a verdict on nothing.
      throw new BaselineException(BaselineException.Kind.MISMATCH, "not comparable with baseline " + baselineCsv
          + ": no group and metric in common (the baseline has groups " + baseline.groups() + ", this run has "
          + groups + ")");
    }
    return new Comparison(m.framework(), m.profile(), baselineCsv, baseline.metadata(), t, rows, warnings,
        clientBoundReasons, otherHardware, run.problems());
  }

  /**
   * A partial result (a cut side file, counts that disagree with simulation.log) says too little for
   * a verdict: a regression, the error-rate gate included, becomes {@code WARN (partial result)}.
   */
  static MetricComparison notJudgedPartial(MetricComparison m) {
    if (m.status() != Status.REGRESSION) {
      return m;
    }
    return new MetricComparison(m.group(), m.metric(), m.baseline(), m.current(), m.changePct(), m.changeCiLowPct(),
        m.changeCiHighPct(), m.currentCiLow(), m.currentCiHigh(), m.baselineRuns(), m.baselineRunMin(),
        m.baselineRunMax(), m.baselineRunSd(), Status.WARN_PARTIAL, "partial result, not judged: " + m.note());
  }

  /**
   * One draw of the baseline's noise in units of σ: Student's t with {@code runs − 1} degrees of
   * freedom, as Z / sqrt(χ²/ν) (χ² a gamma draw); standard normal for one run, whose σ is its
   * bootstrap error alone (the README says what such a baseline cannot know). The normal throughout
   * took a few runs' spread as exact, and called too many regressions (README: Baselines and
   * regression verdicts).
   */
  static double spread(Random z, int runs) {
    double normal = z.nextGaussian();
    int nu = runs - 1;
    if (nu < 1) {
      return normal;
    }
    double chiSquare = Seeds.gamma(nu / 2.0, 2.0, z);
    return normal / Math.sqrt(chiSquare / nu);
  }

  /**
   * The status of one metric (the rules are in the README, "Baselines and regression verdicts").
   *
   * @param replicates bootstrap replicates of the current value (may be empty: no sampling noise known)
   * @param clientBound the run's client was the bottleneck: a regression becomes {@code WARN (client-bound)},
   *     except the error-rate gate
   * @param otherHardware the baseline is from other hardware: a regression becomes {@code WARN (other hardware)},
   *     except the error-rate gate
   */
  static MetricComparison judge(BaselineRow b, double current, double[] replicates, Thresholds t,
      boolean clientBound, boolean otherHardware) {
    double base = b.value();
    double alpha = 1 - t.confidence();
    double[] reps = sortedReplicates(current, replicates, t);
    double curLo = Bootstrap.percentile(reps, 100 * alpha / 2);
    double curHi = Bootstrap.percentile(reps, 100 * (1 - alpha / 2));
    double change = base > 0 ? (current - base) / base * 100 : current == 0 ? 0 : Double.NaN;
    double[] ci = base > 0 ? changeInterval(b, reps, t) : new double[] {Double.NaN, Double.NaN};
    Verdict verdict = b.metric() == Metric.ERROR_RATE ? errorRateVerdict(current, base, t)
        : timingVerdict(b.metric(), change, ci[0], ci[1], t);
    verdict = notJudgedWhere(verdict, b.metric(), clientBound, otherHardware);
    return new MetricComparison(b.group(), b.metric(), base, current, change, ci[0], ci[1], curLo, curHi, b.runs(),
        b.runMin(), b.runMax(), b.runSd(), verdict.status(), verdict.note());
  }

  /** A metric's status and the note that says why. */
  private record Verdict(Status status, String note) {
    static final Verdict OK = new Verdict(Status.OK, "");
  }

  /** This run's replicates in ascending order; without any, the current value alone (no sampling noise known). */
  private static double[] sortedReplicates(double current, double[] replicates, Thresholds t) {
    double[] reps;
    if (replicates.length == 0) {
      // The interval then comes from the baseline's noise alone.
      reps = new double[t.replicates()];
      Arrays.fill(reps, current);
    } else {
      reps = replicates.clone();
    }
    Arrays.sort(reps);
    return reps;
  }

  /**
   * The interval of the change in percent at the thresholds' confidence: each of this run's replicates
   * against draws of the baseline's noise ({@code value × exp(σ·T)}, the class comment's noise rule).
   *
   * @param reps this run's replicates, ascending
   * @return its low and high end
   */
  private static double[] changeInterval(BaselineRow b, double[] reps, Thresholds t) {
    double base = b.value();
    double alpha = 1 - t.confidence();
    double sigma = b.relativeNoise();
    Random z = Seeds.random(t.seed() ^ (b.group() + "/" + b.metric().key()).hashCode());
    // Several draws of the baseline per replicate, so that the interval's ends do not move with the seed
    // (README: Baselines and regression verdicts).
    int draws = Math.max(1, BASELINE_DRAWS / reps.length);
    double[] changes = new double[reps.length * draws];
    for (int i = 0; i < reps.length; i++) {
      for (int d = 0; d < draws; d++) {
        // Bounded so that a far draw of t with few degrees of freedom stays a finite number.
        double drawn = base * Math.exp(Math.max(-50, Math.min(50, sigma * spread(z, b.runs()))));
        changes[i * draws + d] = (reps[i] - drawn) / drawn * 100;
      }
    }
    Arrays.sort(changes);
    return new double[] {Bootstrap.percentile(changes, 100 * alpha / 2),
        Bootstrap.percentile(changes, 100 * (1 - alpha / 2))};
  }

  /** The error rate's status: a hard gate on its value, then the direction against the baseline. */
  private static Verdict errorRateVerdict(double current, double base, Thresholds t) {
    if (current > t.errorRateGate()) {
      return new Verdict(Status.REGRESSION, String.format(Locale.ROOT, "hard gate: error rate %s %% > %s %%",
          pct(current * 100), pct(t.errorRateGate() * 100)));
    }
    if (current > base) {
      return new Verdict(Status.WARN, "more errors than the baseline");
    }
    if (current < base) {
      return new Verdict(Status.IMPROVED, "fewer errors than the baseline");
    }
    return Verdict.OK;
  }

  /**
   * A timing or throughput's status from its change and the interval of the change: a regression only
   * when the better end of the interval is still beyond the limit, else noisy.
   */
  private static Verdict timingVerdict(Metric metric, double change, double ciLo, double ciHi, Thresholds t) {
    boolean lowerBetter = metric.direction() == Metric.Direction.LOWER_IS_BETTER;
    if (Double.isNaN(change)) {
      return new Verdict(lowerBetter ? Status.WARN : Status.IMPROVED, "the baseline value is 0");
    }
    double worse = lowerBetter ? change : -change;
    double worseSure = lowerBetter ? ciLo : -ciHi; // the better end of the interval
    double worseUnsure = lowerBetter ? ciHi : -ciLo;
    double limit = t.limitPct(metric);
    String rule = metric.isP95Latency() && t.p95GatePct() < t.regressionPct() ? "the p95 hard gate" : "the threshold";
    if (worse > limit && worseSure > limit) {
      return new Verdict(Status.REGRESSION, "worse by " + pct(worse) + " %, and by at least " + pct(worseSure)
          + " % at " + pct(t.confidence() * 100) + " % confidence: beyond " + rule + " of " + pct(limit) + " %");
    }
    if (worse > limit) {
      return new Verdict(Status.WARN_NOISY, "worse by " + pct(worse) + " % (beyond " + rule + " of " + pct(limit)
          + " %), but within the noise: the interval of the change reaches " + pct(worseSure) + " %");
    }
    if (worse > t.warnPct()) {
      return new Verdict(Status.WARN, "worse by " + pct(worse) + " % (warn band " + pct(t.warnPct()) + " to "
          + pct(limit) + " %)");
    }
    if (worse < -t.warnPct() && worseUnsure < 0) {
      return new Verdict(Status.IMPROVED, "better by " + pct(-worse) + " %");
    }
    return Verdict.OK;
  }

  /**
   * A regression that a client-bound run or another machine's baseline cannot support becomes a
   * warning. The error-rate gate stays hard: a failing server is a failing server, whatever the client
   * or the machine; every other regression is a timing, which a starved client or another machine moves.
   */
  private static Verdict notJudgedWhere(Verdict v, Metric metric, boolean clientBound, boolean otherHardware) {
    if (v.status() != Status.REGRESSION || metric == Metric.ERROR_RATE) {
      return v;
    }
    if (clientBound) {
      return new Verdict(Status.WARN_CLIENT_BOUND, "client-bound run, not judged: " + v.note());
    }
    if (otherHardware) {
      return new Verdict(Status.WARN_OTHER_HARDWARE, "baseline from other hardware, not judged: " + v.note());
    }
    return v;
  }

  /** One run's part in a new baseline: its metadata, metrics and requests. */
  public record Run(RunMetadata metadata, List<GroupMetrics> groups, List<RequestResult> requests,
      SortedMap<String, String> hardware, String commit) {}

  /**
   * A baseline from one or more runs of the same profile under the same conditions. Per group and
   * metric: the mean over the runs, their min, max and standard deviation, and the standard error
   * (the larger of run-to-run {@code sd / sqrt(k)} and the runs' bootstrap standard errors combined).
   *
   * @throws BaselineException {@code MISMATCH} when the runs differ in framework, profile, model, load
   *     parameters or hardware (the server's label included); {@code USAGE} when there is no run or no
   *     reason
   */
  public static Baseline create(List<Run> runs, String reason, Instant now, Thresholds t) throws BaselineException {
    if (runs.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.USAGE, "a baseline needs at least one run folder");
    }
    if (reason == null || reason.isBlank()) {
      throw new BaselineException(BaselineException.Kind.USAGE,
          "a baseline update needs a reason: --reason \"...\" (or -Dbaseline.reason=\"...\" on a run)");
    }
    Run first = runs.get(0);
    for (Run r : runs.subList(1, runs.size())) {
      checkPoolable(first, r);
    }
    TreeSet<String> groups = new TreeSet<>();
    runs.forEach(r -> r.groups().forEach(g -> groups.add(g.group())));
    List<BaselineRow> rows = new ArrayList<>();
    for (String group : groups) {
      rows.addAll(groupRows(group, runs, t));
    }
    RunMetadata fm = first.metadata();
    BaselineMetadata metadata = new BaselineMetadata(BaselineFiles.SCHEMA_VERSION, fm.framework(), fm.profile(),
        fm.model(), fm.backend(), loadParameters(fm), first.hardware(), first.commit(), now.toString(),
        reason.strip(), runs.stream().map(r -> r.metadata().runId()).toList(), t.replicates(), t.seed(), "");
    return new Baseline(metadata, rows);
  }

  /** Refuses a run that differs from the first in framework, profile, model, backend, load or hardware. */
  private static void checkPoolable(Run first, Run r) throws BaselineException {
    RunMetadata fm = first.metadata();
    List<String> diffs = new ArrayList<>();
    diff(diffs, "framework", fm.framework(), r.metadata().framework());
    diff(diffs, "profile", fm.profile(), r.metadata().profile());
    diff(diffs, "model", fm.model(), r.metadata().model());
    diff(diffs, "backend", fm.backend(), r.metadata().backend());
    diffEach(diffs, "", loadParameters(fm), loadParameters(r.metadata()));
    // A baseline records one hardware. The runs are read on this machine, so what can differ is the
    // server's label: runs of two servers, or labelled and not, cannot pool.
    int before = diffs.size();
    diffEach(diffs, "hardware ", first.hardware(), r.hardware());
    if (diffs.size() > before) {
      diffs.add("give every run of a baseline the same -Dserver.hardware");
    }
    if (!diffs.isEmpty()) {
      throw new BaselineException(BaselineException.Kind.MISMATCH, "run " + r.metadata().runId()
          + " cannot join a baseline with run " + fm.runId() + ": " + String.join("; ", diffs));
    }
  }

  /**
   * One group's rows: per metric, the mean over the runs, their min, max and standard deviation, and
   * the standard error (the larger of run-to-run {@code sd / sqrt(k)} and the runs' bootstrap errors combined).
   */
  private static List<BaselineRow> groupRows(String group, List<Run> runs, Thresholds t) throws BaselineException {
    List<double[]> perRun = new ArrayList<>(); // per run: value and bootstrap SE, per metric
    for (Run r : runs) {
      GroupMetrics g = r.groups().stream().filter(x -> x.group().equals(group)).findFirst().orElseThrow(
          () -> new BaselineException(BaselineException.Kind.MISMATCH, "run " + r.metadata().runId()
              + " has no group '" + group + "', which another run has"));
      List<RequestResult> rows0 = r.requests().stream().filter(q -> q.group().equals(group)).toList();
      Map<Metric, double[]> reps = Bootstrap.replicates(rows0, g.durationSeconds(), t.replicates(),
          t.seed() ^ group.hashCode(), ServingMetrics.slo(r.metadata()));
      double[] v = new double[Metric.values().length * 2];
      for (Metric m : Metric.values()) {
        v[2 * m.ordinal()] = m.of(g);
        v[2 * m.ordinal() + 1] = Bootstrap.standardError(reps.get(m));
      }
      perRun.add(v);
    }
    int k = perRun.size();
    // A pooling group (items scored in one answer) keeps its own metrics (Metric#appliesTo).
    boolean pooling = runs.stream().anyMatch(r -> r.groups().stream()
        .anyMatch(x -> x.group().equals(group) && x.pooling()));
    // The runs of a baseline share their load parameters, the objectives among them.
    boolean goodput = runs.stream().anyMatch(r -> r.groups().stream()
        .anyMatch(x -> x.group().equals(group) && x.hasGoodput()));
    List<BaselineRow> rows = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (!m.appliesTo(pooling, goodput)) {
        continue;
      }
      double[] values = perRun.stream().mapToDouble(v -> v[2 * m.ordinal()]).toArray();
      double seSquares = perRun.stream().mapToDouble(v -> v[2 * m.ordinal() + 1] * v[2 * m.ordinal() + 1]).sum();
      double mean = Arrays.stream(values).average().orElse(0);
      double sd = Bootstrap.standardError(values);
      double se = Math.max(sd / Math.sqrt(k), Math.sqrt(seSquares) / k);
      rows.add(new BaselineRow(group, m, mean, k, Arrays.stream(values).min().orElse(0),
          Arrays.stream(values).max().orElse(0), sd, se));
    }
    return rows;
  }

  /** {@link #diff} of every key either map has, in key order, each named with {@code prefix}. */
  private static void diffEach(List<String> diffs, String prefix, Map<String, String> baseline,
      Map<String, String> current) {
    for (String key : new TreeSet<>(union(baseline.keySet(), current.keySet()))) {
      diff(diffs, prefix + key, baseline.get(key), current.get(key));
    }
  }

  private static void diff(List<String> diffs, String key, String baseline, String current) {
    if (baseline == null ? current != null : !baseline.equals(current)) {
      diffs.add(key + " was " + show(baseline) + ", is " + show(current));
    }
  }

  private static String show(String v) {
    return v == null ? "(not set)" : "\"" + v + "\"";
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
