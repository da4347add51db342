package dev.llmbench.llm.run;

import dev.llmbench.llm.run.LlmRun;

/**
 * Told when an LLM run has ended (its result folder written, its server stopped), for tools that
 * act on runs: register an implementation with a public no-argument constructor in
 * {@code META-INF/services/dev.llmbench.llm.run.LlmRunObserver}. The tests use it to compare a run with
 * its embedded emulator's ground truth.
 */
public interface LlmRunObserver {
  /** Called once per run, from the simulation's {@code after()}, even when the run failed. */
  void ended(LlmRun run);
}
