package dev.llmbench.llm;

import dev.llmbench.config.BenchConfig;
import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every LLM simulation: opens this run's per-request side file when the simulation is set
 * up, announces the run once on the console, and moves the side file and the run description into
 * Gatling's run folder when the run is over ({@link RunFiles}).
 */
public abstract class LlmSimulation extends Simulation {

  protected LlmSimulation() {
    RunFiles.start();
  }

  /**
   * Runs a set-up step; a configuration problem (bad property, unreachable server, bad prompt file)
   * is printed as one line saying what and how to fix it before Gatling reports the crash, so the
   * run fails with a non-zero exit and never with a stack trace alone.
   */
  protected static <T> T explained(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (dev.llmbench.config.ConfigException e) {
      System.err.println("llm-serving-bench: ERROR " + e.getMessage());
      throw e;
    }
  }

  /** Prints the resolved run once and records it for the post-run module. */
  protected static void announce(String profile, BenchConfig config, Target target, Workloads.Plan plan) {
    System.out.println("llm-serving-bench: " + profile + " against " + target.describe() + ", model "
        + target.model(config) + "; " + config.describe());
    plan.notes().forEach(note -> System.out.println("llm-serving-bench: NOTE " + note));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("schemaVersion", 1);
    run.put("startedAt", Instant.now().toString());
    run.put("profile", profile);
    run.put("framework", config.framework());
    run.put("backend", config.backend().wireName());
    run.put("model", target.model(config));
    run.put("targetUrl", target.baseUrl());
    run.put("embeddedEmulator", target.embedded());
    if (target.embedded()) {
      run.put("emulator", target.emulator().config().describe());
    }
    run.put("size", config.size().name().toLowerCase(java.util.Locale.ROOT));
    run.put("numPrompts", config.numPrompts());
    run.put("maxConcurrency", config.maxConcurrency());
    run.put("requestRates", config.requestRates().stream().map(r -> r.isInfinite() ? "inf" : r.toString()).toList());
    run.put("burstiness", config.burstiness());
    run.put("seed", config.seed());
    run.put("warmupRequests", config.warmupRequests());
    run.put("promptFile", config.promptFile() == null ? null : config.promptFile().toString());
    run.put("phases", plan.phases().stream().map(p -> Map.of("name", p.name(), "requests", p.tickets().size(),
        "workers", p.workers())).toList());
    run.put("notes", List.copyOf(plan.notes()));
    RunFiles.current().describe(run);
  }

  @Override
  public void after() {
    Path requests = RunFiles.current().finish();
    System.out.println("llm-serving-bench: per-request results in " + requests);
    if (!requests.getFileName().toString().equals(dev.llmbench.stream.RequestLogWriter.FILE_NAME)) {
      return; // not in a run folder: the message above said where it is
    }
    try {
      dev.llmbench.report.PostRun.Outcome outcome = dev.llmbench.report.PostRun.process(requests.getParent(),
          Path.of(System.getProperty("llmbench.reports.dir", "reports")), Path.of("."), Instant.now());
      System.out.print(dev.llmbench.report.PostRun.resultBlock(outcome));
    } catch (java.io.IOException | RuntimeException e) {
      // The Gatling run stands; the result folder can be rebuilt with the standalone post-run command.
      System.err.println("llm-serving-bench: ERROR post-run failed: " + e.getMessage()
          + " (rebuild it with: mvn -q exec:java@post-run -Dexec.args=" + requests.getParent() + ")");
    }
  }
}
