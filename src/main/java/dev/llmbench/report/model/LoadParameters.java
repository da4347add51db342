package dev.llmbench.report.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The load a run sent, resolved (the profile's defaults applied): what {@code llm-run.json} records
 * and what a baseline's apples-to-apples check compares. Every part is null when a run did not record
 * it; those recorded "only when given" are written only then, so older runs compare as before.
 *
 * @param embeddedEmulator whether the target was the embedded emulator
 * @param emulator the embedded emulator's settings ({@code EmulatorConfig.describe()}); only with it
 * @param size {@code smoke} or {@code full}
 * @param numPrompts measured prompts per rate step; written as null where prompts are not the unit (the matrix)
 * @param maxConcurrency most streams at once
 * @param requestRates requests per second of each step, {@code inf} for all at once
 * @param burstiness the gamma arrivals' shape (1 is Poisson)
 * @param arrivalSchedule how arrivals are drawn; only when not bench_serving's
 * @param seed the seed of prompts and arrivals
 * @param httpKeepAlive false when connections were not reused; absent when they were
 * @param sampling the version of the prompt and arrival sampling ({@code Seeds.SAMPLING_VERSION})
 * @param warmupRequests warm-up requests before each measured step
 * @param promptFile the prompt file, written as null for random prompts
 * @param inputLen random prompts' input tokens; only for a random profile
 * @param outputLen random prompts' output tokens; only for a random profile
 * @param rangeRatio random prompts' length spread; only for a random profile
 * @param promptSizingMethod how prompts were sized; only when not by the word tokenizer
 * @param pooling a pooling run's workload (API, batch sizes, labels, runs, warm-ups, lengths); only for one
 * @param slo the service-level objectives in ms, canonical ({@code e2el:20000,tpot:50,ttft:200}, keys
 *     sorted: {@code metrics.Slo#canonical}); only when given ({@code -Dslo}). The post-run step judges
 *     goodput by it, and a baseline compares only runs of the same objectives
 * @param sliceSec the length of a time slice in seconds ({@code -Dslice.sec}, AIPerf's {@code --slice-duration});
 *     only when given. Recorded so that a rebuild of the report from the run folder cuts the same slices;
 *     analysis only (it changes no headline figure), so a baseline does not compare it
 * @param datasetName a conversation dataset's format ({@code sharegpt}, {@code custom}, {@code messages}); only
 *     with one ({@code -Ddataset.path})
 * @param datasetPath the dataset file as given; not compared by a baseline (the same data may lie elsewhere on
 *     another machine: {@code datasetSha256} is what identifies it)
 * @param datasetSha256 the dataset file's SHA-256, hex
 * @param datasetRows the dataset's rows sent per rate step (after its filters and sampling)
 * @param extraBody the JSON merged into every request body ({@code -Dextra.body}); only when given
 * @param extraHeaders the extra headers, {@code Name: value; ...}, the values of names that look like
 *     credentials as {@code (secret)}; only when given
 * @param loraModules the LoRA adapters asked for, comma-separated; only when given
 * @param temperature the sampling temperature; only when given (otherwise 0)
 * @param dataset a dataset other than random prompts or a prompt file, with its settings
 *     ({@code SharedPrefixDataset#describe}: {@code generated-shared-prefix groups=64 promptsPerGroup=16 ...});
 *     only for one, so older runs compare as before, and a baseline compares only the same dataset
 * @param trace the replayed trace ({@code -Dtrace.path}); only for a trace replay
 * @param sessions a multi-turn run's conversations ({@code -Dsession.*}); only for one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadParameters(Boolean embeddedEmulator, String emulator, String size,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer numPrompts, MaxConcurrency maxConcurrency,
    List<String> requestRates, Double burstiness, String arrivalSchedule, Long seed, Boolean httpKeepAlive,
    Integer sampling, Integer warmupRequests, @JsonInclude(JsonInclude.Include.ALWAYS) String promptFile,
    Integer inputLen, Integer outputLen, Double rangeRatio, String promptSizingMethod, String pooling, String slo,
    Double sliceSec, String datasetName, String datasetPath, String datasetSha256, Integer datasetRows,
    String extraBody, String extraHeaders, String loraModules, Double temperature, String dataset, Trace trace,
    String sessions) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A replayed trace, as recorded: a baseline compares only replays of the same file (its SHA-256) at the same
   * speed and length.
   *
   * @param file the trace's file name (not its folder, which differs from machine to machine)
   * @param format the format it was read in ({@code TraceFile.Format#wireName})
   * @param sha256 the file's SHA-256, hex
   * @param speed {@code -Dtrace.speed}
   * @param maxRequests {@code -Dtrace.max.requests}; only when given
   * @param blockTokens tokens of a {@code hash_ids} block (they decide which prompts share tokens)
   * @param secMultiplier a timed trace's seconds multiplier; only for a timed trace
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trace(String file, String format, String sha256, double speed, Integer maxRequests,
      int blockTokens, Double secMultiplier) {}

  /** The same load, as multi-turn conversations described so ({@code SessionSettings#describe}; null: none). */
  public LoadParameters withSessions(String described) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows,
        extraBody, extraHeaders, loraModules, temperature, dataset, trace, described);
  }

  /** The same load, replaying this trace (null: none, not recorded). */
  public LoadParameters withTrace(Trace replayed) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows,
        extraBody, extraHeaders, loraModules, temperature, dataset, replayed, sessions);
  }

  /** The load of a generation run (no pooling workload). */
  public LoadParameters(Boolean embeddedEmulator, String emulator, String size, Integer numPrompts,
      MaxConcurrency maxConcurrency, List<String> requestRates, Double burstiness, String arrivalSchedule, Long seed,
      Boolean httpKeepAlive, Integer sampling, Integer warmupRequests, String promptFile, Integer inputLen,
      Integer outputLen, Double rangeRatio, String promptSizingMethod) {
    this(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates, burstiness, arrivalSchedule, seed,
        httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen, rangeRatio, promptSizingMethod, null,
        null, null);
  }

  /** The load of a run without service-level objectives. */
  public LoadParameters(Boolean embeddedEmulator, String emulator, String size, Integer numPrompts,
      MaxConcurrency maxConcurrency, List<String> requestRates, Double burstiness, String arrivalSchedule, Long seed,
      Boolean httpKeepAlive, Integer sampling, Integer warmupRequests, String promptFile, Integer inputLen,
      Integer outputLen, Double rangeRatio, String promptSizingMethod, String pooling) {
    this(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates, burstiness, arrivalSchedule, seed,
        httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen, rangeRatio, promptSizingMethod, pooling,
        null, null);
  }

  /** The load of a run without time slices. */
  public LoadParameters(Boolean embeddedEmulator, String emulator, String size, Integer numPrompts,
      MaxConcurrency maxConcurrency, List<String> requestRates, Double burstiness, String arrivalSchedule, Long seed,
      Boolean httpKeepAlive, Integer sampling, Integer warmupRequests, String promptFile, Integer inputLen,
      Integer outputLen, Double rangeRatio, String promptSizingMethod, String pooling, String slo) {
    this(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates, burstiness, arrivalSchedule, seed,
        httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen, rangeRatio, promptSizingMethod, pooling,
        slo, null);
  }

  /** The load of a run of random prompts or a prompt file, without request shaping, trace or sessions. */
  public LoadParameters(Boolean embeddedEmulator, String emulator, String size, Integer numPrompts,
      MaxConcurrency maxConcurrency, List<String> requestRates, Double burstiness, String arrivalSchedule, Long seed,
      Boolean httpKeepAlive, Integer sampling, Integer warmupRequests, String promptFile, Integer inputLen,
      Integer outputLen, Double rangeRatio, String promptSizingMethod, String pooling, String slo, Double sliceSec) {
    this(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates, burstiness, arrivalSchedule, seed,
        httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen, rangeRatio, promptSizingMethod, pooling,
        slo, sliceSec, null, null, null, null, null, null, null, null, null, null, null);
  }

  public LoadParameters {
    requestRates = requestRates == null ? null : List.copyOf(requestRates);
  }

  /** The same load, sent to the target described so (the emulator's settings only when embedded). */
  public LoadParameters withTarget(boolean embedded, String emulatorSettings) {
    return new LoadParameters(embedded, embedded ? emulatorSettings : null, size, numPrompts, maxConcurrency,
        requestRates, burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen,
        outputLen, rangeRatio, promptSizingMethod, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows, extraBody, extraHeaders,
        loraModules, temperature, dataset, trace, sessions);
  }

  /** The same load, its prompts sized by {@code method} (null: the word tokenizer, not recorded). */
  public LoadParameters withPromptSizingMethod(String method) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, method, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows, extraBody, extraHeaders,
        loraModules, temperature, dataset, trace, sessions);
  }

  /** The same load with these request rates, as {@link #rates} writes them. */
  public LoadParameters withRequestRates(List<String> rates) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, rates, burstiness,
        arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen, rangeRatio,
        promptSizingMethod, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows, extraBody, extraHeaders,
        loraModules, temperature, dataset, trace, sessions);
  }

  /** The same load, judged against these objectives ({@code Slo#canonical}; null: none, not recorded). */
  public LoadParameters withSlo(String canonicalSlo) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, canonicalSlo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows, extraBody, extraHeaders,
        loraModules, temperature, dataset, trace, sessions);
  }

  /** The same load, its report cut into slices of this many seconds (null: none, not recorded). */
  public LoadParameters withSliceSec(Double seconds) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, slo, seconds, datasetName, datasetPath, datasetSha256, datasetRows, extraBody, extraHeaders,
        loraModules, temperature, dataset, trace, sessions);
  }

  /**
   * The same load with its conversation dataset ({@code datasetName}, {@code datasetPath}, {@code datasetSha256},
   * {@code datasetRows}: null for none) and its request shaping (each null when not given).
   */
  public LoadParameters withDataAndShaping(String name, String path, String sha256, Integer rows, String body,
      String headers, String lora, Double temp) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, slo, sliceSec, name, path, sha256, rows, body, headers, lora, temp,
        dataset, trace, sessions);
  }

  /** The same load, of this dataset ({@code SharedPrefixDataset#describe}; null: random prompts or a prompt file). */
  public LoadParameters withDataset(String datasetDescription) {
    return new LoadParameters(embeddedEmulator, emulator, size, numPrompts, maxConcurrency, requestRates,
        burstiness, arrivalSchedule, seed, httpKeepAlive, sampling, warmupRequests, promptFile, inputLen, outputLen,
        rangeRatio, promptSizingMethod, pooling, slo, sliceSec, datasetName, datasetPath, datasetSha256, datasetRows,
        extraBody, extraHeaders, loraModules, temperature, datasetDescription, trace, sessions);
  }

  /** A request-rate list as recorded: each rate's decimal form, {@code inf} for all at once. */
  public static List<String> rates(List<Double> requestsPerSecond) {
    return requestsPerSecond.stream().map(r -> r.isInfinite() ? "inf" : r.toString()).toList();
  }

  /**
   * The recorded parameters as a result keeps them ({@link RunMetadata#parameters()}) and a baseline
   * compares them: each by its name in {@code llm-run.json}, a text as it is, any other value as its
   * JSON; those not recorded are absent.
   */
  public SortedMap<String, String> asMap() {
    SortedMap<String, String> p = new TreeMap<>();
    JsonNode json = MAPPER.valueToTree(this);
    json.properties().forEach(e -> {
      if (!e.getValue().isNull()) {
        p.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
    });
    return p;
  }

  /**
   * At most this many streams at once, or no limit: recorded as the number, or as {@code unlimited}.
   *
   * @param limit the limit; null for none
   */
  public record MaxConcurrency(Integer limit) {
    static final String UNLIMITED = "unlimited";

    public static MaxConcurrency of(Integer limit) {
      return new MaxConcurrency(limit);
    }

    @JsonCreator
    static MaxConcurrency read(Object recorded) {
      if (recorded instanceof Number n) {
        return new MaxConcurrency(n.intValue());
      }
      if (UNLIMITED.equals(recorded)) {
        return new MaxConcurrency(null);
      }
      throw new IllegalArgumentException("maxConcurrency must be an integer or \"" + UNLIMITED + "\", but was "
          + recorded);
    }

    @JsonValue
    Object recorded() {
      return limit == null ? UNLIMITED : limit;
    }
  }
}
