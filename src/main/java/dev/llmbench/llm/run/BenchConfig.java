package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.stream.RequestShaping;
import dev.llmbench.workload.Dataset;
import dev.llmbench.io.Urls;
import dev.llmbench.metrics.Slo;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.stream.Backend;
import dev.llmbench.stream.CircuitBreaker;
import dev.llmbench.workload.Arrivals;
import dev.llmbench.workload.SharedPrefixDataset;
import dev.llmbench.workload.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The load parameters of a serving run, read once from system properties that mirror
 * {@code bench_serving.py}'s flags and validated loudly: a wrong value fails at start-up with a
 * message naming the property, the value and what is valid. docs/properties.md lists every property.
 *
 * @param targetUrl {@code -Dtarget.url}: the server's http(s) base URL, without a trailing slash; null
 *     starts the embedded emulator
 * @param framework {@code -Dframework}: label of the result folders (sglang, vllm, ollama, ...)
 * @param backend {@code -Dbackend}: API shape, as bench_serving's {@code --backend}
 * @param model {@code -Dmodel}: model name; null reads it from {@code /v1/models}
 * @param profile {@code -Dprofile}: a profile of profiles.json, or {@code matrix}
 * @param size {@code -Dsize}: smoke or full
 * @param numPrompts {@code -Dnum.prompts}: overrides the profile's prompt count, or null
 * @param maxConcurrency {@code -Dmax.concurrency}: most streams at once, or null for no limit
 * @param requestRates {@code -Drequest.rate}: requests per second, {@code inf} for all at once; a
 *     comma-separated list runs one step after another
 * @param burstiness {@code -Dburstiness}: gamma shape of the arrival gaps (1 = Poisson)
 * @param arrivalSchedule {@code -Darrival.schedule}: {@code bench-serving} (the gaps as drawn, the
 *     default) or {@code vllm} (rescaled so that the last request arrives at exactly N / rate)
 * @param randomInputLen {@code -Drandom.input.len}: overrides the profile's input length, or null
 * @param randomOutputLen {@code -Drandom.output.len}: overrides the profile's output length, or null
 * @param randomRangeRatio {@code -Drandom.range.ratio}: overrides the profile's ratio, or null
 * @param seed {@code -Dseed}: seed of prompts, lengths and arrivals
 * @param promptFile {@code -Dprompt.file}: JSONL prompts instead of random ones, or null
 * @param warmupRequests {@code -Dwarmup.requests}: warm-up requests before each measured step
 * @param healthTimeout {@code -Dhealth.timeout.sec}: how long to wait for the server before load
 * @param requestTimeout {@code -Drequest.timeout.sec}: longest a single stream may take
 * @param maxModelLen {@code -Dmax.model.len}: the server's context limit, or null to read it
 * @param serverHardware {@code -Dserver.hardware}: what the server runs on, e.g. {@code 8x H100 80GB},
 *     or null. Kept with the result and compared with the baseline's as the client machine's CPU and
 *     GPU are: the machine this JVM runs on is not the server's when the target is remote
 * @param serverLog {@code -Dserver.log}: the serving engine's log saved to a file, for the memory columns
 *     of the matrix's table (model weights, KV cache), or null
 * @param validity {@code -Dvalidity.loop.lag.ms}, {@code -Dvalidity.read.lag.ms}, {@code -Dvalidity.send.lag.ms},
 *     {@code -Dvalidity.gc.pause.ms}, {@code -Dvalidity.cpu.share}: beyond these the run is client-bound
 * @param validityStrict {@code -Dvalidity.strict}: a client-bound run fails
 * @param breaker {@code -Dbreaker.enabled}, {@code -Dbreaker.consecutive.failures}, {@code -Dbreaker.error.rate},
 *     {@code -Dbreaker.window.requests}: when the run stops sending to a failing server
 * @param tokenizer {@code -Dtokenizer}: the served model's {@code tokenizer.json}, or a folder holding one
 *     (bench_serving's {@code --tokenizer}): random prompts are built of its tokens to the exact length;
 *     null sizes them with the server's {@code /tokenize}, or the default vocabulary
 * @param httpKeepAlive {@code -Dhttp.keepalive}: true (the default) reuses connections as production
 *     clients do; false opens one connection per request and sends {@code Connection: close}, as
 *     bench_serving does
 * @param quiet {@code -Dquiet}: no announcement and no progress line, only the final table (the scoring
 *     runbook's {@code --quiet}), with the verdict lines that need attention
 * @param slo {@code -Dslo}: service-level objectives in ms ({@code ttft:200,tpot:50,e2el:20000}, vLLM's
 *     {@code --goodput}), for goodput and SLO attainment; null when not given
 * @param sliceSec {@code -Dslice.sec}: the length of each time slice in seconds (AIPerf's
 *     {@code --slice-duration}) for the post-run step's per-slice metrics; null when not given (no slices)
 * @param stopOnSaturation {@code -Dstop.on.saturation}: an open-model step that the server is seen to fall
 *     behind while it runs ({@link SaturationWatch}) sends no more requests; the rest count as not sent
 * @param telemetry {@code -Dmetrics.url}, {@code -Dmetrics.interval.ms}, {@code -Dnvidia.smi}: the server's
 *     {@code /metrics} and the GPUs read during the run ({@link TelemetrySettings})
 * @param itlRows {@code -Dgatling.itl.rows}: one {@code ITL} row per token gap in Gatling's
 *     {@code simulation.log} besides each request's E2E, TTFT and TPOT rows. Off by default: the gaps
 *     are in the side file, which our result page reads, and written to the log they make most of its
 *     rows, of Gatling's report's counts and of the CPU the process spends after the load
 * @param sharding {@code -Dinjector.index}, {@code -Dinjector.count}, {@code -Dstart.at}: this injector's
 *     share of a run spread over several machines ({@link Sharding}, docs/scaling-out.md)
 * @param dataset {@code -Ddataset.name}, {@code -Ddataset.path}, {@code -Dsharegpt.output.len}: a conversation
 *     dataset's prompts instead of random ones ({@link Dataset}), or null
 * @param shaping {@code -Dextra.body}, {@code -Dextra.headers}, {@code -Dlora.modules}, {@code -Dtemperature}:
 *     what every streamed request carries besides its prompt ({@link RequestShaping})
 * @param sharedPrefix {@code -Ddataset.name=generated-shared-prefix|prefix-repetition} and its settings: prompts
 *     sharing prefixes instead of random ones ({@link SharedPrefixDataset}); null for none
 * @param trace {@code -Dtrace.path} and its settings: a trace's arrivals and lengths instead of the profile's
 *     ({@link TraceSettings}), or null
 * @param sessions {@code -Dsession.*}: what a multi-turn run's conversations are ({@link SessionSettings}); their
 *     defaults when not given, used only by a simulation that holds conversations
 * @param streamLoops {@code -Dstream.loops}: how many event loops read the streams, or null for the default,
 *     as many as the cores ({@code StreamLoops})
 */
public record BenchConfig(
    String targetUrl,
    String framework,
    Backend backend,
    String model,
    String profile,
    Size size,
    Integer numPrompts,
    Integer maxConcurrency,
    List<Double> requestRates,
    double burstiness,
    Arrivals.Schedule arrivalSchedule,
    Integer randomInputLen,
    Integer randomOutputLen,
    Double randomRangeRatio,
    long seed,
    Path promptFile,
    int warmupRequests,
    Duration healthTimeout,
    Duration requestTimeout,
    Integer maxModelLen,
    String serverHardware,
    Path serverLog,
    ValidityThresholds validity,
    boolean validityStrict,
    CircuitBreaker.Settings breaker,
    Path tokenizer,
    boolean httpKeepAlive,
    boolean quiet,
    Slo slo,
    Double sliceSec,
    boolean stopOnSaturation,
    TelemetrySettings telemetry,
    boolean itlRows,
    Sharding sharding,
    Dataset.Settings dataset,
    RequestShaping shaping,
    SharedPrefixDataset sharedPrefix,
    TraceSettings trace,
    SessionSettings sessions,
    Integer streamLoops) {


  /** The property that asks for one ITL row per token gap in simulation.log ({@link #itlRows}). */
  public static final String ITL_ROWS = "gatling.itl.rows";

  /** The property that sets how many event loops read the streams ({@link #streamLoops}). */
  public static final String STREAM_LOOPS = "stream.loops";

  /** Every property this configuration reads. */
  public static final Set<String> KEYS = Set.of(
      "target.url", "framework", "backend", "model", "api.key", "profile", "size", "num.prompts", "max.concurrency",
      "request.rate", "burstiness", "arrival.schedule", "random.input.len", "random.output.len", "random.range.ratio", "seed",
      "prompt.file", "warmup.requests", "health.timeout.sec", "request.timeout.sec", "max.model.len",
      "server.hardware", "server.log", ValidityThresholds.LOOP_LAG, ValidityThresholds.READ_LAG,
      ValidityThresholds.SEND_LAG,
      ValidityThresholds.GC_PAUSE, ValidityThresholds.CPU_SHARE, ValidityThresholds.STRICT,
      CircuitBreaker.ENABLED, CircuitBreaker.CONSECUTIVE, CircuitBreaker.ERROR_RATE, CircuitBreaker.WINDOW,
      "tokenizer", "http.keepalive", "quiet", "slo", "slice.sec", "stop.on.saturation",
      TelemetrySettings.METRICS_URL, TelemetrySettings.INTERVAL, TelemetrySettings.NVIDIA_SMI, ITL_ROWS,
      Sharding.INDEX, Sharding.COUNT, Sharding.START_AT,
      // OfflineSimulation's (OfflineConfig): known here so that -Dmode is not taken for a typo of -Dmodel.
      "mode", "offline.batch.sizes", "input.len", "output.len", "offline.warmups", "offline.runs",
      // Conversation datasets and request shaping (issue 31, DataAndShaping): dataset.name, dataset.path,
      // sharegpt.output.len, extra.body, extra.headers, lora.modules, temperature.
      DataAndShaping.DATASET_NAME, DataAndShaping.DATASET_PATH, DataAndShaping.SHAREGPT_OUTPUT_LEN,
      DataAndShaping.EXTRA_BODY, DataAndShaping.EXTRA_HEADERS, DataAndShaping.LORA_MODULES,
      DataAndShaping.TEMPERATURE,
      // Shared prefixes (issue 31, SharedPrefixDataset): dataset.name=generated-shared-prefix|prefix-repetition and
      // the settings of each, as bench_serving's --gsp-* and vLLM's --prefix-repetition-* name them.
      "gsp.num.groups", "gsp.prompts.per.group", "gsp.system.prompt.len", "gsp.question.len",
      "gsp.output.len", "prefix.repetition.prefix.len", "prefix.repetition.suffix.len",
      "prefix.repetition.num.prefixes", "prefix.repetition.output.len",
      // Trace replay (TraceSettings, docs/workloads.md "Trace replay"): arrivals and lengths from a trace file.
      TraceSettings.PATH, TraceSettings.FORMAT, TraceSettings.SPEED, TraceSettings.MAX_REQUESTS,
      TraceSettings.BLOCK_TOKENS, TraceSettings.SEC_MULTIPLIER,
      // Multi-turn sessions (SessionSettings, MultiTurnSimulation, docs/workloads.md "Multi-turn sessions").
      SessionSettings.COUNT, SessionSettings.TURNS, SessionSettings.USER_LEN, SessionSettings.OUTPUT_LEN,
      SessionSettings.SYSTEM_LEN, SessionSettings.THINK_MS,
      // The load generator's own threads (StreamLoops, docs/injector-efficiency.md).
      STREAM_LOOPS);

  public static BenchConfig from(Props p) {
    rejectTypos(p);
    String raw = p.raw("target.url");
    String url = raw == null ? null : targetUrl(raw);
    Backend backend = p.enumValue("backend", Backend.class, Backend.OPENAI_CHAT);
    String framework = p.string("framework", url == null ? "emulator" : backend.wireName());
    if (!framework.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigException("framework must be a folder-safe label (letters, digits, '.', '_', '-'), but was \""
          + framework + "\"");
    }
    Path promptFile = null;
    if (p.has("prompt.file")) {
      promptFile = Path.of(p.raw("prompt.file"));
      if (!Files.isReadable(promptFile)) {
        throw new ConfigException("prompt.file " + promptFile.toAbsolutePath() + " does not exist or is not readable");
      }
    }
    return new BenchConfig(
        url,
        framework,
        backend,
        p.raw("model"),
        p.string("profile", "random-1024-1024").toLowerCase(Locale.ROOT),
        p.enumValue("size", Size.class, Size.SMOKE),
        p.has("num.prompts") ? p.integer("num.prompts", 0, 1, 10_000_000) : null,
        p.has("max.concurrency") ? p.integer("max.concurrency", 0, 1, 1_000_000) : null,
        rates(p.string("request.rate", "inf")),
        p.decimal("burstiness", 1.0, 1e-3, 1e3),
        p.enumValue("arrival.schedule", Arrivals.Schedule.class, Arrivals.Schedule.BENCH_SERVING),
        p.has("random.input.len") ? p.integer("random.input.len", 0, 1, 10_000_000) : null,
        p.has("random.output.len") ? p.integer("random.output.len", 0, 1, 10_000_000) : null,
        p.has("random.range.ratio") ? p.decimal("random.range.ratio", 0, 0, 1) : null,
        p.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
        promptFile,
        p.integer("warmup.requests", 1, 0, 1_000),
        Duration.ofSeconds(p.integer("health.timeout.sec", 60, 0, 86_400)),
        Duration.ofSeconds(p.integer("request.timeout.sec", 1_800, 1, 86_400)),
        p.has("max.model.len") ? p.integer("max.model.len", 0, 2, Integer.MAX_VALUE) : null,
        p.has("server.hardware") ? serverHardware(p.raw("server.hardware")) : null,
        p.has("server.log") ? readable("server.log", p.raw("server.log"),
            "the serving engine's log saved to a file, e.g. docker logs vllm > vllm.log") : null,
        validity(p),
        p.bool(ValidityThresholds.STRICT, false),
        breaker(p),
        p.has("tokenizer") ? tokenizer(p.raw("tokenizer")) : null,
        p.bool("http.keepalive", true),
        p.bool("quiet", false),
        p.has("slo") ? slo(p.raw("slo")) : null,
        p.has("slice.sec") ? sliceSec(p) : null,
        p.bool("stop.on.saturation", false),
        TelemetrySettings.from(p),
        p.bool(ITL_ROWS, false),
        Sharding.from(p, System::getenv, java.time.Instant.now()),
        DataAndShaping.dataset(p, p.has("random.output.len") ? p.integer("random.output.len", 0, 1, 10_000_000) : null),
        DataAndShaping.shaping(p),
        SharedPrefixDataset.from(p, p.has("num.prompts") ? p.integer("num.prompts", 0, 1, 10_000_000) : null),
        TraceSettings.from(p),
        SessionSettings.from(p),
        p.has(STREAM_LOOPS) ? p.integer(STREAM_LOOPS, 0, 1, 256) : null);
  }

  /** {@code -Dslice.sec}, checked: one line saying what is wrong and what to give instead. */
  static double sliceSec(Props p) {
    try {
      return p.decimal("slice.sec", 0, 0.001, 86_400);
    } catch (ConfigException e) {
      throw new ConfigException(e.getMessage() + " (-Dslice.sec is the length of each time slice in seconds, as "
          + "AIPerf's --slice-duration: e.g. -Dslice.sec=10)", e);
    }
  }

  /** {@code -Dslo}, parsed and checked: one line saying what is wrong and what to give instead. */
  static Slo slo(String raw) {
    try {
      return Slo.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("slo " + e.getMessage() + " (-Dslo takes objectives in ms, as vLLM's --goodput: "
          + "e.g. -Dslo=ttft:200,tpot:50,e2el:20000)", e);
    }
  }

  /** The circuit breaker's settings; an unknown {@code breaker.*} key is refused, as it would silently do nothing. */
  static CircuitBreaker.Settings breaker(Props p) {
    for (String key : p.keysWithPrefix("breaker.")) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown property " + key + "; the breaker properties are "
            + KEYS.stream().filter(k -> k.startsWith("breaker.")).sorted().toList());
      }
    }
    CircuitBreaker.Settings d = CircuitBreaker.Settings.DEFAULTS;
    double rate = p.decimal(CircuitBreaker.ERROR_RATE, d.errorRate(), 0, 1);
    if (rate == 0) {
      throw new ConfigException(CircuitBreaker.ERROR_RATE + " must be a share of failed requests in (0, 1] (1 never "
          + "trips on the rate; " + CircuitBreaker.ENABLED + "=false turns the breaker off), but was "
          + p.raw(CircuitBreaker.ERROR_RATE));
    }
    return new CircuitBreaker.Settings(p.bool(CircuitBreaker.ENABLED, d.enabled()),
        p.integer(CircuitBreaker.CONSECUTIVE, d.consecutiveFailures(), 1, 1_000_000), rate,
        p.integer(CircuitBreaker.WINDOW, d.windowRequests(), 1, 1_000_000));
  }

  /** The validity thresholds; an unknown {@code validity.*} key is refused, as it would silently do nothing. */
  static ValidityThresholds validity(Props p) {
    for (String key : p.keysWithPrefix("validity.")) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown property " + key + "; the validity properties are "
            + KEYS.stream().filter(k -> k.startsWith("validity.")).sorted().toList());
      }
    }
    ValidityThresholds d = ValidityThresholds.DEFAULTS;
    return new ValidityThresholds(
        p.decimal(ValidityThresholds.LOOP_LAG, d.loopLagMs(), 0, 3_600_000),
        p.decimal(ValidityThresholds.READ_LAG, d.readLagMs(), 0, 3_600_000),
        p.decimal(ValidityThresholds.SEND_LAG, d.sendLagMs(), 0, 3_600_000),
        p.decimal(ValidityThresholds.GC_PAUSE, d.gcPauseMs(), 0, 3_600_000),
        cpuShare(p, d.cpuShare()));
  }

  /**
   * {@code -Dtarget.url} checked and without a trailing slash. A URL that carries credentials is
   * refused, and no message repeats them. A path is kept as a prefix (a server behind a gateway), but
   * one ending in {@code /v1}, as OpenAI clients' base URLs do, is refused: the API's path is added
   * to it, and every request would go to {@code /v1/v1/...}. So is a query or a fragment, which the
   * added path would end up inside.
   */
  static String targetUrl(String url) {
    String shown = Urls.hideCredentials(url);
    if (!shown.equals(url)) {
      throw new ConfigException("target.url must not carry credentials (was " + shown
          + "); pass the key with -Dapi.key or OPENAI_API_KEY");
    }
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
          || uri.getRawUserInfo() != null) {
        throw new ConfigException("target.url must be an http(s) URL such as http://127.0.0.1:30000, but was \""
            + url + "\"");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        // Not echoed: a query may carry a key.
        throw new ConfigException("target.url must have no query or fragment: the API's path is added to it");
      }
      String s = uri.toString().replaceAll("/+$", "");
      if (s.endsWith("/v1")) {
        throw new ConfigException("target.url must not end with /v1, as the API's path (/v1/chat/completions, ...)"
            + " is added to it: use -Dtarget.url=" + s.substring(0, s.length() - 3));
      }
      return s;
    } catch (URISyntaxException e) {
      throw new ConfigException("target.url is not a valid URL: \"" + url + "\" (" + e.getReason() + ")", e);
    }
  }

  private static double cpuShare(Props p, double defaultValue) {
    double share = p.decimal(ValidityThresholds.CPU_SHARE, defaultValue, 0, 1);
    if (share == 0) {
      throw new ConfigException(ValidityThresholds.CPU_SHARE + " must be in (0, 1], a share of all cores, but was "
          + p.raw(ValidityThresholds.CPU_SHARE));
    }
    return share;
  }

  /** A file the run reads, checked before the load starts. */
  static Path readable(String key, String raw, String what) {
    Path file = Path.of(raw);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(key + " " + file.toAbsolutePath() + " does not exist or is not a readable file: give "
          + what);
    }
    return file.toAbsolutePath();
  }

  /**
   * {@code -Dtokenizer}: a file, or a folder holding {@code tokenizer.json}, checked before anything
   * else; whether it is a tokenizer is checked when it is loaded, also before the load starts.
   */
  static Path tokenizer(String raw) {
    Path path = Path.of(raw).toAbsolutePath();
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("tokenizer " + path + (Files.isDirectory(path) ? " is a folder without a tokenizer.json"
          : " does not exist or is not a readable file") + ": give the served model's tokenizer.json or the model "
          + "folder holding it");
    }
    return path;
  }

  /** A label of one short line: it goes into metadata.json, the baseline and its warning lines. */
  static String serverHardware(String label) {
    if (label.length() > 200 || label.chars().anyMatch(BenchConfig::breaksALine)) {
      String shown = label.chars().map(c -> breaksALine(c) ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
      throw new ConfigException("server.hardware must be a label of one line of at most 200 characters (e.g. "
          + "\"8x H100 80GB\"), but was \"" + (shown.length() > 60 ? shown.substring(0, 60) + "...\" ("
          + label.length() + " characters)" : shown + "\""));
    }
    return label;
  }

  /** Control, line and paragraph separators and format characters: they would break or hide a line. */
  private static boolean breaksALine(int c) {
    int type = Character.getType(c);
    return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }

  /**
   * A property one or two edits away from one of ours ({@code max.concurency}) is almost surely a
   * typo that would silently run with the default: refuse it and name the intended key.
   */

  static void rejectTypos(Props p) {
    for (String key : p.keys()) {
      if (KEYS.contains(key)) {
        continue;
      }
      for (String known : KEYS) {
        if (Math.abs(known.length() - key.length()) <= 2 && editDistance(key, known) <= 2) {
          throw new ConfigException("unknown property " + key + "; did you mean " + known + "?");
        }
      }
    }
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static List<Double> rates(String value) {
    List<Double> rates = new ArrayList<>();
    for (String part : value.split(",")) {
      String s = part.trim().toLowerCase(Locale.ROOT);
      double r;
      if (s.equals("inf") || s.equals("infinity")) {
        r = Double.POSITIVE_INFINITY;
      } else {
        try {
          r = Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new ConfigException("request.rate must be requests per second, 'inf', or a comma-separated list of "
              + "these, but was \"" + value + "\"", e);
        }
      }
      if (!(r > 0)) {
        throw new ConfigException("request.rate values must be > 0 (or 'inf'), but got " + part.trim());
      }
      if (rates.contains(r)) {
        throw new ConfigException("request.rate lists " + part.trim() + " twice; each step needs its own rate");
      }
      rates.add(r);
    }
    return List.copyOf(rates);
  }

  /** The dataset and request shaping for the start line; header values that look like secrets not shown. */
  private String describeDataAndShaping() {
    StringBuilder s = new StringBuilder();
    if (dataset != null) {
      s.append(" dataset.name=").append(dataset.format().wireName()).append(" dataset.path=").append(dataset.path());
    }
    if (shaping.recordedExtraBody() != null) {
      s.append(" extra.body=").append(shaping.recordedExtraBody());
    }
    if (shaping.recordedHeaders() != null) {
      s.append(" extra.headers=\"").append(shaping.recordedHeaders()).append('"');
    }
    if (shaping.recordedLoraModules() != null) {
      s.append(" lora.modules=").append(shaping.recordedLoraModules());
    }
    if (shaping.temperature() != null) {
      s.append(" temperature=").append(shaping.temperature());
    }
    return s.toString();
  }

  /** One line per parameter, for the start of the run's console output (no API key). */
  public String describe() {
    return describe(profile);
  }

  /**
   * As {@link #describe()}, with the profile the simulation runs: the matrix simulation's is
   * {@code matrix} whatever {@code -Dprofile} says (its default is a serving profile).
   */
  public String describe(String runProfile) {
    return describe(runProfile, true);
  }

  /**
   * As {@link #describe(String)}; without bench_serving's load ({@code max.concurrency},
   * {@code request.rate}, {@code burstiness}, {@code warmup.requests}) when {@code benchServingLoad} is
   * false: a simulation's own injection profile sends the load, and only the prompts' settings apply.
   */
  public String describe(String runProfile, boolean benchServingLoad) {
    String load = !benchServingLoad ? "" : String.format(Locale.ROOT,
        " max.concurrency=%s request.rate=%s burstiness=%s%s", maxConcurrency == null ? "(profile)" : maxConcurrency,
        requestRates.stream().map(r -> r.isInfinite() ? "inf" : String.valueOf(r)).toList(), burstiness,
        arrivalSchedule == Arrivals.Schedule.BENCH_SERVING ? "" : " arrival.schedule=" + arrivalSchedule.wireName());
    return String.format(Locale.ROOT,
        "framework=%s backend=%s profile=%s size=%s num.prompts=%s%s seed=%d%s validity: %s%s %s%s%s%s%s%s%s%s",
        framework, backend.wireName(), runProfile, size.name().toLowerCase(Locale.ROOT),
        numPrompts == null ? "(profile)" : numPrompts, load, seed,
        benchServingLoad ? " warmup.requests=" + warmupRequests : "", validity.describe(), validityStrict ? " (strict)" : "",
        breaker.describe(),
        promptFile == null ? "" : " prompt.file=" + promptFile,
        model == null ? "" : " model=" + model,
        tokenizer == null ? "" : " tokenizer=" + tokenizer,
        httpKeepAlive ? "" : " http.keepalive=false",
        slo == null ? "" : " slo=" + slo.canonical(),
        sliceSec == null ? "" : " slice.sec=" + sliceSec,
        itlRows ? " " + ITL_ROWS + "=true" : "") + sharding.describe() + describeDataAndShaping()
        + (sharedPrefix == null ? "" : " dataset=" + sharedPrefix.describe()) + (trace == null ? "" : trace.describe())
        + (streamLoops == null ? "" : " " + STREAM_LOOPS + "=" + streamLoops);
  }

}
