package dev.llmbench.llm;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;

/**
 * Base of every LLM simulation: opens this run's per-request side file when the simulation is set
 * up and moves it into Gatling's run folder when the run is over ({@link RunFiles}).
 */
public abstract class LlmSimulation extends Simulation {

  protected LlmSimulation() {
    RunFiles.start();
  }

  @Override
  public void after() {
    Path requests = RunFiles.current().finish();
    System.out.println("Per-request results: " + requests);
  }
}
