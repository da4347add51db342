package dev.llmbench.emulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An OpenAI-compatible LLM serving emulator with the timing of a continuously-batching engine, on
 * Netty. Binds 127.0.0.1 on a free port by default; {@link #baseUrl()} says where after
 * {@link #start()}. Every request's real timing is kept in {@link #groundTruth()}.
 *
 * <pre>{@code
 * try (LlmEmulator emulator = new LlmEmulator(EmulatorConfig.defaults()).start()) {
 *   String url = emulator.baseUrl(); // e.g. http://127.0.0.1:41234
 * }
 * }</pre>
 */
public final class LlmEmulator implements Closeable {
  /** Largest request body accepted (a 64k-token prompt is well under this). */
  private static final int MAX_BODY_BYTES = 64 << 20;
  /** What {@code process_resident_memory_bytes} reports without memory growth: 2 GiB, a serving process's. */
  public static final long BASE_RESIDENT_MEMORY_BYTES = 2L << 30;

  private final EmulatorConfig config;
  private final GroundTruth groundTruth;
  private final RequestParser parser;
  private final Engine engine;
  private final Uptime uptime = new Uptime();
  private final LongAdder successStop = new LongAdder();
  private final LongAdder successLength = new LongAdder();
  private final LongAdder aborted = new LongAdder();
  private final LongAdder connectionsAccepted = new LongAdder();
  private final LongAdder droppedRequests = new LongAdder();
  private final Map<Fault, LongAdder> faults = new EnumMap<>(Fault.class);
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private int port = -1;
  private EmulatorConfig.Transport transport;
  /** Generation requests received, counted only when the emulator is to die ({@link EmulatorConfig#dieAfterRequests}). */
  private final AtomicLong generationRequests = new AtomicLong();
  /** Every accepted connection, kept only when the emulator is to die, so that it can close them all. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile boolean dead;

  public LlmEmulator(EmulatorConfig config) {
    this.config = config;
    this.groundTruth = new GroundTruth(config.groundTruthCapacity(), config.groundTruthFile());
    this.parser = new RequestParser(config);
    this.engine = new Engine(config.timing(), config.driftPctPerMin() > 0 ? this::stepDurationFactor : null,
        new OutputSink(this, new StreamFormat(config.dialect(), config.reasoningTokens())),
        config.prefixCacheBlockTokens());
    for (Fault f : Fault.values()) {
      faults.put(f, new LongAdder());
    }
  }

  /** Binds and starts serving; returns this. */
  public synchronized LlmEmulator start() {
    if (serverChannel != null) {
      return this;
    }
    EmulatorConfig.Transport transport = resolveTransport(config.transport());
    IoHandlerFactory io = switch (transport) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      default -> NioIoHandler.newFactory();
    };
    Class<? extends ServerChannel> channelType = switch (transport) {
      case IO_URING -> IoUringServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      default -> NioServerSocketChannel.class;
    };
    this.transport = transport;
    boss = new MultiThreadIoEventLoopGroup(1, new NamedThreads("emulator-accept"), io);
    workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), new NamedThreads("emulator-io"), io);
    engine.start();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (config.dieAfterRequests() > 0) {
              connections.add(ch);
            }
            connectionsAccepted.increment();
            HttpHandler handler = new HttpHandler(LlmEmulator.this);
            ch.pipeline().addLast(new HttpHandler.ArrivalStamp(handler), new HttpServerCodec(),
                new HttpObjectAggregator(MAX_BODY_BYTES), handler);
          }
        });
    try {
      serverChannel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("emulator cannot listen on " + config.host() + ":" + config.port() + ": "
          + e.getMessage() + " (choose another port with emulator.port, or 0 for any free one)", e);
    }
    port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    return this;
  }

  public int port() {
    if (port < 0) {
      throw new IllegalStateException("emulator not started");
    }
    return port;
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port();
  }

  public EmulatorConfig config() {
    return config;
  }

  public GroundTruth groundTruth() {
    return groundTruth;
  }

  /** The socket layer in use: {@code auto} resolved to what this machine has. */
  public EmulatorConfig.Transport transport() {
    return transport;
  }

  private static EmulatorConfig.Transport resolveTransport(EmulatorConfig.Transport wanted) {
    boolean uring = IoUring.isAvailable();
    boolean epoll = Epoll.isAvailable();
    switch (wanted) {
      case AUTO:
        return uring ? EmulatorConfig.Transport.IO_URING
            : epoll ? EmulatorConfig.Transport.EPOLL : EmulatorConfig.Transport.NIO;
      case IO_URING:
        if (!uring) {
          throw new IllegalStateException("emulator.transport=io-uring, but this machine has no io_uring ("
              + IoUring.unavailabilityCause() + "); use auto, epoll or nio");
        }
        return wanted;
      case EPOLL:
        if (!epoll) {
          throw new IllegalStateException("emulator.transport=epoll, but this machine has no epoll; use auto or nio");
        }
        return wanted;
      default:
        return wanted;
    }
  }

  /**
   * For tests of the run-wide faults ({@link EmulatorConfig#driftPctPerMin},
   * {@link EmulatorConfig#memoryGrowthMbPerMin}): from now on the emulator behaves as if it had been
   * up {@code by} longer, instead of a test waiting minutes for a drift to show.
   */
  public void advanceUptime(Duration by) {
    uptime.advance(by);
  }

  /** Minutes since the emulator was created, moved by {@link #advanceUptime}. */
  public double uptimeMinutes() {
    return uptime.minutes();
  }

  /**
   * What every engine step's duration is multiplied by now: {@code 1 + driftPctPerMin / 100 × uptime
   * minutes} (1 without drift).
   */
  public double stepDurationFactor() {
    return 1 + config.driftPctPerMin() / 100 * uptime.minutes();
  }

  /**
   * The resident memory {@code /metrics} reports now: {@link #BASE_RESIDENT_MEMORY_BYTES} plus
   * {@code memoryGrowthMbPerMin} MiB per minute of uptime.
   */
  public long residentMemoryBytes() {
    return BASE_RESIDENT_MEMORY_BYTES + Math.round(config.memoryGrowthMbPerMin() * (1 << 20) * uptime.minutes());
  }

  /** Connections accepted since start. */
  public long connectionsAccepted() {
    return connectionsAccepted.sum();
  }

  /**
   * Requests that arrived on a connection being closed ({@code emulator.close.after.stream.ms},
   * {@code emulator.keepalive.*}) and were dropped unread: a client must send them again.
   */
  public long droppedRequests() {
    return droppedRequests.sum();
  }

  void countDroppedRequest() {
    droppedRequests.increment();
  }

  /** Sequences in the running batch as of the last step (vllm:num_requests_running). */
  public int runningSequences() {
    return engine.runningCount;
  }

  /** Requests the last step left waiting for admission (vllm:num_requests_waiting); not those arrived since. */
  public int waitingRequests() {
    return engine.waitingCount;
  }

  /**
   * Called as a generation request arrives; true when the emulator is dead (or dies with this request,
   * the one after its {@link EmulatorConfig#dieAfterRequests}): it then stops listening and closes
   * every connection, this one too, with nothing answered.
   */
  boolean dies() {
    long limit = config.dieAfterRequests();
    if (limit == 0) {
      return false;
    }
    if (generationRequests.incrementAndGet() > limit && !dead) {
      synchronized (this) {
        if (!dead) {
          dead = true;
          if (serverChannel != null) {
            serverChannel.close();
          }
          connections.close();
        }
      }
    }
    return dead;
  }

  /** Whether the emulator died in the middle of a run ({@link EmulatorConfig#dieAfterRequests}). */
  public boolean dead() {
    return dead;
  }

  RequestParser parser() {
    return parser;
  }

  Engine engine() {
    return engine;
  }

  void countFault(Fault f) {
    faults.get(f).increment();
  }

  /** Records the end of a request once (event-loop thread). */
  void publish(Sequence s, long finishNanos, String outcome) {
    if (s.published) {
      return;
    }
    s.published = true;
    boolean answeredBeforeWork = s.fault != null && s.fault.answersBeforeWork(); // counted where answered
    if (s.fault != null && !"cancelled".equals(outcome) && !answeredBeforeWork) {
      countFault(s.fault);
    }
    if ("cancelled".equals(outcome) || outcome.equals("fault:disconnect")) {
      aborted.increment();
    } else if (!answeredBeforeWork) {
      ("stop".equals(s.finishReason) ? successStop : successLength).increment();
    }
    groundTruth.publish(s.trace.build(finishNanos, outcome));
  }

  /** What the emulator says its version is ({@code GET /version}, vLLM's shape): the project's, marked as the emulator's. */
  public static final String VERSION = dev.llmbench.config.BuildInfo.version() + "-emulator";

  String versionJson() {
    return "{\"version\":" + Json.quote(VERSION) + "}";
  }

  String modelsJson() {
    return "{\"object\":\"list\",\"data\":[{\"id\":" + Json.quote(config.model()) + ",\"object\":\"model\",\"created\":"
        + (System.currentTimeMillis() / 1000) + ",\"owned_by\":\"llm-serving-bench\",\"root\":"
        + Json.quote(config.model()) + ",\"parent\":null,\"max_model_len\":" + config.maxModelLen() + "}]}";
  }

  /**
   * Prometheus text exposition of the engine's real state (running and waiting requests, KV-cache usage,
   * token counters), with the names of the server the dialect stands in for: vLLM's by default, SGLang's
   * ({@code sglang:num_running_reqs}, ...) or llama.cpp's ({@code llamacpp:requests_processing}, ...).
   * Request outcomes, faults, resident memory and the emulator's own series follow, whatever the dialect.
   */
  String metricsText() {
    String labels = "{model_name=" + Json.quote(config.model()) + "}";
    StringBuilder sb = new StringBuilder(2048);
    double kv = (double) engine.kvUsedTokens / config.timing().kvCacheTokens();
    long prompt = engine.promptTokensTotal.sum();
    long generated = engine.generationTokensTotal.sum();
    switch (config.dialect()) {
      case SGLANG -> {
        gauge(sb, "sglang:num_running_reqs", "The number of running requests.", labels, engine.runningCount);
        gauge(sb, "sglang:num_queue_reqs", "The number of requests in the waiting queue.", labels, engine.waitingCount);
        gauge(sb, "sglang:token_usage", "The token usage.", labels, kv);
        gauge(sb, "sglang:num_used_tokens", "The number of used tokens.", labels, engine.kvUsedTokens);
        counter(sb, "sglang:prompt_tokens_total", "Number of prefill tokens processed.", labels, prompt);
        counter(sb, "sglang:generation_tokens_total", "Number of generation tokens processed.", labels, generated);
        if (config.prefixCacheBlockTokens() > 0) {
          // SGLang's gauge is the hit rate of its last prefill batch, not a running total.
          gauge(sb, "sglang:cache_hit_rate", "The prefix cache hit rate.", labels, engine.lastBatchHitRate);
        }
      }
      case LLAMA_CPP -> {
        // llama.cpp's server labels none of its series.
        counter(sb, "llamacpp:prompt_tokens_total", "Number of prompt tokens processed.", "", prompt);
        counter(sb, "llamacpp:tokens_predicted_total", "Number of generation tokens processed.", "", generated);
        gauge(sb, "llamacpp:kv_cache_usage_ratio", "KV-cache usage. 1 means 100 percent usage.", "", kv);
        gauge(sb, "llamacpp:requests_processing", "Number of requests processing.", "", engine.runningCount);
        gauge(sb, "llamacpp:requests_deferred", "Number of requests deferred.", "", engine.waitingCount);
      }
      default -> {
        gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", labels,
            engine.runningCount);
        gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, engine.waitingCount);
        gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, kv);
        gauge(sb, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage (legacy name of vllm:kv_cache_usage_perc).", labels,
            kv);
        counter(sb, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels, prompt);
        counter(sb, "vllm:generation_tokens_total", "Number of generation tokens processed.", labels, generated);
        if (config.prefixCacheBlockTokens() > 0) {
          counter(sb, "vllm:prefix_cache_queries_total",
              "Prefix cache queries, in terms of number of queried tokens.", labels, engine.prefixQueriedTokens.sum());
          counter(sb, "vllm:prefix_cache_hits_total",
              "Prefix cache hits, in terms of number of cached tokens.", labels, engine.prefixHitTokens.sum());
        }
      }
    }
    String model = "model_name=" + Json.quote(config.model());
    sb.append("# HELP vllm:request_success_total Count of successfully processed requests.\n")
        .append("# TYPE vllm:request_success_total counter\n");
    sb.append("vllm:request_success_total{finished_reason=\"stop\",").append(model).append("} ")
        .append(successStop.sum()).append('\n');
    sb.append("vllm:request_success_total{finished_reason=\"length\",").append(model).append("} ")
        .append(successLength.sum()).append('\n');
    sb.append("vllm:request_success_total{finished_reason=\"abort\",").append(model).append("} ")
        .append(aborted.sum()).append('\n');
    counter(sb, "emulator:engine_steps_total", "Engine steps run.", labels, engine.stepsTotal.sum());
    gauge(sb, "emulator:step_duration_factor",
        "Factor on every engine step's duration from emulator.fault.drift.pct.per.min (1: no drift).", labels,
        stepDurationFactor());
    sb.append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n")
        .append("# TYPE process_resident_memory_bytes gauge\n")
        .append("process_resident_memory_bytes ").append(residentMemoryBytes()).append('\n');
    sb.append("# HELP emulator:faults_injected_total Faults injected, by kind.\n# TYPE emulator:faults_injected_total counter\n");
    for (Map.Entry<Fault, LongAdder> e : faults.entrySet()) {
      sb.append("emulator:faults_injected_total{fault=\"").append(e.getKey().wireName()).append("\",").append(model)
          .append("} ").append(e.getValue().sum()).append('\n');
    }
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, String labels, double value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
        .append(name).append(labels).append(' ').append(String.format(Locale.ROOT, "%.6f", value)).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, String labels, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
        .append(name).append(labels).append(' ').append(value).append('\n');
  }

  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      serverChannel = null;
    }
    engine.stop();
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    groundTruth.close();
  }

  /** Daemon threads with a readable name, so a forgotten emulator never keeps a JVM alive. */
  private static final class NamedThreads extends DefaultThreadFactory {
    NamedThreads(String name) {
      super(name, true);
    }
  }
}
