package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.BenchConfig;
import dev.llmbench.config.Props;
import dev.llmbench.llm.Llm;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Phase;
import dev.llmbench.llm.PromptSizer;
import dev.llmbench.llm.Target;
import dev.llmbench.llm.Workloads;
import dev.llmbench.llm.stream.StreamActionBuilder;
import io.gatling.javaapi.core.*;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The default simulation ({@code mvn gatling:test}): the {@code smoke} profile, 32 streamed requests of
 * 128 prompt and 64 output tokens at 8 concurrent streams, against {@code -Dtarget.url} or the
 * embedded emulator. Seconds long; every other property applies as in {@link ServingSimulation}.
 */
public class SmokeSimulation extends LlmSimulation {
  // Instance fields, not static: Gatling makes a new simulation per run, and several runs can share
  // one JVM (the tests do), each with its own properties.

  // The serving configuration with the smoke profile as default
  private final BenchConfig config = explained(() -> BenchConfig.from(withDefault("profile", "smoke")));

  // The server: -Dtarget.url, or the embedded emulator; waits until it is healthy
  private final Target target = explained(() -> Target.ready(config));

  // How prompts of N tokens are made N tokens of the served model (-Dtokenizer, the server's /tokenize, ...)
  private final PromptSizer.Sizing sizing = explained(() -> PromptSizer.size(config, target, target.model(config)));

  // A warm-up request, then the smoke requests
  private final Workloads.Plan plan = explained(() -> Workloads.serving(config, sizing.prompts()));

  // One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private final StreamActionBuilder stream = Llm.stream(config);

  // Every stream must complete
  private final Assertion noFailures = forAll().failedRequests().count().is(0L);

  {
    announce(config.profile(), config, target, plan, sizing);
    setUp(Phase.inSequence(plan.phases(), stream))
        .assertions(noFailures)
        .maxDuration(Duration.ofMinutes(10));
  }

  private static Props withDefault(String key, String value) {
    Map<String, String> props = new HashMap<>();
    System.getProperties().stringPropertyNames().forEach(k -> props.put(k, System.getProperty(k)));
    props.putIfAbsent(key, value);
    return Props.of(props);
  }
}
