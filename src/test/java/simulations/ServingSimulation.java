package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * A bench_serving serving profile: {@code -Dprofile=random-1024-1024} (default), {@code random-256-256},
 * {@code random-4096-1024}, or {@code -Dprompt.file=prompts.jsonl}; {@code -Dsize=smoke|full}.
 */
public class ServingSimulation extends LlmSimulation {
  // The server and the load parameters, mirroring bench_serving's flags (docs/properties.md)
  private final LlmProtocolBuilder llm = llm();

  // For each -Drequest.rate (a list runs one step after another): the warm-up requests, then the
  // profile's prompts, at most -Dmax.concurrency in flight, Poisson (-Dburstiness: gamma) arrivals
  private final PopulationBuilder benchServing = BenchServing.steps(llm.serving(), llm.stream("generate"));

  {
    setUp(benchServing)
        .protocols(llm)
        .assertions(forAll().failedRequests().percent().lte(1.0)) // a failed stream is an E2E KO
        .maxDuration(Duration.ofHours(12));
  }
}
