package dev.llmbench.llm;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.run.AccuracyGate;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.run.PromptSizer;
import dev.llmbench.llm.run.RunBreaker;
import dev.llmbench.llm.run.RunCheck;
import dev.llmbench.llm.run.Target;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineException;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.baseline.BaselineUpdate;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.input.ServerLog;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.render.ResultBlock;
import dev.llmbench.requests.RequestLogWriter;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Base of every LLM simulation. Its {@link #llm()} opens the run ({@link LlmRun}: configuration,
 * server, per-request side file, self-monitor) and gives the DSL to use in any scenario under any
 * injection profile; the run is announced once on the console, the load generator is watched while
 * the load runs ({@link RunMonitor}: from {@link #before()} to the start of {@link #after()}), and the
 * side file and the run description, with the monitor's figures, are moved into Gatling's run folder
 * when the run is over ({@link RunFiles}). Then the post-run step writes the result folder and prints
 * the result block, with the validity verdict and the baseline's.
 *
 * <p>With {@code -Dvalidity.strict=true} a client-bound run fails: {@link #after()} prints one ERROR
 * line with the crossed thresholds and throws {@link ClientBoundRunException}, after the result folder
 * is written. Gatling then reports the run as crashed, and {@code mvn gatling:test} fails (non-zero
 * exit).
 *
 * <p>When the circuit breaker stopped sending ({@link RunBreaker}), {@link #after()} writes the result
 * folder (marked partial, its verdict {@code server-failing}), prints one ERROR line with when and why
 * and how many requests were not sent, and throws {@link ServerFailingRunException}: the run fails the
 * same way.
 *
 * <p>With {@code -Daccuracy=gsm8k} the run asks GSM8K questions before its load ({@link AccuracyGate},
 * docs/accuracy.md); a score below {@code accuracy.threshold} lets the load run, then {@link #after()} writes
 * the result folder (its {@code accuracy} marked {@code passed: false}), prints one ERROR line and throws
 * {@link AccuracyGateFailedException}: the run fails the same way.
 */
public abstract class LlmSimulation extends Simulation {

  /** What to do about baselines at the end of the run (-Dbaseline.*, -Dregression.*), validated at start. */
  private final BaselineOptions baselineOptions = explained(() -> BaselineOptions.from(Props.system(), System.getenv()));

  /** This simulation's run, opened by {@link #llm()}. */
  private LlmRun run;

  /**
   * The LLM DSL of this run, configured by the system properties (docs/properties.md): opens the
   * run, starting the embedded emulator when no {@code -Dtarget.url} is given and waiting for the
   * server to be healthy. Give it to {@code setUp(...).protocols(llm)}.
   */
  protected final LlmProtocolBuilder llm() {
    return llm(Props.system());
  }

  /** As {@link #llm()}, configured by {@code props} (a simulation's own defaults: {@link Props#withDefault}). */
  protected final LlmProtocolBuilder llm(Props props) {
    if (run != null) {
      throw new IllegalStateException(getClass().getSimpleName() + " calls llm() twice: a simulation has one run");
    }
    run = explained(() -> LlmRun.open(props));
    return new LlmProtocolBuilder(run);
  }

  /** Thrown by {@link #after()} when the circuit breaker stopped the run ({@link RunBreaker}). */
  public static final class ServerFailingRunException extends RuntimeException {
    public ServerFailingRunException(String message) {
      super(message);
    }
  }

  /**
   * Thrown by {@link #after()} when the accuracy gate's score was below its threshold
   * ({@code -Daccuracy=gsm8k}, docs/accuracy.md): the load ran and its results are written, marked.
   */
  public static final class AccuracyGateFailedException extends RuntimeException {
    /** The switch that skips the gate. */
    public static final String SKIP = "accuracy.skip";

    public AccuracyGateFailedException(String message) {
      super(message);
    }
  }

  /** Thrown by {@link #after()} when a run is client-bound and {@code validity.strict} is set. */
  public static final class ClientBoundRunException extends RuntimeException {
    public ClientBoundRunException(String message) {
      super(message);
    }
  }

  /**
   * Runs a set-up step; a configuration problem (bad property, unreachable server, bad prompt file)
   * is printed as one line saying what and how to fix it before Gatling reports the crash, so the
   * run fails with a non-zero exit and never with a stack trace alone. Gatling's log of the crash
   * leaves the trace out ({@link ExplainedErrorConverter}). In the JVM gatling-maven-plugin forks
   * (the POM sets {@value #EXIT_ON_CONFIG_ERROR}), the run ends right after the line, with exit code
   * 1 as a crash has: the plugin's fork would otherwise print the exception's whole trace below it.
   */
  protected static <T> T explained(Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigException e) {
      System.err.println("llm-serving-bench: ERROR " + e.getMessage());
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        exitFork();
      }
      throw e;
    }
  }

  /** Ends the plugin's fork ({@value #EXIT_ON_CONFIG_ERROR}) with exit code 1, as a crash has, its lines printed. */
  private static void exitFork() {
    System.out.flush();
    System.err.flush();
    System.exit(1);
  }

  /**
   * Set by the POM for the JVM gatling-maven-plugin forks: a configuration error ends it ({@link #explained}),
   * and so does a run the circuit breaker stopped, once its results are written ({@link #after()}).
   */
  public static final String EXIT_ON_CONFIG_ERROR = "llmbench.exit.on.config.error";

  /**
   * Prints the resolved run once, with how its prompts were sized, and records it for the post-run
   * module. Every run sizes its prompts ({@link PromptSizer}): one that did not would send prompts of
   * another length than it reports to a real engine.
   *
   * @param plan the run's plan: bench_serving's, or {@link Workloads#own} for a simulation's own injection profile
   */
  static void announce(LlmRun run, String profile, Workloads.Plan plan) {
    announce(run, profile, plan, null);
  }

  /**
   * As {@link #announce(LlmRun, String, Workloads.Plan)}, for a load decided while the run goes (a
   * capacity search's steps, recorded when it ends): {@code decided} says how, and no count of requests is
   * planned.
   *
   * @param decided how the load is decided, in a few words; null for a plan made up front
   */
  static void announce(LlmRun run, String profile, Workloads.Plan plan, String decided) {
    BenchConfig config = run.config();
    Target target = run.target();
    // The model may come from the server (/v1/models), so its failure is explained as a property's is.
    String model = explained(run::model);
    PromptSizer.Sizing sizing = explained(run::sizing);
    // The accuracy gate, after the health check and the sizing, before the load: its figures are in none of
    // the load's. A score below the threshold does not stop the load: the run fails after its results.
    if (run.accuracyConfig().benchmark() != null && !run.accuracyConfig().enabled() && !config.quiet()) {
      System.out.println("llm-serving-bench: NOTE accuracy gate skipped (" + AccuracyGateFailedException.SKIP + "=true)");
    }
    if (run.accuracyConfig().enabled() && !config.quiet()) {
      System.out.println("llm-serving-bench: accuracy gate: " + run.accuracyConfig().describe());
    }
    AccuracyGate.Outcome gate = explained(run::accuracy);
    if (gate != null) {
      // Always printed, -Dquiet or not: a failed gate is a line that needs attention.
      System.out.println("llm-serving-bench: " + gate.accuracy().line() + " (" + gate.accuracy().details() + ")");
      if (gate.firstError() != null) {
        System.out.println("llm-serving-bench: NOTE " + gate.accuracy().errors() + " accuracy-gate requests failed; the "
            + "first: " + gate.firstError());
      }
    }
    run.markAnnounced();
    // A simulation's own injection profile sends the load: the prompts are the profile's, the rest its code's.
    boolean own = plan.phases().isEmpty();
    String pooling = plan.load().pooling();
    String load = decided != null ? decided + "; " : own ? "load of the simulation's injection profile, prompts of profile "
        + config.profile() + "; " : "";
    // -Dquiet: the run is recorded as always (llm-run.json), only not told on the console.
    if (!config.quiet()) {
      // A pooling run's workload is its own: the serving profile's settings (backend, prompts) do not apply.
      System.out.println("llm-serving-bench: " + profile + " against " + target.describe() + ", model "
          + model + "; "
          + (pooling != null ? pooling + " seed=" + config.seed() : load + config.describe(profile, !own && decided == null)));
      if (sizing != null) {
        System.out.println("llm-serving-bench: " + sizing.line());
        sizing.notes().forEach(note -> System.out.println("llm-serving-bench: NOTE " + note));
      }
      plan.notes().forEach(note -> System.out.println("llm-serving-bench: NOTE " + note));
    }
    run.monitor().policy(config.validity(), config.validityStrict());
    run.monitor().saturationPolicy(config.stopOnSaturation(), config.quiet());
    // A simulation's own injection profile plans no count of requests: the breaker knows none (-1).
    run.monitor().breaker(config.breaker(), plan.phases().isEmpty() || decided != null ? -1 : plan.phases().stream()
        .mapToLong(p -> p.tickets().stream().filter(t -> !t.warmup()).count()).sum());
    run.files().describe(RunDescriptions.of(profile, config, target, plan, sizing, model,
        gate == null ? null : gate.accuracy()));
  }

  /**
   * Announces a run whose simulation sets its own load (bench_serving's plans announce themselves)
   * and opens the load window of the self-monitor: Gatling calls this just before the first virtual
   * user starts.
   */
  @Override
  public void before() {
    if (run == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " never called llm(): an LlmSimulation streams"
          + " with the LLM protocol it gets from llm(), given to setUp(...).protocols(llm)");
    }
    if (!run.announced()) {
      announce(run, getClass().getSimpleName().replaceAll("Simulation$", "").toLowerCase(Locale.ROOT),
          Workloads.own(run.config()));
    }
    // On several injectors, the common start (-Dstart.at): every shard's load begins at the same instant.
    awaitStart();
    // The server's /metrics and the GPUs: one reading before the load, then while it goes.
    run.watchServer();
    run.monitor().monitor().start();
    if (!run.config().quiet()) {
      run.monitor().progress().start();
    }
  }

  private void awaitStart() {
    var shard = run.config().sharding();
    if (shard.startAtEpochMs() == null) {
      return;
    }
    if (!run.config().quiet()) {
      System.out.println("llm-serving-bench: injector " + shard.index() + "/" + shard.count() + " waits for start.at="
          + java.time.Instant.ofEpochMilli(shard.startAtEpochMs()));
    }
    try {
      shard.awaitStart();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for start.at", e);
    }
  }

  /** The post-run step's validity verdict, with the server's health; null until it ran, or when it has none. */
  private Validity judged;

  /** Ends the run: its files and the post-run step ({@link #finishRun()}), then {@link LlmRun#close()}, whatever the verdict. */
  @Override
  public void after() {
    try {
      finishRun();
    } finally {
      run.close();
    }
  }

  private void finishRun() {
    // First of all: the post-run work below must not count as load.
    Validity validity = run.monitor().finish().orElse(null);
    if (validity != null) {
      run.files().record(a -> a.withMonitor(RunDescriptionFile.monitor(validity.monitor())));
    }
    RunBreaker breaker = run.monitor().breaker();
    run.files().record(a -> a.withRequests(breaker.requests()).withBreaker(breaker.breaker())
        .withLiveSaturation(run.monitor().liveSaturation()));
    Path serverLog = run.config().serverLog();
    if (serverLog != null) {
      // Read once, now that the server has logged its start: a rebuild of the result gives the same figures.
      run.files().record(a -> a.withServerMemory(ServerLog.record(serverLog)));
    }
    if (!postRun(validity == null ? 0 : validity.monitor().processCpuNanos())) {
      // No result block was printed: the verdict still reaches the console.
      ResultBlock.validity(validity).forEach(System.out::println);
    }
    String stopped = breaker.errorLine();
    if (stopped != null) {
      // After the result folder (marked partial): the run fails, as a strict client-bound one does. In
      // the plugin's fork the line is the whole story, with exit code 1 as a crash has (Gatling's stats
      // are written before after() runs): the fork would print the exception's trace three times.
      System.err.println(stopped);
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        exitFork();
      }
      throw new ServerFailingRunException(stopped.substring(stopped.indexOf("server failing")));
    }
    AccuracyGate.Outcome gate = run.accuracyIfAsked();
    if (gate != null && !gate.accuracy().passed()) {
      // As a stopped run: the result folder is written (marked: summary.json's accuracy.passed false, the
      // page's line), then one ERROR line and a non-zero exit.
      String line = "llm-serving-bench: ERROR " + gate.accuracy().line();
      System.err.println(line);
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        exitFork();
      }
      throw new AccuracyGateFailedException(gate.accuracy().line());
    }
    // The post-run step's verdict knows the server's health (a run whose server failed is not
    // client-bound); the live one, judged before it, only the client's figures.
    Validity verdict = judged != null ? judged : validity;
    if (verdict != null && verdict.clientBound() && verdict.strict()) {
      String reasons = String.join("; ", verdict.reasons());
      System.err.println("llm-serving-bench: ERROR client-bound run, failed because " + ValidityThresholds.STRICT
          + "=true: " + reasons);
      throw new ClientBoundRunException("client-bound run (" + ValidityThresholds.STRICT + "=true): " + reasons);
    }
  }

  /** The prefix of the post-run CPU line ({@link #postRunCpuLine}). */
  public static final String POST_RUN_CPU = "llm-serving-bench: post-run CPU ";

  /** The post-run step's CPU, and its share of the load's when that is known. */
  public static String postRunCpuLine(long postRunCpuNanos, long loadCpuNanos) {
    String line = String.format(Locale.ROOT, "%s%.2f s", POST_RUN_CPU, postRunCpuNanos / 1e9);
    return loadCpuNanos <= 0 ? line
        : line + String.format(Locale.ROOT, " (%.1f %% of the load's %.2f s)", 100.0 * postRunCpuNanos / loadCpuNanos,
            loadCpuNanos / 1e9);
  }

  /** This process's CPU time so far, ns; -1 where the JVM cannot say. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /**
   * Moves the side files into the run folder and runs the post-run step; false when it printed no result block.
   *
   * @param loadCpuNanos the process's CPU over the load's window (the self-monitor's), 0 when unknown
   */
  private boolean postRun(long loadCpuNanos) {
    Path requests = run.files().finish();
    boolean quiet = run.config().quiet();
    if (!quiet) {
      System.out.println("llm-serving-bench: per-request results in " + requests);
    }
    if (!requests.getFileName().toString().equals(RequestLogWriter.FILE_NAME)) {
      return false; // not in a run folder: the message above said where it is
    }
    PostRun.Outcome outcome;
    try {
      long cpuBefore = processCpuNanos();
      outcome = PostRun.process(requests.getParent(),
          Path.of(System.getProperty("llmbench.reports.dir", "reports")), Path.of("."), Instant.now(), baselineOptions);
      long postRunCpu = processCpuNanos() - cpuBefore;
      System.out.print(quiet ? PostRun.quietBlock(outcome) : PostRun.resultBlock(outcome));
      if (!quiet && cpuBefore >= 0) {
        // What writing the results cost beside the load (the injector benchmark reads this line too).
        System.out.println(postRunCpuLine(postRunCpu, loadCpuNanos));
      }
      judged = outcome.summary().validity();
    } catch (IOException | RuntimeException e) {
      // The Gatling run stands; the result folder can be rebuilt with the standalone post-run command.
      System.err.println("llm-serving-bench: ERROR post-run failed: " + e.getMessage()
          + " (rebuild it with: mvn -q exec:java@post-run -Dexec.args=" + requests.getParent() + ")");
      if (baselineOptions.update()) {
        // An update was asked for and did not happen: that must not pass as a successful run.
        throw new IllegalStateException("llm-serving-bench: ERROR the baseline update (-Dbaseline.update=true) did "
            + "not happen, because the post-run step failed: " + e.getMessage(), e);
      }
      return false;
    }
    if (baselineOptions.update()) {
      // Only on request (-Dbaseline.update=true), never as a side effect; a regression found above does
      // not fail this run, since making it the baseline is what was asked. A partial or client-bound run
      // is refused.
      if (outcome.summary().accuracy() != null && !outcome.summary().accuracy().passed()) {
        // The figures of a server that answers wrongly are no reference for later runs.
        throw new IllegalStateException("llm-serving-bench: ERROR the baseline update (-Dbaseline.update=true) is "
            + "refused: " + outcome.summary().accuracy().line());
      }
      try {
        BaselineUpdate.requireBaselineWorthy(requests.getParent(),
            outcome.analysis().problems(), outcome.analysis().clientBoundReasons());
        System.out.println("llm-serving-bench: " + BaselineUpdate.write(
            baselineOptions.dir(), List.of(outcome.analysis().baselineRun()), baselineOptions.reason(), Instant.now(),
            baselineOptions.thresholds()));
      } catch (IOException | BaselineException e) {
        throw new IllegalStateException("llm-serving-bench: ERROR the baseline update failed: " + e.getMessage(), e);
      }
      return true;
    }
    // The simulation's own checks (the stress scenarios'): printed, written, and failing the run below.
    List<String> failedChecks = new ArrayList<>();
    for (RunCheck c : run.checks()) {
      try {
        RunCheck.Result r = c.judge(requests.getParent(), outcome.resultFolder(), outcome.analysis().requests());
        r.lines().forEach(System.out::println);
        if (r.failed()) {
          failedChecks.add(r.summary());
        }
      } catch (IOException | RuntimeException e) {
        failedChecks.add("a check could not be judged: " + e.getMessage());
        System.err.println("llm-serving-bench: ERROR a check could not be judged: " + e.getMessage());
      }
    }
    BaselineCheck check = outcome.baseline();
    if (!failedChecks.isEmpty()) {
      // A non-zero exit once the results are written: in the plugin's fork the line is the whole story
      // (exit code 1, as a crash has), elsewhere thrown from after() as a regression is.
      String line = "llm-serving-bench: FAILED " + String.join("; ", failedChecks);
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        System.err.println(line);
        exitFork();
      }
      throw new IllegalStateException(line);
    }
    if (check != null && (check.regression() || check.failed())) {
      // Thrown from after(), this ends the Gatling process with a non-zero code, so `mvn gatling:test`
      // fails; the result folder is written already. Gatling skips its HTML report (docs/baselines.md).
      String line = "llm-serving-bench: " + (check.failed() ? check.message() : check.comparison().verdictLine());
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        // In a fork (the plugin's, the nightly's, compare-run's) the line and exit code 1 are the whole
        // story: thrown, Gatling would print its trace twice below the result block.
        System.err.println(line);
        exitFork();
      }
      throw new IllegalStateException(line);
    }
    return true;
  }
}
