package dev.llmbench.llm;

import dev.llmbench.config.BenchConfig;
import dev.llmbench.report.input.ServerLog;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.render.ResultBlock;
import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every LLM simulation: opens this run's per-request side file when the simulation is set
 * up, announces the run once on the console, watches the load generator while the load runs
 * ({@link RunMonitor}: from {@link #before()} to the start of {@link #after()}), and moves the side
 * file and the run description, with the monitor's figures, into Gatling's run folder when the run is
 * over ({@link RunFiles}). Then the post-run step writes the result folder and prints the result
 * block, with the validity verdict.
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
 */
public abstract class LlmSimulation extends Simulation {

  /** What to do about baselines at the end of the run (-Dbaseline.*, -Dregression.*), validated at start. */
  private final dev.llmbench.report.baseline.BaselineOptions baselineOptions = explained(
      () -> dev.llmbench.report.baseline.BaselineOptions.from(dev.llmbench.config.Props.system(), System.getenv()));

  protected LlmSimulation() {
    RunFiles.start();
    RunMonitor.start();
  }

  /** Thrown by {@link #after()} when the circuit breaker stopped the run ({@link RunBreaker}). */
  public static final class ServerFailingRunException extends RuntimeException {
    public ServerFailingRunException(String message) {
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
  protected static <T> T explained(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (dev.llmbench.config.ConfigException e) {
      System.err.println("llm-serving-bench: ERROR " + e.getMessage());
      if (Boolean.getBoolean(EXIT_ON_CONFIG_ERROR)) {
        System.err.flush();
        System.exit(1);
      }
      throw e;
    }
  }

  /**
   * Set by the POM for the JVM gatling-maven-plugin forks: a configuration error ends it ({@link #explained}),
   * and so does a run the circuit breaker stopped, once its results are written ({@link #after()}).
   */
  public static final String EXIT_ON_CONFIG_ERROR = "llmbench.exit.on.config.error";

  /**
   * Prints the resolved run once, with how its prompts were sized, and records it for the post-run
   * module. Every simulation sizes its prompts ({@link PromptSizer}): one that did not would send
   * prompts of another length than it reports to a real engine.
   */
  protected static void announce(String profile, BenchConfig config, Target target, Workloads.Plan plan,
      PromptSizer.Sizing sizing) {
    // The model may come from the server (/v1/models), so its failure is explained as a property's is.
    String model = explained(() -> target.model(config));
    System.out.println("llm-serving-bench: " + profile + " against " + target.describe() + ", model "
        + model + "; " + config.describe(profile));
    if (sizing != null) {
      System.out.println("llm-serving-bench: " + sizing.line());
      sizing.notes().forEach(note -> System.out.println("llm-serving-bench: NOTE " + note));
    }
    plan.notes().forEach(note -> System.out.println("llm-serving-bench: NOTE " + note));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("schemaVersion", 1);
    run.put("startedAt", Instant.now().toString());
    run.put("profile", profile);
    run.put("framework", config.framework());
    run.put("backend", config.backend().wireName());
    run.put("model", model);
    run.put("targetUrl", target.baseUrl());
    if (config.serverHardware() != null) {
      run.put("serverHardware", config.serverHardware()); // only when given: older runs compare as before
    }
    if (config.serverLog() != null) {
      run.put("serverLog", config.serverLog().toString()); // its figures are read when the run ends (after())
    }
    run.put("embeddedEmulator", target.embedded());
    if (target.embedded()) {
      run.put("emulator", target.emulator().config().describe());
    }
    run.put("size", config.size().name().toLowerCase(java.util.Locale.ROOT));
    // Resolved (the profile's defaults applied): a baseline compares what ran, not what was typed.
    run.put("numPrompts", plan.numPrompts());
    run.put("maxConcurrency", plan.maxConcurrency() == null ? "unlimited" : plan.maxConcurrency());
    run.put("requestRates", config.requestRates().stream().map(r -> r.isInfinite() ? "inf" : r.toString()).toList());
    run.put("burstiness", config.burstiness());
    if (config.arrivalSchedule() != dev.llmbench.workload.Arrivals.Schedule.BENCH_SERVING) {
      run.put("arrivalSchedule", config.arrivalSchedule().wireName()); // only when chosen: older runs compare as before
    }
    run.put("seed", config.seed());
    if (!config.httpKeepAlive()) {
      run.put("httpKeepAlive", false); // only when off: older runs compare as before
    }
    run.put("sampling", dev.llmbench.sampling.Seeds.SAMPLING_VERSION);
    run.put("warmupRequests", config.warmupRequests());
    run.put("promptFile", config.promptFile() == null ? null : config.promptFile().toString());
    if (config.promptFile() == null && profile.equals(config.profile())) {
      // The lengths the random prompts were drawn with, resolved: a baseline compares them (ISL/OSL).
      dev.llmbench.workload.Profiles.RandomProfile p = dev.llmbench.workload.Profiles.load().random(config.profile());
      run.put("inputLen", config.randomInputLen() != null ? config.randomInputLen() : p.inputLen());
      run.put("outputLen", config.randomOutputLen() != null ? config.randomOutputLen() : p.outputLen());
      run.put("rangeRatio", config.randomRangeRatio() != null ? config.randomRangeRatio() : p.rangeRatio());
    }
    if (sizing != null) {
      sizing.record(run);
    }
    run.put("phases", plan.phases().stream().map(p -> Map.of("name", p.name(), "requests", p.tickets().size(),
        "workers", p.workers())).toList());
    run.put("notes", List.copyOf(plan.notes()));
    Map<String, Object> validity = new LinkedHashMap<>();
    validity.put("strict", config.validityStrict());
    validity.put("thresholds", ValidityJson.thresholds(config.validity()));
    run.put("validity", validity);
    RunMonitor.current().policy(config.validity(), config.validityStrict());
    RunMonitor.current().breaker(config.breaker(), plan.phases().stream()
        .mapToLong(p -> p.tickets().stream().filter(t -> !t.warmup()).count()).sum());
    RunFiles.current().describe(run);
  }

  /** Opens the load window of the self-monitor: Gatling calls this just before the first virtual user starts. */
  @Override
  public void before() {
    RunMonitor.current().monitor().start();
    RunMonitor.current().progress().start();
  }

  /** The post-run step's validity verdict, with the server's health; null until it ran, or when it has none. */
  private Validity judged;

  @Override
  public void after() {
    // First of all: the post-run work below must not count as load.
    Validity validity = RunMonitor.current().finish().orElse(null);
    if (validity != null) {
      RunFiles.current().record("monitor", ValidityJson.monitor(validity.monitor()));
    }
    RunBreaker breaker = RunMonitor.current().breaker();
    RunFiles.current().record("requests", breaker.requests());
    RunFiles.current().record("breaker", breaker.breaker());
    Path serverLog = BenchConfig.get().serverLog();
    if (serverLog != null) {
      // Read once, now that the server has logged its start: a rebuild of the result gives the same figures.
      RunFiles.current().record("serverMemory", ServerLog.record(serverLog));
    }
    if (!postRun()) {
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
        System.out.flush();
        System.err.flush();
        System.exit(1);
      }
      throw new ServerFailingRunException(stopped.substring(stopped.indexOf("server failing")));
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

  /** Moves the side files into the run folder and runs the post-run step; false when it printed no result block. */
  private boolean postRun() {
    Path requests = RunFiles.current().finish();
    System.out.println("llm-serving-bench: per-request results in " + requests);
    if (!requests.getFileName().toString().equals(dev.llmbench.requests.RequestLogWriter.FILE_NAME)) {
      return false; // not in a run folder: the message above said where it is
    }
    dev.llmbench.report.PostRun.Outcome outcome;
    try {
      outcome = dev.llmbench.report.PostRun.process(requests.getParent(),
          Path.of(System.getProperty("llmbench.reports.dir", "reports")), Path.of("."), Instant.now(), baselineOptions);
      System.out.print(dev.llmbench.report.PostRun.resultBlock(outcome));
      judged = outcome.summary().validity();
    } catch (java.io.IOException | RuntimeException e) {
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
      try {
        dev.llmbench.report.baseline.BaselineUpdate.requireBaselineWorthy(requests.getParent(),
            outcome.analysis().problems(), outcome.analysis().clientBoundReasons());
        System.out.println("llm-serving-bench: " + dev.llmbench.report.baseline.BaselineUpdate.write(
            baselineOptions.dir(), List.of(outcome.analysis().baselineRun()), baselineOptions.reason(), Instant.now(),
            baselineOptions.thresholds()));
      } catch (java.io.IOException | dev.llmbench.report.baseline.BaselineException e) {
        throw new IllegalStateException("llm-serving-bench: ERROR the baseline update failed: " + e.getMessage(), e);
      }
      return true;
    }
    dev.llmbench.report.baseline.BaselineCheck check = outcome.baseline();
    if (check != null && (check.regression() || check.failed())) {
      // Thrown from after(), this ends the Gatling process with a non-zero code, so `mvn gatling:test`
      // fails; the result folder is written already. Gatling skips its HTML report (README).
      throw new IllegalStateException("llm-serving-bench: " + (check.failed() ? check.message()
          : check.comparison().verdictLine()));
    }
    return true;
  }
}
