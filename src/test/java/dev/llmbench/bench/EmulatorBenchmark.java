package dev.llmbench.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.emulator.GroundTruth;
import dev.llmbench.llm.Phase;
import dev.llmbench.tokenizer.WordTokenizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Capacity benchmark of the embedded LLM serving emulator: can it hold {@code N} concurrent token
 * streams on this machine without being the bottleneck (issue requirement: on 2 cores, at least 1,000
 * concurrent streams, at least 50,000 token events per second, scheduling delay under 1 ms at the
 * median)?
 *
 * <p>Not a JUnit test: a main class, run on purpose. The emulator runs in a <b>separate JVM</b> started
 * by this class ({@code dev.llmbench.emulator.EmulatorMain}), so the CPU of server and client is
 * measured apart; this JVM is a lean Netty 4.2 HTTP/1.1 client with one connection per stream.
 *
 * <h2>How to run</h2>
 *
 * <pre>
 *   mvn -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *       -Dexec.args="-Dstreams=1000 -cp %classpath dev.llmbench.bench.EmulatorBenchmark"
 * </pre>
 *
 * or, equivalently, with a plain {@code java}:
 *
 * <pre>
 *   mvn -q test-compile exec:exec@emulator-benchmark -Dbench.args="-Dstreams=1000"
 * </pre>
 *
 * {@code exec:exec} forks a clean JVM whose {@code java.class.path} is the project's test classpath.
 * All settings go into {@code -Dbench.args}, before {@code -classpath}: they are system properties
 * of the benchmark JVM.
 *
 * <p>The emulator's classpath is {@code -Dbench.classpath} if given, else the URLs of this class's
 * class loader if it is a {@code URLClassLoader} (so it also works inside {@code exec:java}), else
 * {@code java.class.path}; it is checked to contain {@code EmulatorMain}.
 *
 * <h2>Settings (system properties)</h2>
 *
 * <ul>
 *   <li>{@code streams} concurrent streams, one connection each (default 1000)
 *   <li>{@code tokens} output tokens per request, {@code ignore_eos} (default 512)
 *   <li>{@code prompt.tokens} prompt tokens per request (default 128)
 *   <li>{@code rounds} requests per connection, one after the other (default 3)
 *   <li>{@code client.threads} client event-loop threads (default 2)
 *   <li>{@code bench.timeout.s} give up after this many seconds (default 300)
 *   <li>{@code bench.server.jvmArgs} extra JVM options of the emulator process, space-separated, e.g.
 *       {@code -XX:StartFlightRecording=filename=target/emulator.jfr,settings=profile}
 *   <li>{@code bench.groundTruth} keep the emulator's ground-truth JSONL at this path (default: a
 *       temporary file, deleted)
 *   <li>{@code bench.out} Markdown output (default {@code target/emulator-benchmark.md}); the
 *       emulator's console goes to {@code target/emulator-benchmark-server.log}
 *   <li>any {@code emulator.*} property is passed to the emulator, overriding the benchmark's timing
 *       model: {@code max.running=1024 kv.cache.tokens=4000000 decode.step.base.us=4000
 *       decode.step.per.seq.us=10 prefill.tps=1000000} (1,000 decoding sequences make 14 ms steps,
 *       about 71,000 tokens/s; prefill fast so that the ramp is short)
 * </ul>
 *
 * <h2>What it measures</h2>
 *
 * <ul>
 *   <li><b>token events/s</b>: content events ({@code data:} lines with non-empty
 *       {@code delta.content}) received by the client, over the <i>steady window</i> (from the moment
 *       every stream has its first token until the first stream ends its last round), sampled every
 *       100 ms; also over the whole run
 *   <li><b>CPU</b>: the emulator process ({@code /proc/<pid>/stat} utime+stime) and this process
 *       ({@code OperatingSystemMXBean.getProcessCpuTime}) over the steady window, in cores and in
 *       percent of the machine, and the machine's busy share from {@code /proc/stat}
 *   <li><b>scheduling delay</b>: the emulator's ground truth {@code chunkLagNanos} (flush time minus
 *       the engine's planned time of each chunk) from its JSONL file, p50/p90/p99/max, for all chunks
 *       and for chunks flushed in the steady window
 *   <li><b>cross-check</b>: server flush to client receive of each chunk (same {@code nanoTime}
 *       clock on Linux), and client TTFT minus server TTFT
 * </ul>
 *
 * Exits 1 if any stream failed (error, wrong event count, missing {@code [DONE]}), 2 on a set-up
 * failure.
 */
