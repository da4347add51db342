package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The ISL/OSL matrix of bench_full.py: core configurations (and extended ones at full size), one
 * stream at a time, for each 2 warm-ups then 3 measured runs at temperature 0. Configurations whose
 * ISL + OSL exceed the server's max model length ({@code -Dmax.model.len}, else read from
 * {@code /v1/models}) are skipped with a note.
 */
public class MatrixSimulation extends LlmSimulation {
  // The server and the load parameters (docs/properties.md); -Dsize=smoke runs the core set at 1/8 of the lengths
  private final LlmProtocolBuilder llm = llm();

  // Every configuration that fits, one after another, one stream at a time: warm-ups, then measured runs
  private final PopulationBuilder matrix = BenchServing.steps(llm.matrix(), llm.stream("generate"));

  {
    setUp(matrix)
        .protocols(llm)
        .assertions(forAll().failedRequests().count().is(0L)) // every run must succeed
        .maxDuration(Duration.ofHours(24));
  }
}
