package dev.llmbench.llm;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.stream.StreamAction;
import dev.llmbench.stream.Backend;
import io.gatling.core.CoreComponents;
import io.gatling.javaapi.core.ActionBuilder;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.Objects;

/**
 * DSL for one streamed generation request: {@code llm.stream("chat").backend(Backend.OPENAI_CHAT)}.
 * Immutable, so every method returns a new builder. The request (prompt, lengths) comes from the
 * session ({@link dev.llmbench.llm.stream.Keys}); the run's resources come, when Gatling builds the action,
 * from the protocol registry ({@link LlmProtocol#KEY}), as Gatling's own actions get theirs.
 */
public final class StreamActionBuilder implements ActionBuilder {
  private final String name;
  private final LlmRun run;
  private final Backend backend;
  private final String model;
  private final Duration timeout;
  private final boolean keepAlive;

  /**
   * @param run the run whose protocol builder made this builder ({@code llm.stream(name)})
   * @param model the model to ask for, or null for the server's
   */
  public StreamActionBuilder(String name, LlmRun run, Backend backend, String model, Duration timeout,
      boolean keepAlive) {
    this.name = Objects.requireNonNull(name, "name");
    this.run = Objects.requireNonNull(run, "run");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.model = model;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.keepAlive = keepAlive;
  }

  /** False: one connection per request, with {@code Connection: close} ({@code -Dhttp.keepalive}). */
  public StreamActionBuilder keepAlive(boolean keepAlive) {
    return new StreamActionBuilder(name, run, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder backend(Backend backend) {
    return new StreamActionBuilder(name, run, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder model(String model) {
    return new StreamActionBuilder(name, run, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder timeout(Duration timeout) {
    return new StreamActionBuilder(name, run, backend, model, timeout, keepAlive);
  }

  /** The run this action streams for: its monitor and breaker judge the requests ({@link dev.llmbench.llm.Phase}). */
  public LlmRun run() {
    return run;
  }

  // Gatling's core builder, named as the Java DSL's interface this class implements: hence written out.
  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return (ctx, next) -> {
      quietLeakDetector();
      LlmComponents components = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
      if (components.run() != run) {
        throw new IllegalStateException("stream '" + name + "' was made by another simulation's llm() than the"
            + " protocol given to setUp(...).protocols(...)");
      }
      CoreComponents core = components.core();
      String asked = model != null ? model : run.target().model(backend);
      return new StreamAction(name, next, core.statsEngine(), core.clock(), run.target().baseUrl(),
          run.target().apiKey(), keepAlive, backend, asked, timeout.toNanos(), components.streams(),
          run.config().shaping(), run.config().seed());
    };
  }

  /**
   * Netty samples one buffer in 128 with a stack trace to find leaks (its default, SIMPLE): a check
   * that belongs in tests, not in a load generator, where it costs CPU per token event
   * (docs/injector-efficiency.md, "What made the difference"). A level set explicitly with
   * {@code -Dio.netty.leakDetection.level} is kept.
   */
  static void quietLeakDetector() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
