package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.stream.PoolingApi;
import dev.llmbench.stress.StressThresholds;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stress scenarios' configuration (the scoring runbook's {@code bench_score_stress.py}), read once
 * and validated: {@code -Dscenario=large-batch|concurrent|sustained|all} and the {@code stress.*}
 * properties below; the requests' make-up (API, query and item tokens, label tokens) is the scoring
 * benchmark's ({@link ScoreConfig}), and the verdicts' bounds are {@link StressThresholds}'.
 *
 * @param scenarios the scenarios to run, in order
 * @param score the requests' make-up
 * @param batchSizes {@code -Dstress.batch.sizes}: items per request of the large-batch scenario (50,100,200)
 * @param runs {@code -Dstress.runs}: measured requests per large batch size (5), after one warm-up
 * @param concurrency {@code -Dstress.concurrency}: the concurrent scenario's levels (2,4,8,16)
 * @param distinct {@code -Dstress.distinct}: distinct inputs per level, each sent once per concurrent
 *     user at the same time (4)
 * @param concurrentApis {@code -Dstress.concurrent.apis}: what the concurrent scenario sends, {@code score}
 *     (the scoring API) and {@code generate} (temperature-0 completions on {@code /v1/completions}); both by
 *     default, one for a server that has only one (llama.cpp's serves completions or embeddings, not both)
 * @param generateTokens {@code -Dstress.generate.tokens}: tokens of each temperature-0 completion (32)
 * @param duration {@code -Dstress.duration}: the sustained scenario's length ({@code 5m}; {@code 90s}, {@code 300})
 * @param sustainedConcurrency {@code -Dstress.sustained.concurrency}: requests in flight through it (4)
 * @param sustainedBatch {@code -Dstress.sustained.batch}: items per request through it (8)
 * @param timeout {@code -Dstress.timeout.sec}: a request not answered by then failed (60)
 * @param scrapeEvery {@code -Dstress.scrape.sec}: how often the server's {@code /metrics} is read (5)
 * @param thresholds the checks' bounds
 */
public record StressConfig(List<String> scenarios, ScoreConfig score, List<Integer> batchSizes, int runs,
    List<Integer> concurrency, int distinct, List<String> concurrentApis, int generateTokens, Duration duration,
    int sustainedConcurrency,
    int sustainedBatch, Duration timeout, Duration scrapeEvery, StressThresholds thresholds) {

  /** The scenarios, in the order {@code all} runs them. */
  public static final List<String> SCENARIOS = List.of("large-batch", "concurrent", "sustained");

  /** The properties read here, beside the run's, the scoring make-up's and the thresholds'. */
  public static final Set<String> KEYS = Set.of("scenario", "stress.batch.sizes", "stress.runs", "stress.concurrency",
      "stress.distinct", "stress.concurrent.apis", "stress.generate.tokens", "stress.duration",
      "stress.sustained.concurrency", "stress.sustained.batch", "stress.timeout.sec", "stress.scrape.sec");

  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(s|m|h)?");

  public StressConfig {
    scenarios = List.copyOf(scenarios);
    batchSizes = List.copyOf(batchSizes);
    concurrency = List.copyOf(concurrency);
    concurrentApis = List.copyOf(concurrentApis);
  }

  /** Reads and checks the properties; a wrong one is a {@link ConfigException} saying what and how to fix it. */
  public static StressConfig from(Props p) {
    for (String key : new TreeSet<>(p.keysWithPrefix("stress."))) {
      if (!KEYS.contains(key) && !StressThresholds.KEYS.contains(key)) {
        Set<String> known = new TreeSet<>(KEYS);
        known.addAll(StressThresholds.KEYS);
        known.remove("scenario");
        throw new ConfigException("unknown property " + key + "; the stress.* properties are " + known);
      }
    }
    String scenario = p.string("scenario", "all").toLowerCase(Locale.ROOT);
    List<String> scenarios;
    if (scenario.equals("all")) {
      scenarios = SCENARIOS;
    } else if (SCENARIOS.contains(scenario)) {
      scenarios = List.of(scenario);
    } else {
      throw new ConfigException("scenario " + scenario + " is not a stress scenario; StressSimulation takes -Dscenario="
          + String.join("|", SCENARIOS) + "|all");
    }
    // The requests' make-up as the scoring benchmark's; its profile and sweep do not apply here.
    ScoreConfig score = ScoreConfig.from(p.with("profile", null).with("batch.sizes", null).with("num.labels", null)
        .with("num.runs", null).with("warmup.runs", null));
    return new StressConfig(scenarios, score,
        p.has("stress.batch.sizes") ? ScoreConfig.ints(p, "stress.batch.sizes", 1, 100_000) : List.of(50, 100, 200),
        p.integer("stress.runs", 5, 1, 100_000),
        p.has("stress.concurrency") ? ScoreConfig.ints(p, "stress.concurrency", 1, 10_000) : List.of(2, 4, 8, 16),
        p.integer("stress.distinct", 4, 1, 10_000),
        concurrentApis(p.string("stress.concurrent.apis", "score,generate")),
        p.integer("stress.generate.tokens", 32, 1, 100_000),
        duration(p, "stress.duration", "5m"),
        p.integer("stress.sustained.concurrency", 4, 1, 10_000),
        p.integer("stress.sustained.batch", 8, 1, 100_000),
        Duration.ofSeconds(p.integer("stress.timeout.sec", 60, 1, 86_400)),
        Duration.ofSeconds(p.integer("stress.scrape.sec", 5, 1, 3_600)),
        StressThresholds.from(p));
  }

  private static List<String> concurrentApis(String raw) {
    List<String> apis = new java.util.ArrayList<>();
    for (String part : raw.toLowerCase(Locale.ROOT).split(",")) {
      String api = part.trim();
      if (!api.equals("score") && !api.equals("generate")) {
        throw new ConfigException("stress.concurrent.apis must list score and/or generate (e.g. score,generate), "
            + "but was \"" + raw + "\"");
      }
      if (!apis.contains(api)) {
        apis.add(api);
      }
    }
    return apis;
  }

  /** {@code 5m}, {@code 90s}, {@code 1h} or seconds ({@code 300}). */
  static Duration duration(Props p, String key, String defaultValue) {
    String raw = p.string(key, defaultValue).trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(raw);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new ConfigException(key + " must be a positive duration such as 300, 90s, 5m or 1h, but was \"" + raw
          + "\"");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** Whether the scenario runs. */
  public boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }

  /** The API of the scoring requests. */
  public PoolingApi api() {
    return score.api();
  }

  /** The label tokens each scoring request asks for: two, as a yes/no classifier's (none for the other APIs). */
  public List<Integer> labels() {
    return score.api().hasLabels() ? score.labelTokenIds().subList(0, Math.min(2, score.labelTokenIds().size()))
        : List.of();
  }

  /** The profile the result is filed under: {@code stress-all}, {@code stress-sustained}, ... */
  public String runProfile() {
    return "stress-" + (scenarios.size() == SCENARIOS.size() ? "all" : scenarios.get(0));
  }

  /** The workload as a baseline compares it. */
  public String describe() {
    return "stress scenario=" + String.join(",", scenarios) + " api=" + api().wireName() + " stress.batch.sizes="
        + ScoreConfig.join(batchSizes) + " stress.runs=" + runs + " stress.concurrency="
        + ScoreConfig.join(concurrency) + " stress.distinct=" + distinct + " stress.concurrent.apis=" + String.join(",", concurrentApis) + " stress.generate.tokens="
        + generateTokens + " stress.duration=" + duration.toSeconds() + "s"
        + " stress.sustained.concurrency=" + sustainedConcurrency + " stress.sustained.batch=" + sustainedBatch
        + " query.tokens=" + score.queryTokens() + " item.tokens=" + score.itemTokens();
  }

  /** The properties the run itself reads ({@link BenchConfig}): the scenario is this configuration's. */
  public Props runProps(Props p) {
    return p.with("scenario", null).with("backend", null)
        .withDefault("framework", p.has("target.url") ? api().wireName() : "emulator");
  }
}
