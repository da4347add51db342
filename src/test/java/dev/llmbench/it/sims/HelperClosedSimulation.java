package dev.llmbench.it.sims;

import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;

/** The same load as {@link PlainClosedSimulation}, through the named helper. */
public class HelperClosedSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();

  private final PopulationBuilder closed = BenchServing.maxConcurrency("closed", llm.requests(),
      llm.config().maxConcurrency(), llm.stream("generate"));

  {
    setUp(closed).protocols(llm);
  }
}
