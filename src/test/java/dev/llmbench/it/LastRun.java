package dev.llmbench.it;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.run.LlmRunObserver;
import dev.llmbench.llm.run.Target;

/**
 * Keeps the last run that ended in this JVM, so that a test can compare it with its embedded
 * emulator's ground truth (registered in {@code META-INF/services}; {@link GatlingRun} runs one
 * simulation at a time).
 */
public final class LastRun implements LlmRunObserver {
  private static volatile LlmRun last;

  @Override
  public void ended(LlmRun run) {
    last = run;
  }

  /** Forgets the last run (before a new one). */
  static void clear() {
    last = null;
  }

  /** The server of the last run that ended; its embedded emulator is stopped, its ground truth readable. */
  static Target target() {
    LlmRun run = last;
    if (run == null) {
      throw new IllegalStateException("no LLM run ended in this JVM since the last clear()");
    }
    return run.target();
  }

  /** As {@link #target()}, or null when no run ended (it failed at set-up). */
  static Target targetOrNull() {
    LlmRun run = last;
    return run == null ? null : run.target();
  }
}
