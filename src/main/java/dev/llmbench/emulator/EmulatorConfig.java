package dev.llmbench.emulator;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Everything the emulator can be told. Immutable; build with {@link #builder()} or read from
 * {@code emulator.*} properties with {@link #fromProperties(Props)}.
 *
 * @param host address to bind; loopback unless told otherwise
 * @param port port to bind, 0 for any free port
 * @param model the served model id
 * @param maxModelLen most prompt + output tokens of one request
 * @param ioThreads Netty event-loop threads
 * @param transport the socket layer: {@code auto} takes io_uring where the kernel has it (a step's
 *     writes go to the kernel in a few calls), else epoll, else NIO
 * @param timing the engine's timing model
 * @param dialect stream shape of the OpenAI-compatible endpoints
 * @param reasoningTokens how many of a chat answer's first tokens are a reasoning model's thinking,
 *     streamed as {@code reasoning} deltas (vLLM since late 2025) or {@code reasoning_content} (the
 *     llama-cpp dialect, as llama.cpp's server sends DeepSeek-style thinking); 0, the default, for none
 * @param seed seed of every random choice (EOS lengths, sampled text, fault draws)
 * @param faultRates probability of each fault per request, 0 by default
 * @param groundTruthFile optional JSONL file receiving one ground-truth line per finished request
 * @param groundTruthCapacity most requests kept in memory for {@link GroundTruth} queries
 * @param dieAfterRequests 0 (the default) to serve for ever; else the emulator serves this many
 *     generation requests and, when the next one arrives, dies in the middle of the run: it stops
 *     listening and closes every connection, as a killed server does (tests of a run whose server dies)
 * @param tokenizer how prompt tokens are counted: {@code word} (one word one token, as the load
 *     generator's word tokenizer) or {@code subword} ({@link SubwordTokenizer}: words are not tokens)
 * @param tokenizeEndpoint whether {@code /tokenize} and {@code /detokenize} are served; false imitates a
 *     server without them (OpenAI's API, Ollama)
 * @param wireStyle how events are written on the wire: compact (the default, as vLLM, SGLang and
 *     llama.cpp write them) or in other forms JSON and SSE allow ({@link WireStyle})
 * @param closeAfterStreamMillis -1 (the default) keeps connections open; 0 or more closes each
 *     connection that many milliseconds after a streamed response's end, without {@code Connection: close}
 *     (as llama.cpp's server does), so that a client's next request is already on its way
 * @param keepAliveMax 0 (the default) for no limit; else the connection is closed (without
 *     {@code Connection: close}) after its M-th response
 * @param keepAliveTimeoutMillis 0 (the default) for none; else an idle connection is closed after that long
 * @param embeddingDim length of the {@code /v1/embeddings} vectors unless a request asks for fewer
 *     ({@code dimensions}); 384 by default, as a small sentence-embedding model's
 * @param driftPctPerMin run-wide latency drift, a slow leak: every engine step lasts this many percent
 *     longer per minute of the emulator's uptime ({@link LlmEmulator#advanceUptime}); 0 (the default) for none
 * @param memoryGrowthMbPerMin run-wide memory leak: {@code process_resident_memory_bytes} on {@code /metrics}
 *     grows by this many MiB per minute of uptime from its base of 2 GiB; 0 (the default) for none
 * @param oomAboveTokens 0 (the default) for off; else a scoring, rerank or embedding request putting
 *     more than this many tokens through the model is answered with the {@link Fault#OOM} error
 * @param accuracy null (the default) for off; else the share of GSM8K test questions answered right
 *     ({@code emulator.accuracy}, {@link Gsm8kAnswers}): a prompt whose last {@code Question:} is one of the
 *     shipped test questions gets a short chain of thought ending in the right number for a deterministic
 *     share of the questions, and in another number for the rest
 * @param prefixCacheBlockTokens 0 (the default) for no prefix cache; else the block size in tokens of the
 *     engine's automatic prefix cache ({@link PrefixCache}: {@code emulator.prefix.cache=true}, blocks of
 *     {@code emulator.prefix.cache.block}, 16 by default as vLLM's)
 */
public record EmulatorConfig(
    String host,
    int port,
    String model,
    int maxModelLen,
    int ioThreads,
    Transport transport,
    TimingModel timing,
    Dialect dialect,
    int reasoningTokens,
    long seed,
    Map<Fault, Double> faultRates,
    Path groundTruthFile,
    int groundTruthCapacity,
    long dieAfterRequests,
    Tokenizer tokenizer,
    boolean tokenizeEndpoint,
    WireStyle wireStyle,
    long closeAfterStreamMillis,
    int keepAliveMax,
    long keepAliveTimeoutMillis,
    int embeddingDim,
    double driftPctPerMin,
    double memoryGrowthMbPerMin,
    long oomAboveTokens,
    Double accuracy,
    int prefixCacheBlockTokens) {

  public static final String DEFAULT_MODEL = "llm-serving-bench/emulated-8b";

  /** How the emulator counts prompt tokens (its {@code /tokenize} and {@code usage.prompt_tokens}). */
  public enum Tokenizer {
    WORD(() -> WordTokens.INSTANCE),
    SUBWORD(SubwordTokenizer::get);

    private final Supplier<ServedTokenizer> served;

    Tokenizer(Supplier<ServedTokenizer> served) {
      this.served = served;
    }

    /** How this choice counts, tokenizes and detokenizes (the subword vocabulary is built on first use). */
    ServedTokenizer served() {
      return served.get();
    }
  }

  /** The socket layer of the emulator's server. */
  public enum Transport {
    AUTO,
    IO_URING,
    EPOLL,
    NIO
  }

  /** vLLM's default block size: the prefix cache's unit unless {@code emulator.prefix.cache.block} says otherwise. */
  public static final int DEFAULT_PREFIX_CACHE_BLOCK = 16;

  public EmulatorConfig {
    faultRates = Map.copyOf(faultRates);
    if (prefixCacheBlockTokens < 0) {
      throw new IllegalArgumentException("prefixCacheBlockTokens must be >= 0, but was " + prefixCacheBlockTokens);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
    }
    if (maxModelLen < 2) {
      throw new IllegalArgumentException("maxModelLen must be >= 2, but was " + maxModelLen);
    }
    if (timing.kvCacheTokens() < maxModelLen) {
      throw new IllegalArgumentException("kvCacheTokens (" + timing.kvCacheTokens()
          + ") must hold at least one request of maxModelLen (" + maxModelLen + ")");
    }
    if (reasoningTokens < 0) {
      throw new IllegalArgumentException("reasoningTokens must be >= 0, but was " + reasoningTokens);
    }
    if (accuracy != null && !(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException("accuracy must be in [0, 1], but was " + accuracy);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be >= 1, but was " + ioThreads);
    }
    for (Map.Entry<Fault, Double> e : faultRates.entrySet()) {
      if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
        throw new IllegalArgumentException("fault rate of " + e.getKey().wireName()
            + " must be in [0, 1], but was " + e.getValue());
      }
    }
    if (groundTruthCapacity < 0) {
      throw new IllegalArgumentException("groundTruthCapacity must be >= 0, but was " + groundTruthCapacity);
    }
    if (dieAfterRequests < 0) {
      throw new IllegalArgumentException("dieAfterRequests must be >= 0, but was " + dieAfterRequests);
    }
    if (closeAfterStreamMillis < -1) {
      throw new IllegalArgumentException("closeAfterStreamMillis must be -1 (off) or >= 0, but was "
          + closeAfterStreamMillis);
    }
    if (keepAliveMax < 0) {
      throw new IllegalArgumentException("keepAliveMax must be >= 0 (0: no limit), but was " + keepAliveMax);
    }
    if (keepAliveTimeoutMillis < 0) {
      throw new IllegalArgumentException("keepAliveTimeoutMillis must be >= 0 (0: none), but was "
          + keepAliveTimeoutMillis);
    }
    if (embeddingDim < 1 || embeddingDim > MAX_EMBEDDING_DIM) {
      throw new IllegalArgumentException("embeddingDim must be in [1, " + MAX_EMBEDDING_DIM + "], but was "
          + embeddingDim);
    }
    if (!(driftPctPerMin >= 0 && driftPctPerMin <= 1e6)) {
      throw new IllegalArgumentException("driftPctPerMin must be in [0, 1e6] (0: none), but was " + driftPctPerMin);
    }
    if (!(memoryGrowthMbPerMin >= 0 && memoryGrowthMbPerMin <= 1e9)) {
      throw new IllegalArgumentException("memoryGrowthMbPerMin must be in [0, 1e9] (0: none), but was "
          + memoryGrowthMbPerMin);
    }
    if (oomAboveTokens < 0) {
      throw new IllegalArgumentException("oomAboveTokens must be >= 0 (0: off), but was " + oomAboveTokens);
    }
  }

  /** The default length of embedding vectors, a small sentence-embedding model's (e.g. all-MiniLM-L6-v2). */
  public static final int DEFAULT_EMBEDDING_DIM = 384;
  /** The longest embedding vector served. */
  public static final int MAX_EMBEDDING_DIM = 65_536;

  public static EmulatorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.model = model;
    b.maxModelLen = maxModelLen;
    b.ioThreads = ioThreads;
    b.transport = transport;
    b.timing = timing;
    b.dialect = dialect;
    b.reasoningTokens = reasoningTokens;
    b.seed = seed;
    b.faultRates.putAll(faultRates);
    b.groundTruthFile = groundTruthFile;
    b.groundTruthCapacity = groundTruthCapacity;
    b.dieAfterRequests = dieAfterRequests;
    b.tokenizer = tokenizer;
    b.tokenizeEndpoint = tokenizeEndpoint;
    b.wireStyle = wireStyle;
    b.closeAfterStreamMillis = closeAfterStreamMillis;
    b.keepAliveMax = keepAliveMax;
    b.keepAliveTimeoutMillis = keepAliveTimeoutMillis;
    b.embeddingDim = embeddingDim;
    b.driftPctPerMin = driftPctPerMin;
    b.memoryGrowthMbPerMin = memoryGrowthMbPerMin;
    b.oomAboveTokens = oomAboveTokens;
    b.accuracy = accuracy;
    b.prefixCacheBlockTokens = prefixCacheBlockTokens;
    return b;
  }

  private static final String FAULT_RATE_PREFIX = "emulator.fault.rate.";

  /** The property keys {@link #fromProperties} understands (fault rates are {@code emulator.fault.rate.<fault>}). */
  public static final Set<String> PROPERTY_KEYS = Set.of(
      "emulator.host", "emulator.port", "emulator.model", "emulator.max.model.len", "emulator.io.threads",
      "emulator.transport",
      "emulator.prefill.tps", "emulator.decode.step.base.us", "emulator.decode.step.per.seq.us",
      "emulator.max.running", "emulator.kv.cache.tokens", "emulator.prefill.chunk.tokens",
      "emulator.tokens.per.chunk", "emulator.mean.output.tokens", "emulator.dialect", "emulator.seed",
      "emulator.reasoning.tokens",
      "emulator.ground.truth.file", "emulator.ground.truth.capacity", "emulator.die.after.requests",
      "emulator.tokenizer", "emulator.tokenize.endpoint", "emulator.wire.style",
      "emulator.close.after.stream.ms", "emulator.keepalive.max", "emulator.keepalive.timeout.ms",
      "emulator.embedding.dim", "emulator.fault.drift.pct.per.min", "emulator.fault.memory.growth.mb.per.min",
      "emulator.fault.oom.above.tokens", "emulator.accuracy",
      // The prefix cache (issue 31, shared prefixes).
      "emulator.prefix.cache", "emulator.prefix.cache.block");

  /**
   * Reads {@code emulator.*} properties; absent ones keep their defaults, unknown {@code emulator.*}
   * keys and bad values are errors naming the key.
   */
  public static EmulatorConfig fromProperties(Props p) {
    checkKeys(p);
    int maxModelLen = p.integer("emulator.max.model.len", 32_768, 2, Integer.MAX_VALUE);
    Builder b = builder()
        .host(p.string("emulator.host", "127.0.0.1"))
        .port(p.integer("emulator.port", 0, 0, 65_535))
        .model(p.string("emulator.model", DEFAULT_MODEL))
        .maxModelLen(maxModelLen)
        .ioThreads(p.integer("emulator.io.threads", defaultIoThreads(), 1, 256))
        .transport(p.enumValue("emulator.transport", Transport.class, Transport.AUTO))
        .dialect(p.enumValue("emulator.dialect", Dialect.class, Dialect.VLLM))
        .reasoningTokens(p.integer("emulator.reasoning.tokens", 0, 0, Integer.MAX_VALUE))
        .seed(p.longValue("emulator.seed", 42, Long.MIN_VALUE, Long.MAX_VALUE))
        .groundTruthCapacity(p.integer("emulator.ground.truth.capacity", 100_000, 0, Integer.MAX_VALUE))
        .closeAfterStreamMillis(p.longValue("emulator.close.after.stream.ms", -1, -1, 3_600_000))
        .keepAliveMax(p.integer("emulator.keepalive.max", 0, 0, Integer.MAX_VALUE))
        .keepAliveTimeoutMillis(p.longValue("emulator.keepalive.timeout.ms", 0, 0, 86_400_000))
        .dieAfterRequests(p.longValue("emulator.die.after.requests", 0, 0, Long.MAX_VALUE))
        .tokenizer(p.enumValue("emulator.tokenizer", Tokenizer.class, Tokenizer.WORD))
        .tokenizeEndpoint(p.bool("emulator.tokenize.endpoint", true))
        .embeddingDim(p.integer("emulator.embedding.dim", DEFAULT_EMBEDDING_DIM, 1, MAX_EMBEDDING_DIM))
        .driftPctPerMin(p.decimal("emulator.fault.drift.pct.per.min", 0, 0, 1e6))
        .memoryGrowthMbPerMin(p.decimal("emulator.fault.memory.growth.mb.per.min", 0, 0, 1e9))
        .oomAboveTokens(p.longValue("emulator.fault.oom.above.tokens", 0, 0, Long.MAX_VALUE));
    String wire = p.raw("emulator.wire.style");
    if (wire != null) {
      b.wireStyle(WireStyle.parse("emulator.wire.style", wire));
    }
    String file = p.raw("emulator.ground.truth.file");
    if (file != null) {
      b.groundTruthFile(Path.of(file));
    }
    b.timing(timing(p, maxModelLen));
    // Off by default: with it on, a run of repeated prompts (a small prompt file, a fixed seed) would get
    // faster than the timing model says, and runs and baselines recorded before it would no longer compare.
    int block = p.integer("emulator.prefix.cache.block", DEFAULT_PREFIX_CACHE_BLOCK, 1, maxModelLen);
    if (p.has("emulator.prefix.cache.block") && !p.bool("emulator.prefix.cache", false)) {
      throw new ConfigException("emulator.prefix.cache.block=" + block
          + " needs emulator.prefix.cache=true (the prefix cache is off by default)");
    }
    b.prefixCacheBlockTokens(p.bool("emulator.prefix.cache", false) ? block : 0);
    if (p.has("emulator.accuracy")) {
      b.accuracy(p.decimal("emulator.accuracy", 0, 0, 1));
    }
    for (Fault f : Fault.values()) {
      String key = FAULT_RATE_PREFIX + f.wireName();
      if (p.has(key)) {
        b.faultRate(f, p.decimal(key, 0, 0, 1));
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("emulator configuration: " + e.getMessage(), e);
    }
  }

  /** Refuses an {@code emulator.*} key that is none of ours, naming the valid ones. */
  private static void checkKeys(Props p) {
    List<String> faultNames = Arrays.stream(Fault.values()).map(Fault::wireName).toList();
    for (String key : p.keysWithPrefix("emulator.")) {
      boolean faultRate = key.startsWith(FAULT_RATE_PREFIX)
          && faultNames.contains(key.substring(FAULT_RATE_PREFIX.length()));
      if (!PROPERTY_KEYS.contains(key) && !faultRate) {
        throw new ConfigException("unknown property " + key + "; valid: "
            + new TreeSet<>(PROPERTY_KEYS) + " and " + FAULT_RATE_PREFIX + "<"
            + String.join("|", faultNames) + ">");
      }
    }
  }

  /** The timing model from its properties, each absent one at {@link TimingModel#DEFAULT}'s value. */
  private static TimingModel timing(Props p, int maxModelLen) {
    TimingModel d = TimingModel.DEFAULT;
    double stepBaseMicros = p.decimal("emulator.decode.step.base.us", d.decodeStepBaseMicros(), 0, 1e9);
    double stepPerSeqMicros = p.decimal("emulator.decode.step.per.seq.us", d.decodeStepPerSequenceMicros(), 0, 1e9);
    if (stepBaseMicros + stepPerSeqMicros <= 0) {
      throw new ConfigException("emulator.decode.step.base.us + emulator.decode.step.per.seq.us must be > 0 "
          + "(a decode step must take some time), but both were 0");
    }
    long kvCacheTokens = p.longValue("emulator.kv.cache.tokens", d.kvCacheTokens(), 1, Long.MAX_VALUE);
    if (kvCacheTokens < maxModelLen) {
      throw new ConfigException("emulator.kv.cache.tokens (" + kvCacheTokens
          + ") must hold at least one request of emulator.max.model.len (" + maxModelLen + ")");
    }
    return new TimingModel(
        p.decimal("emulator.prefill.tps", d.prefillTokensPerSecond(), 1e-3, 1e12),
        stepBaseMicros,
        stepPerSeqMicros,
        p.integer("emulator.max.running", d.maxRunningSequences(), 1, 1_000_000),
        kvCacheTokens,
        p.integer("emulator.prefill.chunk.tokens", d.prefillChunkTokens(), 1, Integer.MAX_VALUE),
        p.integer("emulator.tokens.per.chunk", d.tokensPerChunk(), 1, 1_000_000),
        p.integer("emulator.mean.output.tokens", d.meanNaturalOutputTokens(), 1, Integer.MAX_VALUE));
  }

  static int defaultIoThreads() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** A one-line description for start-up logs. */
  public String describe() {
    return String.format(Locale.ROOT,
        "model=%s maxModelLen=%d transport=%s dialect=%s prefill=%.0f tok/s step=%.0f us + %.1f us/seq maxRunning=%d "
            + "kvCache=%d tokens prefillChunk=%d tokensPerChunk=%d%s seed=%d faults=%s%s",
        model, maxModelLen, transport.name().toLowerCase(Locale.ROOT).replace('_', '-'), dialect.name().toLowerCase(Locale.ROOT), timing.prefillTokensPerSecond(),
        timing.decodeStepBaseMicros(), timing.decodeStepPerSequenceMicros(), timing.maxRunningSequences(),
        timing.kvCacheTokens(), timing.prefillChunkTokens(), timing.tokensPerChunk(),
        // Only when set: runs and baselines from before the setting compare as before (this line is
        // a load parameter).
        reasoningTokens == 0 ? "" : " reasoningTokens=" + reasoningTokens, seed,
        faultRates.isEmpty() ? "off" : faultRates,
        dieAfterRequests == 0 ? "" : " dieAfterRequests=" + dieAfterRequests)
        + (tokenizer == Tokenizer.WORD ? "" : " tokenizer=" + tokenizer.name().toLowerCase(Locale.ROOT))
        + (tokenizeEndpoint ? "" : " tokenizeEndpoint=false")
        + (wireStyle.compact() ? "" : " wire=" + wireStyle.describe()) + describeConnections()
        + describePooling()
        + (prefixCacheBlockTokens > 0 ? " prefixCache=" + prefixCacheBlockTokens + "tok/block" : "");
  }

  /** The embedding and run-wide fault options, only those set (older runs' descriptions stay the same). */
  private String describePooling() {
    return (embeddingDim != DEFAULT_EMBEDDING_DIM ? " embeddingDim=" + embeddingDim : "")
        + (driftPctPerMin > 0 ? String.format(Locale.ROOT, " drift=%s%%/min", number(driftPctPerMin)) : "")
        + (memoryGrowthMbPerMin > 0 ? " memoryGrowth=" + number(memoryGrowthMbPerMin) + "MiB/min" : "")
        + (oomAboveTokens > 0 ? " oomAboveTokens=" + oomAboveTokens : "")
        + (accuracy != null ? " accuracy=" + number(accuracy) : "");
  }

  /** A decimal without a trailing {@code .0}. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** The connection-ending options, only those set (older runs' descriptions stay the same). */
  private String describeConnections() {
    return (closeAfterStreamMillis >= 0 ? " closeAfterStream=" + closeAfterStreamMillis + "ms" : "")
        + (keepAliveMax > 0 ? " keepAliveMax=" + keepAliveMax : "")
        + (keepAliveTimeoutMillis > 0 ? " keepAliveTimeout=" + keepAliveTimeoutMillis + "ms" : "");
  }

  /** Mutable builder; every field starts at its default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private String model = DEFAULT_MODEL;
    private int maxModelLen = 32_768;
    private int ioThreads = defaultIoThreads();
    private Transport transport = Transport.AUTO;
    private TimingModel timing = TimingModel.DEFAULT;
    private Dialect dialect = Dialect.VLLM;
    private int reasoningTokens = 0;
    private long seed = 42;
    private final Map<Fault, Double> faultRates = new EnumMap<>(Fault.class);
    private Path groundTruthFile;
    private int groundTruthCapacity = 100_000;
    private long dieAfterRequests = 0;
    private Tokenizer tokenizer = Tokenizer.WORD;
    private boolean tokenizeEndpoint = true;
    private WireStyle wireStyle = WireStyle.COMPACT;
    private long closeAfterStreamMillis = -1;
    private int keepAliveMax = 0;
    private long keepAliveTimeoutMillis = 0;
    private int embeddingDim = DEFAULT_EMBEDDING_DIM;
    private double driftPctPerMin = 0;
    private double memoryGrowthMbPerMin = 0;
    private long oomAboveTokens = 0;
    private Double accuracy;
    private int prefixCacheBlockTokens = 0;

    public Builder host(String v) { host = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder model(String v) { model = v; return this; }
    public Builder maxModelLen(int v) { maxModelLen = v; return this; }
    public Builder ioThreads(int v) { ioThreads = v; return this; }
    public Builder transport(Transport v) { transport = v; return this; }
    public Builder timing(TimingModel v) { timing = v; return this; }
    public Builder dialect(Dialect v) { dialect = v; return this; }
    public Builder reasoningTokens(int v) { reasoningTokens = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder faultRate(Fault f, double rate) { faultRates.put(f, rate); return this; }
    public Builder groundTruthFile(Path v) { groundTruthFile = v; return this; }
    public Builder groundTruthCapacity(int v) { groundTruthCapacity = v; return this; }
    public Builder dieAfterRequests(long v) { dieAfterRequests = v; return this; }
    public Builder tokenizer(Tokenizer v) { tokenizer = v; return this; }
    public Builder tokenizeEndpoint(boolean v) { tokenizeEndpoint = v; return this; }
    public Builder wireStyle(WireStyle v) { wireStyle = v; return this; }

    public Builder closeAfterStreamMillis(long v) { closeAfterStreamMillis = v; return this; }
    public Builder keepAliveMax(int v) { keepAliveMax = v; return this; }
    public Builder keepAliveTimeoutMillis(long v) { keepAliveTimeoutMillis = v; return this; }
    public Builder embeddingDim(int v) { embeddingDim = v; return this; }
    public Builder driftPctPerMin(double v) { driftPctPerMin = v; return this; }
    public Builder memoryGrowthMbPerMin(double v) { memoryGrowthMbPerMin = v; return this; }
    public Builder oomAboveTokens(long v) { oomAboveTokens = v; return this; }
    public Builder accuracy(Double v) { accuracy = v; return this; }
    /** 0 for no prefix cache, else its block size in tokens. */
    public Builder prefixCacheBlockTokens(int v) { prefixCacheBlockTokens = v; return this; }

    public EmulatorConfig build() {
      return new EmulatorConfig(host, port, model, maxModelLen, ioThreads, transport, timing, dialect,
          reasoningTokens, seed, faultRates, groundTruthFile, groundTruthCapacity, dieAfterRequests,
          tokenizer, tokenizeEndpoint, wireStyle, closeAfterStreamMillis, keepAliveMax,
          keepAliveTimeoutMillis, embeddingDim, driftPctPerMin, memoryGrowthMbPerMin, oomAboveTokens, accuracy,
          prefixCacheBlockTokens);
    }
  }
}
