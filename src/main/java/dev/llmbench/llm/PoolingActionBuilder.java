package dev.llmbench.llm;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.stream.PoolingAction;
import dev.llmbench.stream.PoolingApi;
import io.gatling.core.CoreComponents;
import io.gatling.javaapi.core.ActionBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * DSL for one request answered with one body ({@link PoolingApi}): {@code llm.pooling("score")},
 * {@code .api(PoolingApi.RERANK)}, {@code .keepAnswers()}. Immutable. The request comes from the
 * session ({@link dev.llmbench.llm.stream.Keys#POOLING}, fed by {@link LlmProtocolBuilder#poolingFeeder}).
 */
public final class PoolingActionBuilder implements ActionBuilder {
  private final String name;
  private final LlmRun run;
  private final PoolingApi api;
  private final String model;
  private final Duration timeout;
  private final boolean keepAlive;
  private final boolean keepAnswers;

  PoolingActionBuilder(String name, LlmRun run, PoolingApi api, String model, Duration timeout, boolean keepAlive,
      boolean keepAnswers) {
    this.name = Objects.requireNonNull(name, "name");
    this.run = Objects.requireNonNull(run, "run");
    this.api = Objects.requireNonNull(api, "api");
    this.model = model;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.keepAlive = keepAlive;
    this.keepAnswers = keepAnswers;
  }

  public PoolingActionBuilder api(PoolingApi api) {
    return new PoolingActionBuilder(name, run, api, model, timeout, keepAlive, keepAnswers);
  }

  public PoolingActionBuilder model(String model) {
    return new PoolingActionBuilder(name, run, api, model, timeout, keepAlive, keepAnswers);
  }

  public PoolingActionBuilder timeout(Duration timeout) {
    return new PoolingActionBuilder(name, run, api, model, timeout, keepAlive, keepAnswers);
  }

  /** Keeps each request's hash and answer in the side file, to compare answers to equal requests after the run. */
  public PoolingActionBuilder keepAnswers() {
    return new PoolingActionBuilder(name, run, api, model, timeout, keepAlive, true);
  }

  public LlmRun run() {
    return run;
  }

  // Gatling's core builder, named as the Java DSL's interface this class implements: hence written out.
  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return (ctx, next) -> {
      StreamActionBuilder.quietLeakDetector();
      LlmComponents components = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
      if (components.run() != run) {
        throw new IllegalStateException("pooling step '" + name + "' was made by another simulation's llm() than the"
            + " protocol given to setUp(...).protocols(...)");
      }
      CoreComponents core = components.core();
      String asked = model != null ? model : run.target().model(run.config().backend());
      return new PoolingAction(name, next, core.statsEngine(), core.clock(), run.target().baseUrl(),
          run.target().apiKey(), keepAlive, api, asked, timeout.toNanos(), keepAnswers, components.streams());
    };
  }
}
