package dev.llmbench.llm.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.stream.PoolingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scoring benchmark's configuration, read once and validated: the runbook's profile
 * ({@code -Dprofile=smoke|standard|full}, from {@code score-profiles.json}) and its flags as properties
 * ({@code -Dbatch.sizes=1,8,32,64}, {@code -Dnum.labels=2,4}, {@code -Dnum.runs}, {@code -Dwarmup.runs};
 * {@code -Dquiet} is every run's, {@link BenchConfig}), the API ({@code -Dbackend=sglang|vllm|rerank|embeddings}) and the request's make-up.
 *
 * @param profile the runbook profile
 * @param api the API the requests go to
 * @param batchSizes items per request, one cell per size and label count
 * @param numLabels label tokens per request (SGLang's {@code label_token_ids}); one value for the other APIs
 * @param numRuns measured requests per cell
 * @param warmupRuns warm-up requests per cell, left out of every figure
 * @param queryTokens tokens of the query
 * @param itemTokens tokens of each item
 * @param labelTokenIds the label tokens the first {@code numLabels} of which each request asks for
 * @param maxConcurrency requests in flight at once (1: one after another, as the runbook's script)
 */
public record ScoreConfig(String profile, PoolingApi api, List<Integer> batchSizes, List<Integer> numLabels,
    int numRuns, int warmupRuns, int queryTokens, int itemTokens, List<Integer> labelTokenIds, int maxConcurrency) {

  /** The properties read here, beside the run's ({@link BenchConfig#KEYS}). */
  public static final Set<String> KEYS = Set.of("batch.sizes", "num.labels", "num.runs", "warmup.runs",
      "query.tokens", "item.tokens", "label.token.ids");

  public static final String RESOURCE = "/score-profiles.json";

  public ScoreConfig {
    batchSizes = List.copyOf(batchSizes);
    numLabels = List.copyOf(numLabels);
    labelTokenIds = List.copyOf(labelTokenIds);
  }

  /** Reads and checks the properties; a wrong one is a {@link ConfigException} saying what and how to fix it. */
  public static ScoreConfig from(Props p) {
    JsonNode file = load();
    String profile = p.string("profile", "smoke").toLowerCase(Locale.ROOT);
    JsonNode prof = file.path("profiles").get(profile);
    if (prof == null) {
      Set<String> names = new TreeSet<>();
      file.path("profiles").fieldNames().forEachRemaining(names::add);
      throw new ConfigException("profile " + profile + " is not a scoring profile; ScoreSimulation takes -Dprofile="
          + String.join("|", names));
    }
    PoolingApi api = api(p.raw("backend"));
    List<Integer> labelIds = p.has("label.token.ids") ? ints(p, "label.token.ids", 0, Integer.MAX_VALUE)
        : ints(file.path("labelTokenIds"));
    List<Integer> numLabels = p.has("num.labels") ? ints(p, "num.labels", 1, 1_000) : ints(prof.path("numLabels"));
    if (!api.hasLabels()) {
      numLabels = List.of(0); // only SGLang's scores have labels: one cell per batch size
    }
    for (int n : numLabels) {
      if (n > labelIds.size()) {
        throw new ConfigException("num.labels " + n + " asks for more labels than label.token.ids has (" + labelIds
            + "); give more with -Dlabel.token.ids=id,id,...");
      }
    }
    return new ScoreConfig(profile, api,
        p.has("batch.sizes") ? ints(p, "batch.sizes", 1, 100_000) : ints(prof.path("batchSizes")),
        numLabels,
        p.integer("num.runs", prof.path("numRuns").asInt(), 1, 10_000_000),
        p.integer("warmup.runs", prof.path("warmupRuns").asInt(), 0, 100_000),
        p.integer("query.tokens", file.path("queryTokens").asInt(), 1, 1_000_000),
        p.integer("item.tokens", file.path("itemTokens").asInt(), 1, 1_000_000),
        labelIds,
        p.integer("max.concurrency", 1, 1, 100_000));
  }

  /** {@code -Dbackend} for the scoring benchmark: the API's shape. */
  static PoolingApi api(String backend) {
    if (backend == null) {
      return PoolingApi.SGLANG_SCORE;
    }
    return switch (backend.toLowerCase(Locale.ROOT)) {
      case "sglang", "sglang-score" -> PoolingApi.SGLANG_SCORE;
      case "vllm", "vllm-score" -> PoolingApi.VLLM_SCORE;
      case "rerank", "vllm-rerank" -> PoolingApi.RERANK;
      case "embeddings", "openai-embeddings" -> PoolingApi.EMBEDDINGS;
      default -> throw new ConfigException("backend " + backend + " is not a scoring API; ScoreSimulation takes "
          + "-Dbackend=sglang (SGLang's /v1/score, the default), vllm (vLLM's /v1/score), rerank (/v1/rerank) or "
          + "embeddings (/v1/embeddings)");
    };
  }

  /**
   * The properties the run itself reads ({@link BenchConfig}): the scoring profile and backend are
   * this configuration's, and the result folder is named for {@link #runProfile()}.
   */
  public Props runProps(Props p) {
    return p.with("profile", null).with("backend", null)
        .withDefault("framework", p.has("target.url") ? api.wireName() : "emulator");
  }

  /** The profile the result is filed under: {@code score-standard}; another API's is named for it. */
  public String runProfile() {
    return (api == PoolingApi.SGLANG_SCORE ? "score-" : api.wireName() + "-") + profile;
  }

  /** The cell's group name: {@code batch=8 labels=2}, or {@code batch=8} without labels. */
  public static String cell(int batchSize, int labels) {
    return "batch=" + batchSize + (labels > 0 ? " labels=" + labels : "");
  }

  /** The workload as a baseline compares it: runs of another workload are not the same load. */
  public String describe() {
    return "api=" + api.wireName() + " batch.sizes=" + join(batchSizes) + " num.labels=" + join(numLabels)
        + " num.runs=" + numRuns + " warmup.runs=" + warmupRuns + " query.tokens=" + queryTokens + " item.tokens="
        + itemTokens + " label.token.ids=" + join(labelTokenIds) + " max.concurrency=" + maxConcurrency;
  }

  /** A list of integers as the properties write it: {@code 1,8,32}. */
  static String join(List<Integer> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  static List<Integer> ints(Props p, String key, int min, int max) {
    List<Integer> out = new ArrayList<>();
    for (String part : p.raw(key).split(",")) {
      try {
        int v = Integer.parseInt(part.trim());
        if (v < min || v > max) {
          throw new NumberFormatException();
        }
        out.add(v);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a comma-separated list of integers from " + min + " to " + max
            + ", but was \"" + p.raw(key) + "\"");
      }
    }
    return out;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static JsonNode load() {
    try (InputStream in = ScoreConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
