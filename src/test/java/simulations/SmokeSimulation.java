package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.Props;
import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The default simulation ({@code mvn gatling:test}): the {@code smoke} profile, 32 streamed requests of
 * 128 prompt and 64 output tokens at 8 concurrent streams, against {@code -Dtarget.url} or the
 * embedded emulator. Seconds long; every other property applies as in {@link ServingSimulation}.
 */
public class SmokeSimulation extends LlmSimulation {
  // The serving configuration, with the smoke profile unless -Dprofile says otherwise
  private final LlmProtocolBuilder llm = llm(Props.system().withDefault("profile", "smoke"));

  // A warm-up request, then 32 requests at most 8 in flight, all due at once
  private final PopulationBuilder benchServing = BenchServing.steps(llm.serving(), llm.stream("generate"));

  {
    setUp(benchServing)
        .protocols(llm)
        .assertions(forAll().failedRequests().count().is(0L)) // every stream must complete
        .maxDuration(Duration.ofMinutes(10));
  }
}
