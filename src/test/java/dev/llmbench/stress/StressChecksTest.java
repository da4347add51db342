package dev.llmbench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.requests.RequestResult;
import dev.llmbench.telemetry.MetricsScraper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StressChecksTest {
  private static final long T0 = 1_700_000_000_000_000L; // µs since the epoch
  private static final StressThresholds T = StressThresholds.DEFAULTS;

  static RequestResult row(String group, boolean warmup, boolean ok, String error, int status, long sentMicros,
      long e2eMicros, int items, String hash, String answer) {
    return new RequestResult("r" + sentMicros, group, warmup, ok, error, status, sentMicros, 0, 10, 10, 0, 0, "usage",
        -1, e2eMicros, Double.NaN, new long[0], null, 0, 0, items, hash, answer);
  }

  static RequestResult ok(String group, long sentMicros, double latencyMs) {
    return row(group, false, true, null, 200, sentMicros, Math.round(latencyMs * 1000), 0, null, null);
  }

  static RequestResult failed(String group, long sentMicros, int status, String error) {
    return row(group, false, false, error, status, sentMicros, 1000, 0, null, null);
  }

  static RequestResult answer(String group, String hash, String answer) {
    return row(group, false, true, null, 200, T0, 1000, 2, hash, answer);
  }

  /** A sustained run: {@code perSec} requests a second for {@code minutes}, latency by minute since start. */
  static List<RequestResult> sustainedRun(double minutes, int perSec, DoubleUnaryOperator latencyMsAtMinute) {
    List<RequestResult> rows = new ArrayList<>();
    long step = 1_000_000L / perSec;
    for (long t = 0; t < minutes * 60e6; t += step) {
      rows.add(ok("sustained", T0 + t, latencyMsAtMinute.applyAsDouble(t / 60e6)));
    }
    return rows;
  }

  static StressCheck find(List<StressCheck> checks, String scenario, String check) {
    return checks.stream().filter(c -> c.scenario().equals(scenario) && c.check().equals(check)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + scenario + " / " + check + " in " + lines(checks)));
  }

  static String lines(List<StressCheck> checks) {
    return checks.stream().map(StressCheck::line).collect(Collectors.joining("\n"));
  }

  // ---------------------------------------------------------------------------------------------
  // sustained: drift

  @Test
  void flatLatencyPasses() {
    Random rnd = new Random(1);
    List<RequestResult> rows = sustainedRun(10, 2, m -> 200 + 5 * rnd.nextGaussian());
    List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
    for (String c : List.of("p50 drift", "p95 drift", "error rate", "error growth")) {
      assertEquals(StressVerdict.PASS, find(checks, "sustained", c).verdict(), lines(checks));
    }
    StressCheck p95 = find(checks, "sustained", "p95 drift");
    assertTrue(p95.line().startsWith("PASS     sustained  p95 drift: "), p95.line());
    assertTrue(p95.line().contains("(95 % CI "), p95.line());
    assertTrue(p95.line().endsWith("20 windows) <= 2 %/min"), p95.line());
    assertEquals(StressVerdict.SKIPPED, find(checks, "sustained", "memory growth").verdict());
    assertEquals(StressVerdict.SKIPPED, find(checks, "sustained", "KV-cache growth").verdict());
  }

  @Test
  void latencyGrowingTenPercentPerMinuteFailsWithTheSlopeNearTheTruth() {
    Random rnd = new Random(2);
    // 200 ms at the start, +10 % of that per minute: +20 ms/min.
    List<RequestResult> rows = sustainedRun(10, 2, m -> 200 * (1 + 0.10 * m) + 5 * rnd.nextGaussian());
    StressChecks.Drift d = StressChecks.drift(StressChecks.Windows.of(rows, 30), 50);
    assertEquals(20, d.fit().slope(), 1.0);
    assertEquals(20, d.windows());
    // The run's overall p50 is the latency at about minute 5 (300 ms): 20 / 300 = 6.7 %/min.
    assertEquals(100 * 20 / 300.0, d.pctPerMin(), 0.5);
    assertTrue(d.pctCi().low() > 2, "the CI is far above the bound: " + d.pctCi());

    List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
    StressCheck p50 = find(checks, "sustained", "p50 drift");
    assertEquals(StressVerdict.FAIL, p50.verdict(), p50.line());
    assertTrue(p50.line().matches("FAIL     sustained  p50 drift: \\+6\\.\\d\\d %/min \\(95 % CI .*\\), not <= 2 %/min"),
        p50.line());
    assertEquals(StressVerdict.FAIL, find(checks, "sustained", "p95 drift").verdict());
  }

  @Test
  void noiseAloneDoesNotFail() {
    // A flat 200 ms with the noise of a real server (lognormal, sigma 0.25: p95 about 1.5 x p50),
    // 10 minutes at 2 requests a second in 30 s windows, under 40 seeds.
    for (int seed = 1; seed <= 40; seed++) {
      Random rnd = new Random(seed);
      List<RequestResult> rows = sustainedRun(10, 2, m -> 200 * Math.exp(0.25 * rnd.nextGaussian()));
      List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
      assertEquals(StressVerdict.PASS, find(checks, "sustained", "p50 drift").verdict(), "seed " + seed);
      assertEquals(StressVerdict.PASS, find(checks, "sustained", "p95 drift").verdict(), "seed " + seed);
    }
  }

  @Test
  void heavyNoiseFailsOnlyAtTheIntervalsErrorRate() {
    // Heavy noise (lognormal, sigma 0.6) on a flat 200 ms, 3 minutes at 1 request a second in 15 s
    // windows: 12 windows of 15 requests, whose p95 is mostly noise. Their slopes often exceed the
    // bound; the CI rule fails a run only when its interval excludes 0, which for a flat truth happens
    // at the interval's one-sided error rate, 2.5 % (binomial: 400 checks give 10 +- 3).
    StressThresholds t = new StressThresholds(15, 2, 0.01, 50, 5, 1e-6, 1);
    int checks = 0;
    int aboveBound = 0;
    int failed = 0;
    for (int seed = 1; seed <= 200; seed++) {
      Random rnd = new Random(seed);
      List<RequestResult> rows = sustainedRun(3, 1, m -> 200 * Math.exp(0.6 * rnd.nextGaussian()));
      StressChecks.Windows w = StressChecks.Windows.of(rows, 15);
      List<StressCheck> result = StressChecks.sustained(rows, List.of(), t);
      for (int p : new int[] {50, 95}) {
        checks++;
        if (StressChecks.drift(w, p).pctPerMin() > 2) {
          aboveBound++;
        }
        if (find(result, "sustained", "p" + p + " drift").verdict() == StressVerdict.FAIL) {
          failed++;
        }
      }
    }
    assertTrue(aboveBound > 4 * failed, "estimates above the bound " + aboveBound + ", failed " + failed);
    assertTrue(failed <= 0.05 * checks, "failed " + failed + " of " + checks);
  }

  @Test
  void aSlopeAboveTheBoundThatNoiseExplainsPassesWithANote() {
    Random rnd = new Random(5); // this seed's p50 slope is about +4.5 %/min, its CI about -9..+18
    List<RequestResult> rows = sustainedRun(3, 1, m -> 200 * Math.exp(0.6 * rnd.nextGaussian()));
    StressThresholds t = new StressThresholds(15, 2, 0.01, 50, 5, 1e-6, 1);
    StressChecks.Drift d = StressChecks.drift(StressChecks.Windows.of(rows, 15), 50);
    assertTrue(d.pctPerMin() > 2 && d.pctCi().low() < 0, d.pctPerMin() + " " + d.pctCi());
    StressCheck p50 = find(StressChecks.sustained(rows, List.of(), t), "sustained", "p50 drift");
    assertEquals(StressVerdict.PASS, p50.verdict(), p50.line());
    assertTrue(p50.line().endsWith("<= 2 %/min -- above the bound, but the 95 % CI reaches 0: not told apart from"
        + " noise, not failed"), p50.line());
  }

  @Test
  void aShortRunIsSkippedWithAHintToRunLonger() {
    List<RequestResult> rows = sustainedRun(0.9, 2, m -> 200); // 54 s: 2 windows of 30 s
    List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
    StressCheck p50 = find(checks, "sustained", "p50 drift");
    assertEquals(StressVerdict.SKIPPED, p50.verdict());
    assertTrue(p50.note().contains("only 2 windows of 30 s"), p50.note());
    assertTrue(p50.note().contains("run longer: -Dstress.duration="), p50.note());
    assertEquals(StressVerdict.SKIPPED, find(checks, "sustained", "error growth").verdict());
    assertEquals(StressVerdict.PASS, find(checks, "sustained", "error rate").verdict());
  }

  @Test
  void allFailedSkipsDriftAndFailsTheErrorRate() {
    List<RequestResult> rows = new ArrayList<>();
    for (long t = 0; t < 300_000_000L; t += 1_000_000L) {
      rows.add(failed("sustained", T0 + t, 0, RequestResult.TIMEOUT_PREFIX + " 60 s"));
    }
    List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
    StressCheck p50 = find(checks, "sustained", "p50 drift");
    assertEquals(StressVerdict.SKIPPED, p50.verdict());
    assertTrue(p50.note().startsWith("no request succeeded"), p50.line());
    StressCheck errors = find(checks, "sustained", "error rate");
    assertEquals(StressVerdict.FAIL, errors.verdict());
    assertTrue(errors.note().startsWith("300 failed: 300 timed out; first: no complete answer within 60 s"), errors.line());
    assertEquals(StressVerdict.PASS, find(checks, "sustained", "error growth").verdict(), "all failed, not growing");
  }

  @Test
  void warmupRowsAreLeftOut() {
    List<RequestResult> rows = new ArrayList<>(sustainedRun(5, 1, m -> 200));
    for (int i = 0; i < 50; i++) {
      rows.add(row("sustained", true, false, "HTTP 500", 500, T0 - 1_000_000L * i, 9_000_000, 0, null, null));
    }
    List<StressCheck> checks = StressChecks.sustained(rows, List.of(), T);
    assertEquals("0.00 % (0 of 300 requests failed)", find(checks, "sustained", "error rate").measured());
  }

  @Test
  void nothingMeasuredFails() {
    List<StressCheck> checks = StressChecks.sustained(List.of(), List.of(), T);
    assertEquals(1, checks.size());
    assertEquals(StressVerdict.FAIL, checks.get(0).verdict());
    assertEquals(StressVerdict.FAIL, StressChecks.largeBatch(List.of(), T).get(0).verdict());
    assertEquals(StressVerdict.FAIL, StressChecks.concurrent(List.of(), T).get(0).verdict());
  }

  // ---------------------------------------------------------------------------------------------
  // sustained: errors

  @Test
  void growingErrorsFailAndSteadyRareErrorsPass() {
    // Errors rise from 0 % to about 20 % over 10 minutes.
    Random rnd = new Random(3);
    List<RequestResult> growing = new ArrayList<>();
    List<RequestResult> steady = new ArrayList<>();
    for (long t = 0; t < 600_000_000L; t += 250_000L) {
      double m = t / 60e6;
      growing.add(rnd.nextDouble() < 0.02 * m ? failed("sustained", T0 + t, 503, "HTTP 503") : ok("sustained", T0 + t, 200));
      steady.add(t % 100_000_000L == 0 ? failed("sustained", T0 + t, 0, "connection reset") : ok("sustained", T0 + t, 200));
    }
    List<StressCheck> g = StressChecks.sustained(growing, List.of(), T);
    StressCheck growth = find(g, "sustained", "error growth");
    assertEquals(StressVerdict.FAIL, growth.verdict(), growth.line());
    assertTrue(growth.measured().matches("\\+(1\\.[5-9]|2\\.[0-4])\\d* pts/min .*"), growth.line()); // truth: +2 pts/min
    assertEquals(StressVerdict.FAIL, find(g, "sustained", "error rate").verdict());
    assertTrue(find(g, "sustained", "error rate").note().contains("out of memory"), "503s count as OOM kind");

    List<StressCheck> s = StressChecks.sustained(steady, List.of(), T);
    assertEquals(StressVerdict.PASS, find(s, "sustained", "error rate").verdict(), lines(s)); // 6 of 2400
    assertEquals(StressVerdict.PASS, find(s, "sustained", "error growth").verdict(), lines(s));
  }

  // ---------------------------------------------------------------------------------------------
  // sustained: memory and KV cache

  /** Scrapes every 10 s of a 10-minute run; RSS and KV cache as functions of the minute. */
  static List<MetricsScraper.Scrape> scrapes(DoubleUnaryOperator rssMib, String kvName, DoubleUnaryOperator kv) {
    List<MetricsScraper.Scrape> s = new ArrayList<>();
    for (long ms = 0; ms <= 600_000; ms += 10_000) {
      double m = ms / 60_000.0;
      String page = "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
          + "# TYPE process_resident_memory_bytes gauge\n"
          + "process_resident_memory_bytes " + (long) (rssMib.applyAsDouble(m) * 1024 * 1024) + "\n"
          + (kvName == null ? "" : kvName + "{model_name=\"m\",engine=\"0\"} " + kv.applyAsDouble(m) + "\n"
              + kvName + "{model_name=\"m\",engine=\"1\"} 0.01\n");
      s.add(new MetricsScraper.Scrape(T0 / 1000 + ms, page, null));
    }
    s.add(new MetricsScraper.Scrape(T0 / 1000 - 60_000, "process_resident_memory_bytes 1e12\n", null)); // before the run
    return s;
  }

  @Test
  void memoryGrowthFailsAndFlatMemoryPasses() {
    List<RequestResult> rows = sustainedRun(10, 1, m -> 200);
    Random rnd = new Random(4);
    List<StressCheck> growing = StressChecks.sustained(rows,
        scrapes(m -> 2048 + 100 * m + 5 * rnd.nextGaussian(), "vllm:gpu_cache_usage_perc", m -> 0.2 + 0.1 * m), T);
    StressCheck mem = find(growing, "sustained", "memory growth");
    assertEquals(StressVerdict.FAIL, mem.verdict(), mem.line());
    // 61 scrapes from 0 to 600 s; the last is after the last request's end (599.2 s), so 60 count.
    assertTrue(mem.measured().matches("\\+(99|100)\\.\\d\\d MB/min \\(95 % CI .*process_resident_memory_bytes 20\\d\\d\\.\\d to"
        + " 30\\d\\d\\.\\d MB over 60 scrapes\\)"), mem.line());
    assertTrue(mem.line().endsWith(", not <= 50 MB/min"), mem.line());
    StressCheck kv = find(growing, "sustained", "KV-cache growth");
    assertEquals(StressVerdict.FAIL, kv.verdict(), kv.line());
    assertTrue(kv.measured().startsWith("+10.00 pts/min"), kv.line());
    assertTrue(kv.measured().contains("vllm:gpu_cache_usage_perc"), kv.line());

    List<StressCheck> flat = StressChecks.sustained(rows,
        scrapes(m -> 2048 + 5 * rnd.nextGaussian(), "sglang:token_usage", m -> 0.3), T);
    assertEquals(StressVerdict.PASS, find(flat, "sustained", "memory growth").verdict(), lines(flat));
    assertEquals(StressVerdict.PASS, find(flat, "sustained", "KV-cache growth").verdict(), lines(flat));
  }

  @Test
  void metricsChecksAreSkippedWithTheReason() {
    List<RequestResult> rows = sustainedRun(10, 1, m -> 200);
    StressCheck none = find(StressChecks.sustained(rows, List.of(), T), "sustained", "memory growth");
    assertEquals(StressVerdict.SKIPPED, none.verdict());
    assertTrue(none.note().contains("no /metrics scrapes"), none.line());

    List<MetricsScraper.Scrape> notFound = List.of(new MetricsScraper.Scrape(T0 / 1000 + 1000, null, "HTTP 404"),
        new MetricsScraper.Scrape(T0 / 1000 + 2000, null, "HTTP 404"));
    StressCheck nf = find(StressChecks.sustained(rows, notFound, T), "sustained", "KV-cache growth");
    assertEquals(StressVerdict.SKIPPED, nf.verdict());
    assertTrue(nf.note().contains("HTTP 404"), nf.line());

    List<StressCheck> noKv = StressChecks.sustained(rows, scrapes(m -> 2048, null, null), T);
    StressCheck kv = find(noKv, "sustained", "KV-cache growth");
    assertEquals(StressVerdict.SKIPPED, kv.verdict());
    assertTrue(kv.note().contains("has no vllm:kv_cache_usage_perc, vllm:gpu_cache_usage_perc"), kv.line());
    assertEquals(StressVerdict.PASS, find(noKv, "sustained", "memory growth").verdict());

    List<MetricsScraper.Scrape> two = scrapes(m -> 2048, null, null).subList(0, 2);
    StressCheck few = find(StressChecks.sustained(rows, two, T), "sustained", "memory growth");
    assertEquals(StressVerdict.SKIPPED, few.verdict());
    assertTrue(few.note().contains("run longer"), few.line());
  }

  // ---------------------------------------------------------------------------------------------
  // large batch

  @Test
  void outOfMemoryIsNamedWithTheRemedies() {
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(row("large-batch batch=50", false, true, null, 200, T0 + i, 1000, 50, null, null));
      rows.add(row("large-batch batch=200", false, i < 3, i < 3 ? null
          : "HTTP 500: {\"error\":{\"message\":\"RESOURCE_EXHAUSTED: Out of memory while trying to allocate 1 bytes\"}}",
          i < 3 ? 200 : 500, T0 + i, 1000, 200, null, null));
    }
    List<StressCheck> checks = StressChecks.largeBatch(rows, T);
    assertEquals(6, checks.size(), lines(checks));
    assertTrue(checks.subList(0, 3).stream().allMatch(c -> c.verdict() == StressVerdict.PASS), lines(checks));
    assertEquals("large-batch batch=50", checks.get(0).scenario(), "groups in the order they first appear");
    StressCheck oom = find(checks, "large-batch batch=200", "OOM");
    assertEquals(StressVerdict.FAIL, oom.verdict());
    assertEquals("2 of 5 requests out of memory", oom.measured());
    assertEquals("OOM at batch=200", find(StressChecks.largeBatch(rows.stream()
        .map(r -> row("large-batch", false, r.ok(), r.error(), r.httpStatus(), r.sentEpochMicros(), r.e2eMicros(),
            r.items(), null, null)).toList(), T), "large-batch", "OOM at batch=200").check());
    assertTrue(oom.note().startsWith("the server ran out of memory at batch=200 (HTTP 500: {\"error\""), oom.note());
    assertTrue(oom.line().endsWith("remedies: reduce the batch size (-Dstress.batch.sizes=...), use a smaller model"
        + " (-Dmodel=...), make sure no other process uses the device's memory"), oom.line());
    StressCheck success = find(checks, "large-batch batch=200", "failed requests");
    assertEquals(StressVerdict.FAIL, success.verdict());
    assertTrue(success.note().startsWith("2 failed: 2 out of memory; first: HTTP 500"), success.note());
    assertEquals(StressVerdict.PASS, find(checks, "large-batch batch=200", "wrong answers").verdict());
  }

  @Test
  void aBareServerErrorIsNamedAsLikelyOutOfMemory() {
    List<RequestResult> rows = List.of(
        row("large-batch batch=100", false, false, "HTTP 503", 503, T0, 1000, 0, null, null),
        row("large-batch batch=100", false, false, "out OF MEMORY", 0, T0, 1000, 0, null, null));
    StressCheck oom = find(StressChecks.largeBatch(rows, T), "large-batch batch=100", "OOM");
    assertEquals(StressVerdict.FAIL, oom.verdict());
    assertEquals("2 of 2 requests out of memory", oom.measured());
    assertTrue(oom.note().startsWith("the server ran out of memory"), "the row naming OOM is the example: " + oom.note());
    StressCheck bare = find(StressChecks.largeBatch(rows.subList(0, 1), T), "large-batch batch=100", "OOM");
    assertTrue(bare.note().startsWith("the server failed with HTTP 503 at batch=100, most likely out of memory"),
        bare.note());
  }

  @Test
  void aWrongShapeFails() {
    List<RequestResult> rows = List.of(
        row("large-batch batch=100", false, true, null, 200, T0, 1000, 100, null, null),
        row("large-batch batch=100", false, false, "wrong shape: 99 results for 100 items", 200, T0, 1000, 100, null, null),
        row("large-batch batch=100", false, false, "bad probabilities: item 3 has 1.5, not a probability", 200, T0, 1000,
            100, null, null),
        row("large-batch batch=100", false, false, RequestResult.TIMEOUT_PREFIX + " 60 s", 0, T0, 1000, 100, null, null));
    List<StressCheck> checks = StressChecks.largeBatch(rows, T);
    StressCheck shape = find(checks, "large-batch batch=100", "wrong answers");
    assertEquals(StressVerdict.FAIL, shape.verdict());
    assertEquals("FAIL     large-batch batch=100  wrong answers: 2 of 4, not = 0 -- first: wrong shape: 99 results"
        + " for 100 items", shape.line());
    assertEquals(StressVerdict.PASS, find(checks, "large-batch batch=100", "OOM").verdict());
    StressCheck success = find(checks, "large-batch batch=100", "failed requests");
    assertEquals("3 of 4", success.measured());
    assertTrue(success.note().startsWith("3 failed: 2 wrong answer, 1 timed out; first: wrong shape"), success.note());
  }

  // ---------------------------------------------------------------------------------------------
  // concurrent

  @Test
  void consistentScoresPassAndInconsistentOnesFail() {
    String g = "concurrent c=8 score";
    List<RequestResult> consistent = List.of(answer(g, "h1", "[[0.1,0.9],[0.5,0.5]]"),
        answer(g, "h1", "[[0.1000000001,0.9],[0.5,0.5]]"), answer(g, "h2", "[0.3]"), answer(g, "h2", "[0.3]"),
        answer(g, "h3", "[0.7]"));
    List<StressCheck> ok = StressChecks.concurrent(consistent, T);
    assertEquals(StressVerdict.PASS, find(ok, g, "error rate").verdict());
    StressCheck pass = find(ok, g, "score consistency");
    assertEquals(StressVerdict.PASS, pass.verdict(), pass.line());
    assertEquals("max |difference| 1.00e-10 over 2 inputs asked 2+ times (4 answers)", pass.measured());
    assertEquals("<= 0.000001", pass.bound());

    List<RequestResult> inconsistent = List.of(answer(g, "h1", "[[0.1,0.9],[0.5,0.5]]"),
        answer(g, "h1", "[[0.1,0.9],[0.501,0.499]]"), answer(g, "h2", "[0.3]"), answer(g, "h2", "[0.3, 0.1]"));
    StressCheck fail = find(StressChecks.concurrent(inconsistent, T), g, "score consistency");
    assertEquals(StressVerdict.FAIL, fail.verdict(), fail.line());
    assertTrue(fail.measured().startsWith("max |difference| inf (answers of different shape)"), fail.line());
    // Where they differ most, not where they begin alike.
    assertEquals("2 of 2 inputs got different scores; e.g. input h1: at [1][0]: 0.5 vs 0.501", fail.note());

    StressThresholds loose = new StressThresholds(30, 2, 0.01, 50, 5, 0.01, 1);
    assertEquals(StressVerdict.PASS,
        find(StressChecks.concurrent(inconsistent.subList(0, 2), loose), g, "score consistency").verdict());
  }

  @Test
  void maxAbsDiffComparesShapes() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(0.25, StressChecks.maxAbsDiff(m.readTree("{\"a\":[1,2],\"b\":0.5}"), m.readTree("{\"b\":0.75,\"a\":[1,2]}")));
    assertEquals(Double.POSITIVE_INFINITY, StressChecks.maxAbsDiff(m.readTree("{\"a\":1}"), m.readTree("{\"b\":1}")));
    assertEquals(Double.POSITIVE_INFINITY, StressChecks.maxAbsDiff(m.readTree("[1]"), m.readTree("[[1]]")));
    assertEquals(0, StressChecks.maxAbsDiff(m.readTree("[1, \"x\"]"), m.readTree("[1.0, \"x\"]")));
  }

  @Test
  void agreementRateOfCompletions() {
    String g = "concurrent c=4 generate";
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(answer(g, "a", "\"Paris is the capital.\""));
      rows.add(answer(g, "b", i == 2 ? "\"Berlin, maybe.\"" : "\"Berlin.\""));
      rows.add(answer(g, "c", "\"42\""));
    }
    rows.add(answer(g, "single", "\"asked once: not compared\""));
    StressCheck c = find(StressChecks.concurrent(rows, T), g, "answer agreement");
    assertEquals(StressVerdict.FAIL, c.verdict(), c.line());
    assertEquals("91.67 % (11 of 12 answers equal their input's most common answer; 3 inputs asked 2+ times)",
        c.measured());
    assertEquals(">= 100 %", c.bound());
    assertEquals("e.g. input b got 2 different answers among 4, diverging at character 6: \".\" vs \", maybe.\"",
        c.note());

    StressThresholds lenient = new StressThresholds(30, 2, 0.01, 50, 5, 1e-6, 0.9);
    assertEquals(StressVerdict.PASS, find(StressChecks.concurrent(rows, lenient), g, "answer agreement").verdict());
  }

  @Test
  void consistencyIsSkippedWithoutAnswersAndErrorsAreCounted() {
    String g = "concurrent c=16 score";
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < 97; i++) {
      rows.add(ok(g, T0 + i, 100));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(failed(g, T0 + i, 0, "connection refused"));
    }
    List<StressCheck> checks = StressChecks.concurrent(rows, T);
    StressCheck errors = find(checks, g, "error rate");
    assertEquals(StressVerdict.FAIL, errors.verdict());
    assertEquals("FAIL     concurrent c=16 score  error rate: 3.00 % (3 of 100 requests failed), not <= 1 % -- 3 failed:"
        + " 3 connection failure; first: connection refused", errors.line());
    StressCheck consistency = find(checks, g, "consistency");
    assertEquals(StressVerdict.SKIPPED, consistency.verdict());
    assertTrue(consistency.note().contains("no answers were kept"), consistency.line());

    StressCheck once = find(StressChecks.concurrent(List.of(answer(g, "x", "[1]"), answer(g, "y", "[2]")), T), g,
        "score consistency");
    assertEquals(StressVerdict.SKIPPED, once.verdict());
    assertTrue(once.note().startsWith("no input was asked more than once"), once.line());
  }
}