public final class EmulatorBenchmark {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Settings.
  private final int streams = Integer.getInteger("streams", 1000);
  private final int tokens = Integer.getInteger("tokens", 512);
  private final int promptTokens = Integer.getInteger("prompt.tokens", 128);
  private final int rounds = Integer.getInteger("rounds", 3);
  private final int clientThreads = Integer.getInteger("client.threads", 2);
  private final long timeoutSeconds = Long.getLong("bench.timeout.s", 300);
  private final Path out = Paths.get(System.getProperty("bench.out", "target/emulator-benchmark.md"));
  private final String model = System.getProperty("model", "llm-serving-bench/emulated-8b");

  private final int warmupTokens = Integer.getInteger("warmup.tokens", 128);
  private final int warmupRounds = Integer.getInteger("warmup.rounds", 1);

  /** Client state of one phase (warm-up or measured run); handlers of that phase share it. */
  private final class Phase {
    final String name;
    final String idPrefix;
    final int tokens;
    final int rounds;
    final LongAdder contentEvents = new LongAdder();
    final AtomicInteger streamsWithFirstToken = new AtomicInteger();
    final AtomicLong allStreamsFlowingNanos = new AtomicLong();
    final AtomicLong firstStreamDoneNanos = new AtomicLong();
    final AtomicInteger completedRequests = new AtomicInteger();
    final AtomicInteger failedStreams = new AtomicInteger();
    final Map<String, long[]> clientTimes = new ConcurrentHashMap<>();
    final CountDownLatch streamsDone = new CountDownLatch(streams);

    Phase(String name, String idPrefix, int tokens, int rounds) {
      this.name = name;
      this.idPrefix = idPrefix;
      this.tokens = tokens;
      this.rounds = rounds;
    }
  }

  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  private Phase measured;
  private double idleCheck;

  private EmulatorProcess server;

  public static void main(String[] args) throws Exception {
    int code;
    try {
      code = new EmulatorBenchmark().run();
    } catch (EmulatorProcess.SetupException e) {
      System.err.println("emulator benchmark: " + e.getMessage());
      code = 2;
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  private int run() throws Exception {
    Files.createDirectories(out.toAbsolutePath().getParent());
    String keep = System.getProperty("bench.groundTruth");
    Path groundTruth = keep != null ? Paths.get(keep).toAbsolutePath() : Files.createTempFile("emulator-benchmark-gt", ".jsonl");
    Path serverLog = out.toAbsolutePath().getParent().resolve("emulator-benchmark-server.log");
    idleCheck = EmulatorProcess.busyShareOverOneSecond();
    if (idleCheck > 0.1) {
      System.out.printf(Locale.ROOT, "warning: the machine was %.0f %% busy before the run; other processes will "
          + "distort the figures%n", 100 * idleCheck);
    }
    server = EmulatorProcess.start(serverProperties(), groundTruth, serverLog, System.getProperty("bench.server.jvmArgs"));
    int port = server.port();
    System.out.printf(Locale.ROOT, "emulator pid %d on port %d; %d streams x %d rounds, %d prompt + %d output tokens%n",
        server.pid(), port, streams, rounds, promptTokens, tokens);

    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(clientThreads, new DefaultThreadFactory("bench-client", true), io);
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);

    if (warmupRounds > 0) {
      Phase warmup = new Phase("warm-up", "w", warmupTokens, warmupRounds);
      long t = System.nanoTime();
      runPhase(bootstrap, port, warmup);
      System.out.printf(Locale.ROOT, "warm-up: %d requests of %d tokens in %.1f s, %d failed streams%n",
          warmup.completedRequests.get(), warmupTokens, (System.nanoTime() - t) / 1e9, warmup.failedStreams.get());
    }
    measured = new Phase("measured", "m", tokens, rounds);
    Sampler sampler = new Sampler(measured);
    sampler.sampleNow();
    Thread samplerThread = new Thread(sampler, "bench-sampler");
    samplerThread.setDaemon(true);
    samplerThread.start();
    runPhase(bootstrap, port, measured);
    sampler.stop = true;
    samplerThread.join();
    sampler.sampleNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    boolean serverAlive = server.isAlive();
    String stopProblem = server.stop();
    if (stopProblem != null) {
      errors.add(stopProblem);
    }

    Report report = analyse(sampler.samples, groundTruth, serverAlive, epoll);
    String table = report.markdown();
    System.out.println();
    System.out.println(table);
    Files.writeString(out, table, UTF_8);
    System.out.println("(written to " + out + "; emulator console in " + serverLog + ")");
    if (keep == null) {
      Files.deleteIfExists(groundTruth);
    }
    synchronized (errors) {
      errors.stream().limit(10).forEach(e -> System.err.println("error: " + e));
    }
    return measured.failedStreams.get() > 0 || measured.completedRequests.get() < streams * rounds ? 1 : 0;
  }

  /** The emulator's timing model for 1,000 streams (any {@code -Demulator.*} overrides it). */
  private Map<String, String> serverProperties() {
    Map<String, String> props = new LinkedHashMap<>(capacityTimingModel());
    props.put("emulator.model", model);
    return props;
  }

  /**
   * A timing model that lets 1,000 streams decode at once: 1,000 decoding sequences make 14 ms steps,
   * about 71,000 tokens/s; prefill is fast so that the ramp is short.
   */
  static Map<String, String> capacityTimingModel() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("emulator.max.running", "1024");
    props.put("emulator.kv.cache.tokens", "4000000");
    props.put("emulator.decode.step.base.us", "4000");
    props.put("emulator.decode.step.per.seq.us", "10");
    props.put("emulator.prefill.tps", "1000000");
    props.put("emulator.ground.truth.capacity", "0");
    return props;
  }

