package dev.llmbench.llm.run;

import dev.llmbench.config.Props;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.report.input.TelemetryFiles;
import dev.llmbench.telemetry.GpuSampler;
import dev.llmbench.telemetry.MetricsScraper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * One run's resources: its configuration, the server under test ({@link Target}, with the embedded
 * emulator when no URL is given), its files ({@link RunFiles}) and its self-monitor
 * ({@link RunMonitor}), made when its simulation is set up (the server must answer before the load
 * is planned: prompts are sized with it) and closed when the run ends. Gatling's components of the
 * run (the stream loops) are made for it once per run ({@code LlmProtocol}). Gatling makes a
 * simulation per run, and two runs in one JVM (the tests run many) share none of these.
 */
public final class LlmRun implements AutoCloseable {
  private final BenchConfig config;
  private final AccuracyConfig accuracyConfig;
  private final Target target;
  private final RunFiles files;
  private final RunMonitor monitor = new RunMonitor();
  private PromptSizer.Sizing sizing;
  private boolean announced;
  private boolean closed;

  private LlmRun(BenchConfig config, AccuracyConfig accuracyConfig, Target target, RunFiles files) {
    this.config = config;
    this.accuracyConfig = accuracyConfig;
    this.target = target;
    this.files = files;
  }

  /**
   * The run {@code props} describe ({@link BenchConfig}, {@code emulator.*}), its server healthy. The
   * results folder is {@code llmbench.results.dir} (the POM passes Gatling's), else {@code target/gatling}.
   */
  private final java.util.List<RunCheck> checks = new java.util.ArrayList<>();

  public static LlmRun open(Props props) {
    BenchConfig config = BenchConfig.from(props);
    AccuracyConfig accuracy = AccuracyConfig.from(props);
    Target target = Target.ready(config, props);
    return new LlmRun(config, accuracy, target, new RunFiles(Path.of(props.string("llmbench.results.dir", "target/gatling"))));
  }

  public BenchConfig config() {
    return config;
  }

  public Target target() {
    return target;
  }

  public RunFiles files() {
    return files;
  }

  public RunMonitor monitor() {
    return monitor;
  }

  /** The model asked for: {@code -Dmodel}, else the server's (read once, by {@link Target}). */
  public String model() {
    return target.model(config);
  }

  /** How prompts of N tokens are made N tokens of the served model, found once ({@link PromptSizer}). */
  public synchronized PromptSizer.Sizing sizing() {
    if (sizing == null) {
      sizing = PromptSizer.size(config, target, model(), false);
    }
    return sizing;
  }

  /**
   * The sizing of a run of pooling requests (scores, rerank, embeddings, plain completions): as
   * {@link #sizing()}, but no chat template is measured, since those APIs add none (the chat probe would
   * also fail on a server that serves embeddings alone). Whichever is asked first is the run's.
   */
  public synchronized PromptSizer.Sizing poolingSizing() {
    if (sizing == null) {
      sizing = PromptSizer.size(config, target, model(), true);
    }
    return sizing;
  }

  /** The accuracy gate's configuration ({@code -Daccuracy*}). */
  public AccuracyConfig accuracyConfig() {
    return accuracyConfig;
  }

  private AccuracyGate.Outcome accuracy;

  /**
   * The accuracy gate's outcome ({@link AccuracyGate}), asked once, before the load; null when the run has
   * no gate ({@code -Daccuracy} not given, or {@code -Daccuracy.skip=true}).
   */
  public synchronized AccuracyGate.Outcome accuracy() {
    if (accuracy == null && accuracyConfig.enabled()) {
      accuracy = AccuracyGate.run(accuracyConfig, target, config.backend(), model(), config.requestTimeout());
    }
    return accuracy;
  }

  /** The accuracy gate's outcome if it was asked, without asking it; null otherwise. */
  public synchronized AccuracyGate.Outcome accuracyIfAsked() {
    return accuracy;
  }

  /** How to end the load at once, given by the run's Gatling components when they are made. */
  private volatile java.util.function.Consumer<String> loadStopper;

