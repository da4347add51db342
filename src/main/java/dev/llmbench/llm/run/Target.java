package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.stream.Backend;
import java.time.Duration;

/**
 * The server under test: {@code -Dtarget.url} when given, otherwise the embedded emulator started
 * in this JVM (configured by the {@code emulator.*} properties) and stopped when the run ends
 * ({@link #close()}, by the run's {@link LlmRun}). The API key comes from {@code -Dapi.key} or
 * {@code OPENAI_API_KEY} and is never printed.
 */
public final class Target implements AutoCloseable {
  private final String baseUrl;
  private final LlmEmulator emulator;
  private final String apiKey;
  /**
   * {@code -Dextra.headers}, sent with every request to the target, the probes before the load too: a
   * gateway that requires a header refuses a health check without it as it would a streamed request.
   */
  private java.util.Map<String, String> extraHeaders = java.util.Map.of();
  private String model;
  private String serverVersion;
  private boolean versionAsked;

  private Target(String baseUrl, LlmEmulator emulator, String apiKey) {
    this.baseUrl = baseUrl;
    this.emulator = emulator;
    this.apiKey = apiKey;
  }

  /** Stops the embedded emulator, if any; its ground truth stays readable. */
  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }

  /**
   * @param url the server's base URL as {@link BenchConfig#targetUrl()} validated it, or null for the
   *     embedded emulator (configured by {@code props})
   */
  static Target resolve(String url, Props props, String envApiKey) {
    String apiKey = props.string("api.key", envApiKey);
    if (apiKey != null && !apiKey.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      // It goes into a header line, where a line break would end the header early. Never printed.
      throw new ConfigException("api.key (or OPENAI_API_KEY) has a space, line break or non-ASCII character, which"
          + " cannot go in an HTTP header: check the key");
    }
    if (url != null) {
      return new Target(url, null, apiKey);
    }
    LlmEmulator emulator = new LlmEmulator(EmulatorConfig.fromProperties(props)).start();
    return new Target(emulator.baseUrl(), emulator, apiKey);
  }

  /** The headers every request to the target carries besides its own ({@code -Dextra.headers}); never null. */
  public java.util.Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  /** Base URL without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The embedded emulator, or {@code null} when a real server is the target. */
  public LlmEmulator emulator() {
    return emulator;
  }

  public boolean embedded() {
    return emulator != null;
  }

  /** The bearer key, or {@code null}. Never log it. */
  public String apiKey() {
    return apiKey;
  }

  /**
   * The model to ask for with {@code backend}: {@code -Dmodel} when given, else the embedded
   * emulator's, else for Triton ({@link Backend#TRT_LLM}, which lists no {@code /v1/models}) the one
   * its stream's path names, else the first id the server lists at {@code /v1/models} (as
   * bench_serving does). Resolved once: a run has one backend.
   */
  public synchronized String model(Backend backend) {
    if (model == null) {
      model = embedded() ? emulator.config().model()
          : backend == Backend.TRT_LLM ? Backend.TRITON_MODEL
          : ServerInfo.firstModelId(this);
    }
    return model;
  }

  /** The model of this run: the configured one ({@code -Dmodel}), else the server's. */
  public String model(BenchConfig config) {
    return config.model() != null ? config.model() : model(config.backend());
  }

  /**
   * The target of a run, healthy: the URL its configuration validated, or a new embedded emulator
   * configured by {@code props}; waits for a real server as the configuration says.
   */
  public static Target ready(BenchConfig config, Props props) {
    Target target = resolve(config.targetUrl(), props, System.getenv("OPENAI_API_KEY"));
    if (config.shaping() != null) {
      target.extraHeaders = config.shaping().extraHeaders();
    }
    if (!target.embedded()) { // the embedded emulator is healthy at once
      try {
        ServerInfo.awaitHealthy(target, config.backend(), config.healthTimeout());
      } catch (RuntimeException e) {
        target.close();
        throw e;
      }
    }
    return target;
  }

  /**
   * Why the server at {@code url} is not healthy after {@code timeout}, as a run would find it (its health
   * checks, one line), or null when it is: a framework comparison skips a server that is down.
   */
  public static String unhealthy(String url, Backend backend, Duration timeout) {
    try (Target target = resolve(BenchConfig.targetUrl(url), Props.of(java.util.Map.of()),
        System.getenv("OPENAI_API_KEY"))) {
      ServerInfo.awaitHealthy(target, backend, timeout);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  /**
   * The server's version as it reports it ({@code /version}, {@code /get_server_info}, {@code /info},
   * {@code /props}; the embedded emulator answers the first), or null when it reports none: asked once,
   * best effort, never failing the run.
   */
  public synchronized String serverVersion() {
    if (!versionAsked) {
      serverVersion = ServerInfo.version(this);
      versionAsked = true;
    }
    return serverVersion;
  }

  /** The server's context limit: {@code -Dmax.model.len} when given (caller's job), else what it lists, or null. */
  public Integer maxModelLen() {
    // Not a conditional expression: with the emulator's int on one side it would unbox the other
    // side's null (a server that lists no limit) into a NullPointerException.
    if (embedded()) {
      return emulator.config().maxModelLen();
    }
    return ServerInfo.maxModelLen(this);
  }

  /** For start-up logs: says where, never the key. */
  public String describe() {
    return (embedded() ? "embedded emulator at " : "") + baseUrl + (apiKey != null ? " (API key set)" : "");
  }
}