  /** Opens one connection per stream, runs the phase's rounds on each, waits for all; false on time-out. */
  private boolean runPhase(Bootstrap bootstrap, int port, Phase phase) throws InterruptedException {
    for (int i = 0; i < streams; i++) {
      StreamHandler handler = new StreamHandler(phase, i, port);
      bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline().addLast(new HttpClientCodec(), handler);
        }
      }).connect("127.0.0.1", port).addListener(f -> {
        if (!f.isSuccess()) {
          handler.fail("connect: " + f.cause());
        }
      });
    }
    if (phase.streamsDone.await(timeoutSeconds, TimeUnit.SECONDS)) {
      return true;
    }
    errors.add(phase.name + ": timed out after " + timeoutSeconds + " s with " + phase.streamsDone.getCount()
        + " streams unfinished");
    phase.failedStreams.addAndGet((int) phase.streamsDone.getCount());
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Client

  /** One connection, {@code rounds} streaming requests one after the other. */
  private final class StreamHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final Phase phase;
    private final int index;
    private final ByteBuf body;
    private final String hostHeader;
    private int round;
    private String requestId;
    private long[] times; // [0] = sent, [1..] = receipt of content event k-1
    private int events;
    private boolean done; // [DONE] seen
    private boolean failed;
    private boolean finished;
    private final byte[] line = new byte[256];
    private int lineLength;
    private boolean lineOverflow;

    StreamHandler(Phase phase, int index, int port) {
      this.phase = phase;
      this.index = index;
      this.hostHeader = "127.0.0.1:" + port;
      ObjectNode root = MAPPER.createObjectNode().put("model", model);
      root.putArray("messages").addObject().put("role", "user")
          .put("content", WordTokenizer.prompt(promptTokens, new Random(index)));
      root.put("max_tokens", phase.tokens).put("ignore_eos", true).put("stream", true);
      this.body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(root.toString().getBytes(UTF_8)));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      send(ctx.channel());
    }

    private void send(Channel ch) {
      requestId = phase.idPrefix + "-s" + index + "-r" + round;
      times = new long[phase.tokens + 2];
      events = 0;
      done = false;
      lineLength = 0;
      lineOverflow = false;
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions",
          body.duplicate());
      req.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .set(HttpHeaderNames.ACCEPT, "text/event-stream")
          .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
          .set("X-Request-Id", requestId);
      times[0] = System.nanoTime();
      ch.writeAndFlush(req).addListener(f -> {
        if (!f.isSuccess()) {
          fail("write: " + f.cause());
        }
      });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (failed) {
        return;
      }
      if (msg instanceof HttpResponse r && r.status().code() != 200) {
        fail("HTTP " + r.status());
        ctx.close();
        return;
      }
      if (msg instanceof HttpContent c) {
        scan(c.content(), System.nanoTime());
        if (msg instanceof LastHttpContent) {
          endOfResponse(ctx.channel());
        }
      }
    }

    /** Splits the body into lines and classifies each {@code data:} line. */
    private void scan(ByteBuf buf, long now) {
      for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) {
        byte b = buf.getByte(i);
        if (b == '\n') {
          if (lineLength > 0) {
            onLine(now);
          }
          lineLength = 0;
          lineOverflow = false;
        } else if (lineLength < line.length) {
          line[lineLength++] = b;
        } else {
          lineOverflow = true;
        }
      }
    }

    private void onLine(long now) {
      if (!startsWith("data: ")) {
        return;
      }
      if (!lineOverflow && lineLength == 12 && startsWith("data: [DONE]")) {
        done = true;
        return;
      }
      // vLLM chat: ..."delta":{"content":" word"}... ; the role chunk has "content":"" .
      int at = indexOf("\"content\":\"");
      if (at >= 0 && at + 11 < lineLength && line[at + 11] != '"') {
        if (events + 1 < times.length) {
          times[events + 1] = now;
        }
        events++;
        phase.contentEvents.increment();
        if (round == 0 && events == 1 && phase.streamsWithFirstToken.incrementAndGet() == streams) {
          phase.allStreamsFlowingNanos.set(now);
        }
      }
    }

    private boolean startsWith(String s) {
      if (lineLength < s.length()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        if (line[i] != s.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private int indexOf(String s) {
      outer:
      for (int i = 0; i + s.length() <= lineLength; i++) {
        for (int j = 0; j < s.length(); j++) {
          if (line[i + j] != s.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private void endOfResponse(Channel ch) {
      if (events != phase.tokens || !done) {
        fail(requestId + ": " + events + " content events (expected " + phase.tokens + ")"
            + (done ? "" : ", no [DONE]"));
        ch.close();
        return;
      }
      phase.clientTimes.put(requestId, times);
      phase.completedRequests.incrementAndGet();
      round++;
      if (round < phase.rounds) {
        send(ch);
      } else {
        phase.firstStreamDoneNanos.compareAndSet(0, System.nanoTime());
        finished = true;
        phase.streamsDone.countDown();
        ch.close();
      }
    }

    void fail(String why) {
      if (failed || finished) {
        return;
      }
      failed = true;
      errors.add(phase.name + " stream " + index + " round " + round + ": " + why);
      phase.failedStreams.incrementAndGet();
      phase.streamsDone.countDown();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail("connection closed early");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause.toString());
      ctx.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sampling

  private record Sample(long nanos, long events, long serverCpuNanos, long clientCpuNanos, long machineBusy,
      long machineTotal) {}

  private final class Sampler implements Runnable {
    final List<Sample> samples = new ArrayList<>();
    private final Phase phase;
    volatile boolean stop;
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    Sampler(Phase phase) {
      this.phase = phase;
    }

    @Override
    public void run() {
      long next = System.nanoTime();
      while (!stop) {
        next += 100_000_000L;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(sleep);
          } catch (InterruptedException e) {
            return;
          }
        }
        sampleNow();
      }
    }

    synchronized void sampleNow() {
      long[] machine = EmulatorProcess.machineJiffies();
      samples.add(new Sample(System.nanoTime(), phase.contentEvents.sum(), server.cpuNanos(), os.getProcessCpuTime(),
          machine[0], machine[1]));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Analysis

  private record Window(String name, long fromNanos, long toNanos, long events, double serverCores,
      double clientCores, double machineBusy) {
    double seconds() {
      return (toNanos - fromNanos) / 1e9;
    }

    double eventsPerSecond() {
      return events / seconds();
    }
  }

  private final class Report {
    Window steady;
    Window whole;
    int cores = Runtime.getRuntime().availableProcessors();
    boolean epoll;
    Histogram lagAll = histogram();
    Histogram lagSteady = histogram();
    /** Engine step delay: for each step (planned end), the lag of its first write. */
    final java.util.Map<Long, Long> stepFirstLag = new java.util.HashMap<>();
    final Histogram stepDelay = new Histogram(3_600_000_000_000L, 3);
    Histogram delivery = histogram();
    Histogram ttftDiff = histogram();
    int gtRequests;
    int gtWarmup;
    int gtOk;
    long gtChunks;
    String gtProblem;
    boolean serverAliveAtEnd;

    String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "### Emulator benchmark: %d streams x %d rounds, %d prompt + %d output tokens (after a warm-up of %d x %d tokens)%n%n",
          streams, rounds, promptTokens, tokens, warmupRounds, warmupTokens));
      sb.append(String.format(Locale.ROOT, "Machine: %d cores (%s), client %s with %d event loops, emulator in its own JVM "
          + "(pid %d).%n%n", cores, System.getProperty("os.arch"), epoll ? "epoll" : "NIO", clientThreads, server.pid()));
      sb.append("| Figure | Value |\n|---|---|\n");
      row(sb, "Streams completed / failed", (streams - measured.failedStreams.get()) + " / " + measured.failedStreams.get()
          + " (requests completed: " + measured.completedRequests.get() + " of " + streams * rounds + ")");
      if (steady != null) {
        row(sb, "Token events/s, steady window", String.format(Locale.ROOT, "%,.0f (%.1f s, %,d events)",
            steady.eventsPerSecond(), steady.seconds(), steady.events));
      }
      row(sb, "Token events/s, whole run", String.format(Locale.ROOT, "%,.0f (%.1f s, %,d events)",
          whole.eventsPerSecond(), whole.seconds(), whole.events));
      Window w = steady != null ? steady : whole;
      row(sb, "Emulator CPU (" + w.name + ")", cpu(w.serverCores));
      row(sb, "Client CPU (" + w.name + ")", cpu(w.clientCores));
      row(sb, "Machine busy (" + w.name + ")", String.format(Locale.ROOT, "%.0f %%", 100 * w.machineBusy));
      double others = w.machineBusy * cores - Math.max(0, w.serverCores) - w.clientCores;
      row(sb, "Other processes' CPU (" + w.name + ")", cpu(Math.max(0, others))
          + (others > 0.2 ? " **machine not quiet: figures are pessimistic**" : ""));
      row(sb, "Machine busy in the 1 s before the run", String.format(Locale.ROOT, "%.0f %%", 100 * idleCheck));
      row(sb, "Emulator CPU per 1k events", String.format(Locale.ROOT, "%.1f ms",
          w.serverCores * 1e3 / (w.eventsPerSecond() / 1e3)));
      row(sb, "Scheduling delay, all chunks (p50 / p90 / p99 / max)", quantiles(lagAll));
      if (steady != null) {
        row(sb, "Scheduling delay, steady window (p50 / p90 / p99 / max)", quantiles(lagSteady));
      }
      if (steady != null) {
        row(sb, "Engine step delay, steady window: first write of each step vs plan (p50 / p90 / p99 / max)",
            quantiles(stepDelay).replace(" chunks)", " steps)"));
      }
      row(sb, "Flush to client receipt (p50 / p90 / p99 / max)", quantiles(delivery));
      row(sb, "Client TTFT minus server TTFT (p50 / p99)", delivery.getTotalCount() == 0 ? "n/a"
          : String.format(Locale.ROOT, "%.3f ms / %.3f ms", ms(ttftDiff.getValueAtPercentile(50)),
              ms(ttftDiff.getValueAtPercentile(99))));
      row(sb, "Ground truth", gtProblem != null ? gtProblem
          : String.format(Locale.ROOT, "%,d requests (%,d ok), %,d chunks; %,d warm-up requests left out", gtRequests,
              gtOk, gtChunks, gtWarmup));
      if (!serverAliveAtEnd) {
        row(sb, "Emulator process", "**died during the run**");
      }
      boolean pass = steady != null && measured.failedStreams.get() == 0 && streams >= 1000
          && steady.eventsPerSecond() >= 50_000 && stepDelay.getTotalCount() > 0
          && stepDelay.getValueAtPercentile(50) < 1_000_000;
      sb.append(String.format(Locale.ROOT, "%nRequirement (>= 1,000 streams, >= 50,000 token events/s, median engine step "
          + "delay < 1 ms): **%s**%n", pass ? "met" : streams < 1000 ? "not tested at this size" : "NOT met"));
      sb.append(String.format(Locale.ROOT, "%nSteady window: from every stream having its first token to the first stream "
          + "ending its last round. Scheduling delay per chunk: the emulator's chunkLagNanos (flush time minus the engine "
          + "step's planned end); it includes the time the HTTP side takes to write a whole step, one socket after another. "
          + "Engine step delay: the lag of the first write of each step, i.e. how late the engine hands out a step. CPU in "
          + "cores (1.00 = one core busy all the time) and in %% of the %d-core machine.%n", cores));
      return sb.toString();
    }

    private String cpu(double coresUsed) {
      return coresUsed < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f cores (%.0f %% of machine)", coresUsed,
          100 * coresUsed / cores);
    }
  }

  private Report analyse(List<Sample> samples, Path groundTruth, boolean serverAlive, boolean epoll)
      throws IOException {
    Report r = new Report();
    r.epoll = epoll;
    r.serverAliveAtEnd = serverAlive;
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    r.whole = window("whole run", first, last);
    long t0 = measured.allStreamsFlowingNanos.get();
    long t1 = measured.firstStreamDoneNanos.get();
    if (t0 != 0 && t1 > t0) {
      Sample a = null;
      Sample b = null;
      for (Sample s : samples) {
        if (a == null && s.nanos >= t0) {
          a = s;
        }
        if (s.nanos <= t1) {
          b = s;
        }
      }
      if (a != null && b != null && b.nanos - a.nanos >= 500_000_000L) {
        r.steady = window("steady window", a, b);
      }
    }
    long from = r.steady != null ? r.steady.fromNanos : Long.MIN_VALUE;
    long to = r.steady != null ? r.steady.toNanos : Long.MAX_VALUE;

    try {
      GroundTruth.readFile(groundTruth, t -> {
        String id = t.clientRequestId() == null ? "" : t.clientRequestId();
        if (!id.startsWith(measured.idPrefix + "-")) {
          r.gtWarmup++;
          return; // warm-up
        }
        r.gtRequests++;
        if ("ok".equals(t.outcome())) {
          r.gtOk++;
        }
        long[] chunkNanos = t.chunkNanos();
        long[] lags = t.chunkLagNanos();
        r.gtChunks += lags.length;
        for (int i = 0; i < lags.length; i++) {
          long lag = Math.max(0, lags[i]);
          r.lagAll.recordValue(lag);
          long at = chunkNanos[i];
          if (at >= from && at <= to) {
            r.lagSteady.recordValue(lag);
            r.stepFirstLag.merge(at - lag, lag, Math::min);
          }
        }
        long[] client = measured.clientTimes.get(id);
        if (client != null && chunkNanos.length > 0) {
          for (int i = 0; i < chunkNanos.length && i + 1 < client.length && client[i + 1] != 0; i++) {
            r.delivery.recordValue(Math.max(0, client[i + 1] - chunkNanos[i]));
          }
          long clientTtft = client[1] - client[0];
          r.ttftDiff.recordValue(Math.max(0, clientTtft - t.ttftNanos()));
        }
      });
    } catch (IOException | RuntimeException e) {
      r.gtProblem = "cannot read ground truth: " + e;
    }
    r.stepFirstLag.values().forEach(r.stepDelay::recordValue);
    if (r.gtProblem == null && r.gtRequests == 0) {
      r.gtProblem = "ground-truth file is empty";
    }
    return r;
  }

  private Window window(String name, Sample a, Sample b) {
    double wall = b.nanos - a.nanos;
    double server = a.serverCpuNanos < 0 || b.serverCpuNanos < 0 ? -1 : (b.serverCpuNanos - a.serverCpuNanos) / wall;
    double client = (b.clientCpuNanos - a.clientCpuNanos) / wall;
    double busy = b.machineTotal > a.machineTotal
        ? (double) (b.machineBusy - a.machineBusy) / (b.machineTotal - a.machineTotal) : -1;
    return new Window(name, a.nanos, b.nanos, b.events - a.events, server, client, busy);
  }

  private static Histogram histogram() {
    return new Histogram(3_600_000_000_000L, 3);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String quantiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.3f / %.3f / %.3f / %.3f ms (%,d chunks)", ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getTotalCount());
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }
}
