package dev.llmbench.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmbench.io.PlainNumbers;
import dev.llmbench.metrics.LinearFit;
import dev.llmbench.report.stats.Numpy;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.telemetry.MetricsScraper;
import dev.llmbench.telemetry.PrometheusText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The stress scenarios' checks, each a pure function of a run's request rows (the per-request side
 * file's {@link RequestResult}s; warm-up rows are left out) and, for the sustained scenario, the
 * server's {@code /metrics} scrapes. Rows are judged per Gatling group (in the order the groups first
 * appear), e.g. {@code large-batch batch=200} or {@code concurrent c=8 score}; a row without a group
 * counts under the scenario's name.
 *
 * <h2>Growth checks and noise</h2>
 *
 * The sustained scenario's latency drift, error growth, memory growth and KV-cache growth are slopes of
 * an ordinary least-squares line against time in minutes ({@link LinearFit}), each with its 95 %
 * confidence interval (Student t, n - 2 degrees of freedom). <b>A slope check fails only when the
 * point estimate exceeds its bound and the interval's lower end is above 0</b>: the growth is too
 * large and it is real, not noise. A slope above its bound whose interval reaches 0 passes, and its
 * line says so; a run too short or too noisy to tell is better run longer than failed at random.
 *
 * <h2>Latency drift</h2>
 *
 * The run is cut into windows of {@code stress.window.sec} seconds by request send time; per window,
 * the p50 and p95 of the successful requests' end-to-end latency ({@code np.percentile}, method
 * linear: {@link Numpy#percentile}) are fitted against the mean send time of its requests. The slope
 * in ms/min is judged in percent of the run's overall p50 (resp. p95) per minute. Fewer than 3
 * windows: skipped, with a hint to run longer.
 */
public final class StressChecks {
  private StressChecks() {}

  /** What to do about a server running out of memory, from the scoring runbook. */
  public static final String OOM_REMEDIES = "reduce the batch size (-Dstress.batch.sizes=...), use a smaller model"
      + " (-Dmodel=...), make sure no other process uses the device's memory";

  /** The resident memory metric of a server process (Prometheus' client libraries all export it). */
  public static final String RSS_METRIC = "process_resident_memory_bytes";

  /** KV-cache usage as servers name it, each a 0..1 ratio; the first present is used. */
  public static final List<String> KV_METRICS = List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc",
      "sglang:token_usage", "llamacpp:kv_cache_usage_ratio");

  /** How a wrong answer's error starts (the pooling answer checks). */
  public static final List<String> WRONG_ANSWER_PREFIXES = List.of("wrong shape: ", "bad probabilities: ");

  private static final String RUN_LONGER = "run longer: -Dstress.duration=...";
  private static final double MIB = 1024.0 * 1024.0;
  private static final Pattern BATCH = Pattern.compile("batch=(\\d+)");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Whether a failed request's answer says the server ran out of memory: HTTP 5xx, or RESOURCE_EXHAUSTED / out of memory. */
  public static boolean isOom(RequestResult r) {
    if (r.ok()) {
      return false;
    }
    return (r.httpStatus() >= 500 && r.httpStatus() <= 599) || namesOom(r.error());
  }

  private static boolean namesOom(String error) {
    if (error == null) {
      return false;
    }
    String e = error.toLowerCase(Locale.ROOT);
    return e.contains("resource_exhausted") || e.contains("out of memory");
  }

  /** Whether a request failed because its answer had the wrong shape or bad probabilities. */
  public static boolean isWrongAnswer(RequestResult r) {
    return !r.ok() && r.error() != null && WRONG_ANSWER_PREFIXES.stream().anyMatch(r.error()::startsWith);
  }

  // ---------------------------------------------------------------------------------------------
  // large-batch

  /**
   * Per group of the large-batch scenario: {@code failed requests} (every request answered within its
   * timeout; the note breaks failures down by kind), {@code wrong answers} (no answer with a wrong shape
   * or bad probabilities) and {@code OOM} (no out-of-memory answer: HTTP 5xx, or an error naming
   * RESOURCE_EXHAUSTED or out of memory; one is named as such, with the runbook's remedies). The check
   * is {@code OOM at batch=N} when the group's name does not say the batch size.
   */
  public static List<StressCheck> largeBatch(List<RequestResult> rows, StressThresholds t) {
    List<StressCheck> checks = new ArrayList<>();
    Map<String, List<RequestResult>> groups = byGroup(rows, "large-batch");
    if (groups.isEmpty()) {
      return List.of(noRequests("large-batch"));
    }
    for (Map.Entry<String, List<RequestResult>> g : groups.entrySet()) {
      String scenario = g.getKey();
      List<RequestResult> rs = g.getValue();
      int n = rs.size();
      long ok = rs.stream().filter(RequestResult::ok).count();
      checks.add(new StressCheck(scenario, "failed requests", (n - ok) + " of " + n, "= 0",
          ok == n ? StressVerdict.PASS : StressVerdict.FAIL, ok == n ? "" : failures(rs)));

      List<RequestResult> wrong = rs.stream().filter(StressChecks::isWrongAnswer).toList();
      checks.add(new StressCheck(scenario, "wrong answers", wrong.size() + " of " + n, "= 0",
          wrong.isEmpty() ? StressVerdict.PASS : StressVerdict.FAIL,
          wrong.isEmpty() ? "" : "first: " + abbreviate(wrong.get(0).error(), 160)));

      List<RequestResult> oom = rs.stream().filter(StressChecks::isOom).toList();
      String batch = batchSize(scenario, rs).map(b -> " at batch=" + b).orElse("");
      String note = "";
      if (!oom.isEmpty()) {
        RequestResult first = oom.stream().filter(r -> namesOom(r.error())).findFirst().orElse(oom.get(0));
        String what = namesOom(first.error())
            ? "the server ran out of memory" + batch
            : "the server failed with HTTP " + first.httpStatus() + batch + ", most likely out of memory";
        note = what + " (" + abbreviate(first.error() == null ? "HTTP " + first.httpStatus() : first.error(), 160)
            + "); remedies: " + OOM_REMEDIES;
      }
      // "OOM at batch=200" as the runbook says it, unless the group's name says the batch already
      String check = scenario.contains("batch=") ? "OOM" : "OOM" + batch;
      checks.add(new StressCheck(scenario, check, oom.size() + " of " + n + " requests out of memory", "= 0",
          oom.isEmpty() ? StressVerdict.PASS : StressVerdict.FAIL, note));
    }
    return checks;
  }

  /** The batch size: the items of the group's requests, else {@code batch=N} in its name. */
  private static Optional<Integer> batchSize(String group, List<RequestResult> rows) {
    int items = rows.stream().mapToInt(RequestResult::items).max().orElse(0);
    if (items > 0) {
      return Optional.of(items);
    }
    Matcher m = BATCH.matcher(group);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  // ---------------------------------------------------------------------------------------------
  // concurrent

  /**
   * Per group of the concurrent scenario: {@code errors} (error rate within
   * {@code stress.error.rate.max}) and consistency of the answers to identical inputs (the same
   * {@code inputHash}), judged on successful requests whose answer was kept and whose input was asked
   * more than once:
   *
   * <ul>
   *   <li>{@code score consistency} for answers that are JSON numbers or arrays or objects of them
   *       (possibly nested): the largest absolute difference between two answers to one input must be
   *       at most {@code stress.score.tolerance}; answers of different shape differ infinitely;
   *   <li>{@code answer agreement} for answers that are JSON strings (completions): the fraction of
   *       answers equal to the most common answer to their input must be at least
   *       {@code stress.generate.min.agreement}.
   * </ul>
   *
   * Consistency is skipped, with the reason, when no answer was kept or no input was asked twice.
   */
  public static List<StressCheck> concurrent(List<RequestResult> rows, StressThresholds t) {
    List<StressCheck> checks = new ArrayList<>();
    Map<String, List<RequestResult>> groups = byGroup(rows, "concurrent");
    if (groups.isEmpty()) {
      return List.of(noRequests("concurrent"));
    }
    for (Map.Entry<String, List<RequestResult>> g : groups.entrySet()) {
      String scenario = g.getKey();
      List<RequestResult> rs = g.getValue();
      checks.add(errorRate(scenario, rs, t));

      Map<String, List<JsonNode>> scores = new LinkedHashMap<>();
      Map<String, List<JsonNode>> texts = new LinkedHashMap<>();
      for (RequestResult r : rs) {
        if (r.ok() && r.inputHash() != null && r.answer() != null) {
          JsonNode answer = parseAnswer(r.answer());
          (answer.isTextual() ? texts : scores).computeIfAbsent(r.inputHash(), k -> new ArrayList<>()).add(answer);
        }
      }
      if (scores.isEmpty() && texts.isEmpty()) {
        checks.add(StressCheck.skipped(scenario, "consistency", "no answers were kept to compare (the requests must"
            + " keep their inputHash and answer)"));
        continue;
      }
      if (!scores.isEmpty()) {
        checks.add(scoreConsistency(scenario, scores, t.scoreTolerance()));
      }
      if (!texts.isEmpty()) {
        checks.add(answerAgreement(scenario, texts, t.generateMinAgreement()));
      }
    }
    return checks;
  }

  /** An answer as JSON; one that is not JSON is taken as a string, compared as it is. */
  private static JsonNode parseAnswer(String answer) {
    try {
      JsonNode n = MAPPER.readTree(answer);
      return n == null || n.isMissingNode() ? TextNode.valueOf(answer) : n;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(answer);
    }
  }

  private static StressCheck scoreConsistency(String scenario, Map<String, List<JsonNode>> byInput, double tol) {
    int inputs = 0;
    int answers = 0;
    int differing = 0;
    double max = 0;
    String example = null;
    for (Map.Entry<String, List<JsonNode>> e : byInput.entrySet()) {
      List<JsonNode> as = e.getValue();
      if (as.size() < 2) {
        continue;
      }
      inputs++;
      answers += as.size();
      double worst = 0;
      JsonNode worstAnswer = null;
      for (JsonNode a : as.subList(1, as.size())) {
        double d = maxAbsDiff(as.get(0), a);
        if (!(d <= worst)) {
          worst = d;
          worstAnswer = a;
        }
      }
      if (worst > tol) {
        differing++;
        if (example == null) {
          // Where they differ most, not their common beginning.
          example = "input " + abbreviate(e.getKey(), 16) + ": " + largestDifference(as.get(0), worstAnswer, "");
        }
      }
      max = Math.max(max, worst);
    }
    if (inputs == 0) {
      return StressCheck.skipped(scenario, "score consistency", "no input was asked more than once: nothing to"
          + " compare (" + byInput.size() + " inputs)");
    }
    String measured = "max |difference| " + sci(max) + " over " + inputs + " input" + (inputs == 1 ? "" : "s")
        + " asked 2+ times (" + answers + " answers)";
    boolean pass = max <= tol;
    return new StressCheck(scenario, "score consistency", measured, "<= " + PlainNumbers.plain(tol),
        pass ? StressVerdict.PASS : StressVerdict.FAIL,
        pass ? "" : differing + " of " + inputs + " inputs got different scores; e.g. " + example);
  }

  /**
   * The largest absolute difference between the numbers of two JSON values of the same shape;
   * +∞ when their shapes differ or a non-number differs.
   */
  static double maxAbsDiff(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      double x = a.asDouble();
      double y = b.asDouble();
      return x == y ? 0 : Math.abs(x - y);
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return Double.POSITIVE_INFINITY;
      }
      double max = 0;
      for (int i = 0; i < a.size(); i++) {
        max = Math.max(max, maxAbsDiff(a.get(i), b.get(i)));
      }
      return max;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return Double.POSITIVE_INFINITY;
      }
      double max = 0;
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!b.has(f)) {
          return Double.POSITIVE_INFINITY;
        }
        max = Math.max(max, maxAbsDiff(a.get(f), b.get(f)));
      }
      return max;
    }
    return a.equals(b) ? 0 : Double.POSITIVE_INFINITY;
  }

  private static StressCheck answerAgreement(String scenario, Map<String, List<JsonNode>> byInput, double min) {
    int inputs = 0;
    int answers = 0;
    int agreeing = 0;
    String example = null;
    for (Map.Entry<String, List<JsonNode>> e : byInput.entrySet()) {
      List<JsonNode> as = e.getValue();
      if (as.size() < 2) {
        continue;
      }
      inputs++;
      answers += as.size();
      Map<String, Integer> counts = new HashMap<>();
      for (JsonNode a : as) {
        counts.merge(a.asText(), 1, Integer::sum);
      }
      int mode = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      agreeing += mode;
      if (counts.size() > 1 && example == null) {
        List<String> two = counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(2).map(Map.Entry::getKey).toList();
        example = "input " + abbreviate(e.getKey(), 16) + " got " + counts.size() + " different answers among "
            + as.size() + ", " + divergence(two.get(0), two.get(1));
      }
    }
    if (inputs == 0) {
      return StressCheck.skipped(scenario, "answer agreement", "no input was asked more than once: nothing to"
          + " compare (" + byInput.size() + " inputs)");
    }
    double rate = (double) agreeing / answers;
    String measured = String.format(Locale.ROOT, "%.2f %% (%d of %d answers equal their input's most common answer;"
        + " %d input%s asked 2+ times)", 100 * rate, agreeing, answers, inputs, inputs == 1 ? "" : "s");
    boolean pass = rate >= min;
    return new StressCheck(scenario, "answer agreement", measured, ">= " + PlainNumbers.plain(100 * min) + " %",
        pass ? StressVerdict.PASS : StressVerdict.FAIL, pass || example == null ? "" : "e.g. " + example);
  }

  // ---------------------------------------------------------------------------------------------
  // sustained

  /**
   * The sustained scenario: per group {@code p50 drift}, {@code p95 drift}, {@code error rate} and
   * {@code error growth}; once for the run {@code memory growth} ({@value #RSS_METRIC}, MB = MiB per
   * minute) and {@code KV-cache growth} (the first of {@link #KV_METRICS} present, in percentage points
   * per minute) from the scrapes taken between the first request's send and the last one's end.
   *
   * <p>Error growth is the slope of the per-window error rate in percentage points per minute; its
   * bound is {@code stress.error.rate.max} spread over the run (the errors may not grow by more than
   * the whole allowed error rate from the first window to the last). Memory and KV-cache checks are
   * skipped, with the reason, when there are no scrapes, the server has no {@code /metrics}, or its page
   * lacks the metric. See the class comment for when a slope check fails.
   */
  public static List<StressCheck> sustained(List<RequestResult> rows, List<MetricsScraper.Scrape> scrapes,
      StressThresholds t) {
    Map<String, List<RequestResult>> groups = byGroup(rows, "sustained");
    if (groups.isEmpty()) {
      return List.of(noRequests("sustained"));
    }
    List<StressCheck> checks = new ArrayList<>();
    for (Map.Entry<String, List<RequestResult>> g : groups.entrySet()) {
      String scenario = g.getKey();
      List<RequestResult> rs = g.getValue();
      Windows w = Windows.of(rs, t.windowSec());
      checks.add(drift(scenario, "p50", w, 50, t));
      checks.add(drift(scenario, "p95", w, 95, t));
      checks.add(errorRate(scenario, rs, t));
      checks.add(errorGrowth(scenario, w, t));
    }
    String runScenario = groups.size() == 1 ? groups.keySet().iterator().next() : "sustained";
    List<RequestResult> all = groups.values().stream().flatMap(List::stream).toList();
    long fromMillis = all.stream().mapToLong(RequestResult::sentEpochMicros).min().getAsLong() / 1000;
    long toMillis = all.stream().mapToLong(r -> r.sentEpochMicros() + Math.max(0, r.e2eMicros())).max().getAsLong()
        / 1000;
    List<MetricsScraper.Scrape> during = scrapes.stream()
        .filter(s -> s.epochMillis() >= fromMillis && s.epochMillis() <= toMillis).toList();
    checks.add(metricGrowth(runScenario, "memory growth", scrapes, during, fromMillis, List.of(RSS_METRIC),
        v -> v / MIB, "MB/min", t.memoryMaxMbPerMin()));
    checks.add(metricGrowth(runScenario, "KV-cache growth", scrapes, during, fromMillis, KV_METRICS, v -> 100 * v,
        "pts/min", t.kvMaxPtsPerMin()));
    return checks;
  }

  /** A sustained run cut into windows of send time; only windows with requests are kept, in time order. */
  record Windows(int windowSec, List<Window> windows, List<Double> okLatenciesMs) {
    static Windows of(List<RequestResult> rows, int windowSec) {
      long t0 = rows.stream().mapToLong(RequestResult::sentEpochMicros).min().orElse(0);
      long width = windowSec * 1_000_000L;
      TreeMap<Long, List<RequestResult>> byIndex = new TreeMap<>();
      for (RequestResult r : rows) {
        byIndex.computeIfAbsent((r.sentEpochMicros() - t0) / width, k -> new ArrayList<>()).add(r);
      }
      List<Window> windows = new ArrayList<>();
      for (List<RequestResult> rs : byIndex.values()) {
        windows.add(Window.of(rs, t0));
      }
      List<Double> ok = rows.stream().filter(RequestResult::ok).map(r -> r.e2eMicros() / 1000.0).toList();
      return new Windows(windowSec, windows, ok);
    }

    /** The windows with a successful request. */
    List<Window> withLatency() {
      return windows.stream().filter(w -> w.okLatenciesMs.length > 0).toList();
    }
  }

  /**
   * One window.
   *
   * @param minutes the mean send time of its requests, minutes after the run's first send
   * @param okMinutes the same over its successful requests (NaN when none)
   * @param okLatenciesMs its successful requests' end-to-end latencies, ascending
   */
  record Window(double minutes, double okMinutes, int requests, int failed, double[] okLatenciesMs) {
    static Window of(List<RequestResult> rs, long t0) {
      double sum = 0;
      double okSum = 0;
      int failed = 0;
      List<Double> ok = new ArrayList<>();
      for (RequestResult r : rs) {
        double m = (r.sentEpochMicros() - t0) / 60e6;
        sum += m;
        if (r.ok()) {
          okSum += m;
          ok.add(r.e2eMicros() / 1000.0);
        } else {
          failed++;
        }
      }
      double[] lat = ok.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Window(sum / rs.size(), lat.length == 0 ? Double.NaN : okSum / lat.length, rs.size(), failed, lat);
    }
  }

  /** A latency percentile's drift: its fit in ms/min and the run's overall value in ms. */
  record Drift(LinearFit fit, double overallMs, int windows) {
    double pctPerMin() {
      return 100 * fit.slope() / overallMs;
    }

    LinearFit.Interval pctCi() {
      LinearFit.Interval ci = fit.ci95();
      return new LinearFit.Interval(100 * ci.low() / overallMs, 100 * ci.high() / overallMs);
    }
  }

  /** The drift of percentile {@code p} over the windows that have a successful request. */
  static Drift drift(Windows w, double p) {
    List<Window> ws = w.withLatency();
    double[] x = ws.stream().mapToDouble(Window::okMinutes).toArray();
    double[] y = ws.stream().mapToDouble(win -> Numpy.percentile(win.okLatenciesMs(), p)).toArray();
    double[] all = w.okLatenciesMs().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Drift(LinearFit.of(x, y), Numpy.percentile(all, p), ws.size());
  }

  private static StressCheck drift(String scenario, String name, Windows w, double p, StressThresholds t) {
    String check = name + " drift";
    if (w.okLatenciesMs().isEmpty()) {
      return StressCheck.skipped(scenario, check, "no request succeeded: no latency to fit (see the error rate)");
    }
    List<Window> ws = w.withLatency();
    if (ws.size() < 3) {
      return StressCheck.skipped(scenario, check, tooFewWindows(ws.size(), w.windowSec()));
    }
    Drift d = drift(w, p);
    if (!(d.overallMs() > 0) || Double.isNaN(d.fit().slope())) {
      return StressCheck.skipped(scenario, check, "no latency to judge (overall " + name + " is 0 ms)");
    }
    LinearFit.Interval ci = d.pctCi();
    String measured = String.format(Locale.ROOT, "%+.2f %%/min (95 %% CI %+.2f..%+.2f; %+.1f ms/min on a %s of %.0f ms,"
        + " %d windows)", d.pctPerMin(), ci.low(), ci.high(), d.fit().slope(), name, d.overallMs(), d.windows());
    return slopeCheck(scenario, check, measured, "<= " + PlainNumbers.plain(t.driftMaxPctPerMin()) + " %/min",
        d.pctPerMin(), ci, t.driftMaxPctPerMin());
  }

  /** Fails only when the slope is above its bound and its CI's lower end above 0 (the class comment). */
  private static StressCheck slopeCheck(String scenario, String check, String measured, String bound, double slope,
      LinearFit.Interval ci, double max) {
    if (slope > max && ci.low() > 0) {
      return new StressCheck(scenario, check, measured, bound, StressVerdict.FAIL, "");
    }
    String note = slope > max ? "above the bound, but the 95 % CI reaches 0: not told apart from noise, not failed"
        : "";
    return new StressCheck(scenario, check, measured, bound, StressVerdict.PASS, note);
  }

  private static String tooFewWindows(int windows, int windowSec) {
    return "only " + windows + " window" + (windows == 1 ? "" : "s") + " of " + windowSec + " s with requests, 3"
        + " needed for a slope: " + RUN_LONGER + " (or a smaller -Dstress.window.sec)";
  }

  private static StressCheck errorRate(String scenario, List<RequestResult> rs, StressThresholds t) {
    int n = rs.size();
    long failed = rs.stream().filter(r -> !r.ok()).count();
    double rate = (double) failed / n;
    boolean pass = rate <= t.errorRateMax();
    return new StressCheck(scenario, "error rate",
        String.format(Locale.ROOT, "%.2f %% (%d of %d requests failed)", 100 * rate, failed, n),
        "<= " + PlainNumbers.plain(100 * t.errorRateMax()) + " %", pass ? StressVerdict.PASS : StressVerdict.FAIL,
        pass ? "" : failures(rs));
  }

  private static StressCheck errorGrowth(String scenario, Windows w, StressThresholds t) {
    List<Window> ws = w.windows();
    if (ws.size() < 3) {
      return StressCheck.skipped(scenario, "error growth", tooFewWindows(ws.size(), w.windowSec()));
    }
    double[] x = ws.stream().mapToDouble(Window::minutes).toArray();
    double[] y = ws.stream().mapToDouble(win -> 100.0 * win.failed() / win.requests()).toArray();
    LinearFit fit = LinearFit.of(x, y);
    double span = x[x.length - 1] - x[0];
    if (!(span > 0) || Double.isNaN(fit.slope())) {
      return StressCheck.skipped(scenario, "error growth", "the windows span no time: " + RUN_LONGER);
    }
    double max = 100 * t.errorRateMax() / span;
    LinearFit.Interval ci = fit.ci95();
    String measured = String.format(Locale.ROOT, "%+.3f pts/min (95 %% CI %+.3f..%+.3f; %d windows)", fit.slope(),
        ci.low(), ci.high(), ws.size());
    String bound = String.format(Locale.ROOT, "<= %.3f pts/min (the %s %% error-rate bound over %.1f min)", max,
        PlainNumbers.plain(100 * t.errorRateMax()), span);
    return slopeCheck(scenario, "error growth", measured, bound, fit.slope(), ci, max);
  }

  private static StressCheck metricGrowth(String scenario, String check, List<MetricsScraper.Scrape> scrapes,
      List<MetricsScraper.Scrape> during, long fromMillis, List<String> aliases, Function<Double, Double> unit,
      String perMin, double max) {
    String names = String.join(", ", aliases);
    if (scrapes.isEmpty()) {
      return StressCheck.skipped(scenario, check, "no /metrics scrapes were taken");
    }
    if (during.isEmpty()) {
      return StressCheck.skipped(scenario, check, "none of the " + scrapes.size() + " /metrics scrapes fell within the"
          + " run's requests");
    }
    List<PrometheusText> pages = during.stream().filter(MetricsScraper.Scrape::ok)
        .map(s -> PrometheusText.parse(s.text())).toList();
    if (pages.isEmpty()) {
      String error = during.stream().map(MetricsScraper.Scrape::error)
          .collect(Collectors.groupingBy(e -> e, TreeMap::new, Collectors.counting())).entrySet().stream()
          .max(Map.Entry.<String, Long>comparingByValue()).map(Map.Entry::getKey).orElse("?");
      return StressCheck.skipped(scenario, check, "the server's /metrics gave no page (" + error + ")");
    }
    String[] all = aliases.toArray(String[]::new);
    Optional<String> metric = pages.stream().map(p -> p.firstPresent(all)).flatMap(Optional::stream)
        .min(Comparator.comparingInt(aliases::indexOf));
    if (metric.isEmpty()) {
      return StressCheck.skipped(scenario, check, "the server's /metrics has no " + names);
    }
    List<double[]> points = new ArrayList<>();
    for (MetricsScraper.Scrape s : during) {
      if (s.ok()) {
        OptionalDouble v = PrometheusText.parse(s.text()).value(metric.get());
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          points.add(new double[] {(s.epochMillis() - fromMillis) / 60_000.0, unit.apply(v.getAsDouble())});
        }
      }
    }
    if (points.size() < 3) {
      return StressCheck.skipped(scenario, check, "only " + points.size() + " scrape(s) of " + metric.get()
          + " during the run, 3 needed for a slope: " + RUN_LONGER + " (or scrape more often)");
    }
    double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
    LinearFit fit = LinearFit.of(x, y);
    if (Double.isNaN(fit.slope())) {
      return StressCheck.skipped(scenario, check, "the scrapes of " + metric.get() + " span no time: " + RUN_LONGER);
    }
    LinearFit.Interval ci = fit.ci95();
    String unitName = perMin.substring(0, perMin.indexOf('/'));
    String measured = String.format(Locale.ROOT, "%+.2f %s (95 %% CI %+.2f..%+.2f; %s %.1f to %.1f %s over %d"
        + " scrapes)", fit.slope(), perMin, ci.low(), ci.high(), metric.get(), y[0], y[y.length - 1], unitName,
        points.size());
    return slopeCheck(scenario, check, measured, "<= " + PlainNumbers.plain(max) + " " + perMin, fit.slope(), ci, max);
  }

  // ---------------------------------------------------------------------------------------------
  // shared

  /** The rows that are not warm-up, by group in order of first appearance; "" counts as {@code scenario}. */
  private static Map<String, List<RequestResult>> byGroup(List<RequestResult> rows, String scenario) {
    Map<String, List<RequestResult>> groups = new LinkedHashMap<>();
    for (RequestResult r : rows) {
      if (!r.warmup()) {
        String g = r.group() == null || r.group().isEmpty() ? scenario : r.group();
        groups.computeIfAbsent(g, k -> new ArrayList<>()).add(r);
      }
    }
    return groups;
  }

  /** Nothing measured is not a pass: the scenario did not run, or its rows were lost. */
  private static StressCheck noRequests(String scenario) {
    return new StressCheck(scenario, "requests", "0 measured (warm-up left out)", ">= 1", StressVerdict.FAIL,
        "the scenario sent no requests, or its rows did not reach the side file");
  }

  /** What the failed requests were, by kind, with the first error. */
  private static String failures(List<RequestResult> rs) {
    List<RequestResult> failed = rs.stream().filter(r -> !r.ok()).toList();
    Map<String, Long> kinds = failed.stream()
        .collect(Collectors.groupingBy(StressChecks::kind, LinkedHashMap::new, Collectors.counting()));
    String byKind = kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    String first = failed.get(0).error() == null ? "HTTP " + failed.get(0).httpStatus() : failed.get(0).error();
    return failed.size() + " failed: " + byKind + "; first: " + abbreviate(first, 160);
  }

  private static String kind(RequestResult r) {
    if (isWrongAnswer(r)) {
      return "wrong answer";
    }
    if (isOom(r)) {
      return "out of memory";
    }
    if (r.error() != null && r.error().startsWith(RequestResult.TIMEOUT_PREFIX)) {
      return "timed out";
    }
    if (RequestResult.isConnectionFailure(r.ok(), r.httpStatus(), r.error())) {
      return "connection failure";
    }
    return r.httpStatus() > 0 ? "HTTP " + r.httpStatus() : "other";
  }

  private static String sci(double v) {
    if (v == 0) {
      return "0";
    }
    return Double.isInfinite(v) ? "inf (answers of different shape)" : String.format(Locale.ROOT, "%.3g", v);
  }

  /**
   * Where two answers of the same input differ most, e.g. {@code at [7][0]: 0.0194 vs 0.0638}; for
   * answers of different shapes, that.
   */
  static String largestDifference(JsonNode a, JsonNode b, String path) {
    if (a.isNumber() && b.isNumber()) {
      return "at " + (path.isEmpty() ? "the value" : path) + ": " + a.asText() + " vs " + b.asText();
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      int worst = -1;
      double max = -1;
      for (int i = 0; i < a.size(); i++) {
        double d = maxAbsDiff(a.get(i), b.get(i));
        if (d > max) {
          max = d;
          worst = i;
        }
      }
      return worst < 0 ? "no difference" : largestDifference(a.get(worst), b.get(worst), path + "[" + worst + "]");
    }
    if (a.isObject() && b.isObject() && a.size() == b.size()) {
      String worst = null;
      double max = -1;
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        double d = b.has(f) ? maxAbsDiff(a.get(f), b.get(f)) : Double.POSITIVE_INFINITY;
        if (d > max) {
          max = d;
          worst = f;
        }
      }
      return worst == null || !b.has(worst) ? "different fields" : largestDifference(a.get(worst), b.get(worst),
          path + "." + worst);
    }
    return "at " + (path.isEmpty() ? "the answer" : path) + ": " + abbreviate(a.toString(), 40) + " vs "
        + abbreviate(b.toString(), 40);
  }

  /** Where two texts part: the character, and a few characters of each from there. */
  static String divergence(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return "diverging at character " + i + ": \"" + abbreviate(a.substring(i), 24) + "\" vs \""
        + abbreviate(b.substring(i), 24) + "\"";
  }

  private static String abbreviate(String s, int max) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= max ? one : one.substring(0, max - 3) + "...";
  }
}
