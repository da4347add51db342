package dev.llmbench.llm;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.stream.StreamAction;
import dev.llmbench.llm.stream.StreamLoops;
import dev.llmbench.llm.stream.StreamRun;
import io.gatling.core.CoreComponents;
import io.gatling.core.controller.Controller$Command$StopLoadGenerator;
import io.gatling.core.protocol.ProtocolComponents;
import io.gatling.core.session.Session;
import java.util.concurrent.atomic.AtomicLong;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * What the LLM actions of one run reach through Gatling's protocol registry, as Gatling's own
 * protocols do ({@code JmsProtocol.newComponents}): the run ({@link LlmRun}), its stream loops and
 * Gatling's core components (stats engine, clock). One per run, shared by its scenarios.
 */
public final class LlmComponents implements ProtocolComponents {
  private final LlmRun run;
  private final StreamLoops loops;
  private final CoreComponents core;
  /**
   * Request ids: the run's start in base 36 and a count, so that a server log tells runs and requests apart;
   * on several injectors also the shard's index, as shards started at the same millisecond (start.at) would
   * otherwise send the same ids.
   */
  private final String requestIdPrefix;
  private final AtomicLong requests = new AtomicLong();

  LlmComponents(LlmRun run, StreamLoops loops, CoreComponents core) {
    this.run = run;
    this.loops = loops;
    this.core = core;
    var shard = run.config().sharding();
    this.requestIdPrefix = "llmb-" + Long.toString(System.currentTimeMillis(), 36) + "-"
        + (shard.sharded() ? "s" + shard.index() + "-" : "");
  }

  public LlmRun run() {
    return run;
  }

  /** What the run's streaming actions share ({@link StreamAction}). */
  public StreamRun streams() {
    return new StreamRun(loops, run.files().requests(), run.monitor(), this::nextRequestId,
        run.config().itlRows());
  }

  /** A new request id of this run, sent as {@code X-Request-Id} and kept in the side file. */
  public String nextRequestId() {
    return requestIdPrefix + requests.incrementAndGet();
  }

  public CoreComponents core() {
    return core;
  }

  /** Gatling's stop of the load generator, as its {@code stopLoadGenerator} step does (not a crash), saying why. */
  static java.util.function.Consumer<String> stopLoad(CoreComponents core) {
    return why -> core.controller().$bang(new Controller$Command$StopLoadGenerator(why, false));
  }

  @Override
  public Function1<Session, Session> onStart() {
    return session -> session;
  }

  @Override
  public Function1<Session, BoxedUnit> onExit() {
    return ProtocolComponents.NoopOnExit();
  }
}
