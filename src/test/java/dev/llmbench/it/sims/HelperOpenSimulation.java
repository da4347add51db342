package dev.llmbench.it.sims;

import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;

/** The same load as {@link PlainOpenSimulation}, through the named helper: Poisson arrivals, no limit. */
public class HelperOpenSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();

  private final PopulationBuilder open = BenchServing.requestRate("open", llm.requests(),
      llm.config().requestRates().get(0), llm.config().burstiness(), llm.config().seed(), null, llm.stream("generate"));

  {
    setUp(open).protocols(llm);
  }
}