  /** How to end the load at once (Gatling's stop of the load generator, not a crash), saying why. */
  public void stopLoadWith(java.util.function.Consumer<String> stopper) {
    this.loadStopper = stopper;
  }

  /**
   * Ends the load now, as Gatling's {@code stopLoadGenerator} step does: virtual users still waiting end,
   * the run's stats and its {@code after()} are kept. Before the run's components are made, nothing.
   */
  public void stopLoad(String why) {
    java.util.function.Consumer<String> stopper = loadStopper;
    if (stopper != null) {
      stopper.accept(why);
    }
  }

  /** The server's scraped {@code /metrics} pages, in the run folder ({@link MetricsScraper}'s format). */
  public static final String SERVER_METRICS_FILE = TelemetryFiles.SERVER_METRICS;
  /** The GPUs' samples, in the run folder ({@link GpuSampler}'s format). */
  public static final String GPU_FILE = TelemetryFiles.GPU;

  private boolean watching;

  /**
   * Starts recording the server beside the load, once, just before it starts: its {@code /metrics}
   * ({@link TelemetrySettings}; scraped now, during the load and once after, when it answers now; else one
   * NOTE line and no scraping) and, when {@code nvidia-smi} is found, this machine's GPUs. Both files go to
   * the run folder when it ends ({@link RunFiles#attach}); neither ever fails the run.
   *
   * @return whether the server's {@code /metrics} is being scraped
   */
  public synchronized boolean watchServer() {
    if (watching) {
      return scraping;
    }
    watching = true;
    TelemetrySettings t = config.telemetry();
    URI url = t.metricsUrlFor(target.baseUrl());
    if (url != null) {
      String key = target.apiKey();
      Map<String, String> headers = key == null ? Map.of() : Map.of("Authorization", "Bearer " + key);
      MetricsScraper[] started = new MetricsScraper[1];
      files.attach(SERVER_METRICS_FILE, file -> started[0] = MetricsScraper.startAround(url, file, t.interval(), headers));
      scraping = started[0].answered();
      if (!scraping) {
        started[0].close();
        note("the server's metrics (" + url + ") did not answer (" + Optional.ofNullable(started[0].firstError())
            .or(() -> started[0].problem()).orElse("no page") + "): the run has no server-metrics.csv ("
            + TelemetrySettings.METRICS_URL + " gives another page, =off skips this)");
      }
    }
    if (t.nvidiaSmi() != null) {
      GpuSampler.find(t.nvidiaSmi(), System.getenv("PATH")).ifPresent(command -> files.attach(GPU_FILE, file -> {
        try {
          return GpuSampler.start(command, file, t.interval());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    return scraping;
  }

  private boolean scraping;

  /** Whether the server's {@code /metrics} is being scraped for the whole run ({@link #watchServer()}). */
  public synchronized boolean scrapingServer() {
    return scraping;
  }

  private void note(String line) {
    if (!config.quiet()) {
      System.out.println("llm-serving-bench: NOTE " + line);
    }
  }

  /** Adds a check to the run's verdict, judged after the post-run step ({@link RunCheck}). */
  public synchronized void check(RunCheck check) {
    checks.add(check);
  }

  /** The run's added checks, in the order they were added. */
  public synchronized java.util.List<RunCheck> checks() {
    return java.util.List.copyOf(checks);
  }

  /** Whether the run was described yet ({@code LlmSimulation.announce}). */
  public synchronized boolean announced() {
    return announced;
  }

  public synchronized void markAnnounced() {
    announced = true;
  }

  /**
   * Ends the run, once, whether it ran or failed at set-up: stops the monitor if still running and
   * the embedded emulator (its ground truth stays readable), then tells the observers
   * ({@link LlmRunObserver}, found with {@link ServiceLoader}).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      monitor.close();
      files.closeAttached();
      target.close();
    } finally {
      ServiceLoader.load(LlmRunObserver.class).forEach(observer -> observer.ended(this));
    }
  }
}
