package dev.llmbench.report.baseline;

import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.requests.RequestResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run made up from a seeded {@link Random}: requests of one group with a TTFT and token gaps that
 * vary by a given fraction around their means, all scaled by a factor (a slower or faster server).
 * Requests run one after another, so the duration (and every throughput) scales with the latencies.
 */
record SyntheticRun(String runId, int requests, int outputTokens, long ttftMicros, long gapMicros, double jitter,
    double scale, int failed, long seed, Map<String, String> parameters, String model,
    SortedMap<String, String> hardware) {

  static final String GROUP = "smoke";
  static final String FRAMEWORK = "synthetic";
  static final String PROFILE = "smoke";

  /** A calm run: many requests, little jitter. */
  static SyntheticRun calm(long seed) {
    return new SyntheticRun("run-" + seed, 200, 32, 40_000, 5_000, 0.02, 1.0, 0, seed, Map.of("seed", "1",
        "numPrompts", "200"), "model-a", new TreeMap<>(Map.of("cpu", "cpu-a", "cores", "2", "gpu", "none")));
  }

  SyntheticRun scaled(double factor) {
    return new SyntheticRun(runId + "-x" + factor, requests, outputTokens, ttftMicros, gapMicros, jitter, factor,
        failed, seed + 1000, parameters, model, hardware);
  }

  SyntheticRun withJitter(double j, int n) {
    return new SyntheticRun(runId, n, outputTokens, ttftMicros, gapMicros, j, scale, failed, seed, parameters, model,
        hardware);
  }

  SyntheticRun withRunId(String id) {
    return new SyntheticRun(id, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, failed, seed, parameters,
        model, hardware);
  }

  SyntheticRun withFailed(int f) {
    return new SyntheticRun(runId, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, f, seed, parameters,
        model, hardware);
  }

  SyntheticRun withParameter(String key, String value) {
    Map<String, String> p = new TreeMap<>(parameters);
    p.put(key, value);
    return new SyntheticRun(runId, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, failed, seed, p, model,
        hardware);
  }

  SyntheticRun withModel(String m) {
    return new SyntheticRun(runId, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, failed, seed,
        parameters, m, hardware);
  }

  SyntheticRun withHardware(String key, String value) {
    SortedMap<String, String> h = new TreeMap<>(hardware);
    h.put(key, value);
    return new SyntheticRun(runId, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, failed, seed,
        parameters, model, h);
  }

  SyntheticRun withHardware(SortedMap<String, String> h) {
    return new SyntheticRun(runId, requests, outputTokens, ttftMicros, gapMicros, jitter, scale, failed, seed,
        parameters, model, new TreeMap<>(h));
  }

  List<RequestResult> results() {
    Random random = new Random(seed);
    List<RequestResult> out = new ArrayList<>();
    long sent = 1_000_000_000L;
    for (int i = 0; i < requests; i++) {
      long ttft = vary(ttftMicros, random);
      long[] gaps = new long[outputTokens - 1];
      long e2e = ttft;
      for (int k = 0; k < gaps.length; k++) {
        gaps[k] = vary(gapMicros, random);
        e2e += gaps[k];
      }
      boolean ok = i >= failed;
      double tpot = (double) (e2e - ttft) / (outputTokens - 1);
      out.add(new RequestResult("r-" + i, GROUP, false, ok, ok ? null : "HTTP 500", ok ? 200 : 500,
          1_700_000_000_000_000L + sent / 1_000, sent, 128, 128, outputTokens, ok ? outputTokens : 0, "usage",
          ok ? ttft : -1, e2e, ok ? tpot : Double.NaN, ok ? gaps : new long[0], null));
      sent += e2e * 1_000;
    }
    return out;
  }

  private long vary(long mean, Random random) {
    double v = mean * scale * (1 + jitter * random.nextGaussian());
    return Math.max(1, Math.round(v));
  }

  RunMetadata metadata() {
    return RunMetadata.of(runId, "2026-01-01T00:00:00Z", PROFILE, FRAMEWORK, "openai-chat", model,
        "http://127.0.0.1:1", "", parameters);
  }

  RunSummary summary() {
    return ServingMetrics.summarize(metadata(), results());
  }

  CurrentRun current() {
    return new CurrentRun(summary(), results(), hardware, "commit-b", Path.of("target", "gatling", runId), List.of());
  }

  Baselines.Run baselineRun() {
    return new Baselines.Run(metadata(), summary().groups(), results(), hardware, "commit-a");
  }

  static Baseline baselineOf(Thresholds t, SyntheticRun... runs) throws BaselineException {
    List<Baselines.Run> list = new ArrayList<>();
    for (SyntheticRun r : runs) {
      list.add(r.baselineRun());
    }
    return Baselines.create(list, "test baseline", Instant.parse("2026-01-02T00:00:00Z"), t);
  }
}
