package dev.llmbench.llm.stream;

import dev.llmbench.llm.Backend;
import dev.llmbench.llm.RunFiles;
import dev.llmbench.llm.RunMonitor;
import dev.llmbench.llm.Target;
import io.gatling.core.CoreComponents;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.controller.Controller$Command$StopLoadGenerator;
import io.gatling.javaapi.core.ActionBuilder;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.Objects;

/**
 * DSL for one streamed generation request: {@code Llm.stream("chat").backend(Backend.OPENAI_CHAT)}.
 * Immutable, so every method returns a new builder and static fields can share one.
 * The prompt and lengths come from the session ({@link dev.llmbench.llm.Keys}).
 */
public final class StreamActionBuilder implements ActionBuilder {
  private final String name;
  private final Target target;
  private final Backend backend;
  private final String model;
  private final Duration timeout;
  private final boolean keepAlive;

  public StreamActionBuilder(String name, Target target, Backend backend, String model, Duration timeout) {
    this(name, target, backend, model, timeout, true);
  }

  private StreamActionBuilder(String name, Target target, Backend backend, String model, Duration timeout,
      boolean keepAlive) {
    this.name = Objects.requireNonNull(name, "name");
    this.target = Objects.requireNonNull(target, "target");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.model = model;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.keepAlive = keepAlive;
  }

  /** False: one connection per request, with {@code Connection: close} ({@code -Dhttp.keepalive}). */
  public StreamActionBuilder keepAlive(boolean keepAlive) {
    return new StreamActionBuilder(name, target, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder backend(Backend backend) {
    return new StreamActionBuilder(name, target, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder model(String model) {
    return new StreamActionBuilder(name, target, backend, model, timeout, keepAlive);
  }

  public StreamActionBuilder timeout(Duration timeout) {
    return new StreamActionBuilder(name, target, backend, model, timeout, keepAlive);
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return (ctx, next) -> {
      quietLeakDetector();
      CoreComponents core = ctx.coreComponents();
      GatlingConfiguration config = core.configuration();
      RunMonitor.current().breaker().stopLoadWith(() -> core.controller().$bang(
          new Controller$Command$StopLoadGenerator("the server is failing", false)));
      return new StreamAction(name, next, core.statsEngine(), core.clock(),
          StreamTarget.of(target.baseUrl(), target.apiKey(), keepAlive), backend,
          model != null ? model : target.model(backend),
          timeout.toNanos(), RunFiles.current().requests(), StreamLoops.get(config));
    };
  }

  /**
   * Netty samples one buffer in 128 with a stack trace to find leaks (its default, SIMPLE); measured
   * with the injector benchmark that is about 2 % of the client's CPU per token event, for a check
   * that belongs in tests, not in a load generator. A level set explicitly with
   * {@code -Dio.netty.leakDetection.level} is kept.
   */
  private static void quietLeakDetector() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
