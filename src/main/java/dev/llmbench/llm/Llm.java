package dev.llmbench.llm;

import dev.llmbench.llm.stream.StreamActionBuilder;
import java.time.Duration;

/** Entry point of the LLM DSL: {@code exec(Llm.stream("chat"))}. */
public final class Llm {
  private Llm() {}

  /**
   * A streamed generation request to the run's target, timed per event. Defaults: the
   * {@code openai-chat} backend, the target's model, a 30-minute time-out.
   */
  public static StreamActionBuilder stream(String name) {
    return new StreamActionBuilder(name, Target.get(), Backend.OPENAI_CHAT, null, Duration.ofMinutes(30));
  }

  /** A streamed generation request as the run's configuration says (backend, model, time-out). */
  public static StreamActionBuilder stream(dev.llmbench.config.BenchConfig config) {
    return stream("generate").backend(config.backend()).model(config.model()).timeout(config.requestTimeout())
        .keepAlive(config.httpKeepAlive());
  }
}
