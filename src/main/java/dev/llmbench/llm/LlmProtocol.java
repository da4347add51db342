package dev.llmbench.llm;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.stream.StreamLoops;
import io.gatling.core.CoreComponents;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.protocol.Protocol;
import io.gatling.core.protocol.ProtocolKey;
import scala.Function1;

/**
 * The LLM protocol of a run, given to Gatling with {@code setUp(...).protocols(llm)}: Gatling asks its
 * {@link #KEY} for the run's components ({@link LlmComponents}) and hands them to every LLM action
 * through its protocol registry, as it does for HTTP or JMS.
 */
public final class LlmProtocol implements Protocol {
  /** How Gatling finds the components of this protocol in a run. */
  public static final ProtocolKey<LlmProtocol, LlmComponents> KEY = new ProtocolKey<>() {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<Protocol> protocolClass() {
      return (Class) LlmProtocol.class;
    }

    @Override
    public LlmProtocol defaultProtocolValue(GatlingConfiguration configuration) {
      throw new IllegalStateException("an LLM action runs in a scenario without the LLM protocol: add"
          + " .protocols(llm) to setUp(...), llm being the simulation's llm()");
    }

    @Override
    public Function1<LlmProtocol, LlmComponents> newComponents(CoreComponents core) {
      return protocol -> protocol.components(core);
    }
  };

  private final LlmRun run;
  private LlmComponents components;

  LlmProtocol(LlmRun run) {
    this.run = run;
  }

  /**
   * The run's components, made on the first call (Gatling asks once per scenario): its stream loops,
   * shut down with the run's actor system, and the breaker's way to stop the load.
   */
  private synchronized LlmComponents components(CoreComponents core) {
    if (components == null) {
      StreamLoops loops = StreamLoops.open(core.configuration(), run.monitor().monitor(), run.config().streamLoops());
      // Also when the run crashed and Gatling skipped after(): the run's server stops (close runs once).
      core.actorSystem().registerOnTermination(() -> {
        loops.shutdown();
        run.close();
        return null;
      });
      run.stopLoadWith(LlmComponents.stopLoad(core));
      run.monitor().breaker().stopLoadWith(() -> run.stopLoad("the server is failing"));
      components = new LlmComponents(run, loops, core);
    }
    return components;
  }

  public LlmRun run() {
    return run;
  }
}
