package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.BenchConfig;
import dev.llmbench.config.Props;
import dev.llmbench.llm.Llm;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Phase;
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

  // The serving configuration with the smoke profile as default
  private static final BenchConfig CONFIG = BenchConfig.from(withDefault("profile", "smoke"));

  // The server: -Dtarget.url, or the embedded emulator; waits until it is healthy
  private static final Target TARGET = Target.ready(CONFIG);

  // A warm-up request, then the smoke requests
  private static final Workloads.Plan PLAN = Workloads.serving(CONFIG);

  // One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private static final StreamActionBuilder STREAM = Llm.stream(CONFIG);

  // Every stream must complete
  private static final Assertion NO_FAILURES = forAll().failedRequests().count().is(0L);

  {
    announce(CONFIG.profile(), CONFIG, TARGET, PLAN);
    setUp(Phase.inSequence(PLAN.phases(), STREAM))
        .assertions(NO_FAILURES)
        .maxDuration(Duration.ofMinutes(10));
  }

  private static Props withDefault(String key, String value) {
    Map<String, String> props = new HashMap<>();
    System.getProperties().stringPropertyNames().forEach(k -> props.put(k, System.getProperty(k)));
    props.putIfAbsent(key, value);
    return Props.of(props);
  }
}
