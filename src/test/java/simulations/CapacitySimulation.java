package simulations;

import dev.llmbench.config.Props;
import dev.llmbench.llm.Capacity;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The highest load that meets the objectives: {@code -Dslo=ttft:500,tpot:50} (ms) held at their
 * {@code -Dslo.percentile=99}th percentile, searched over the request rate ({@code -Dsearch=rate},
 * Poisson arrivals) or the streams in flight ({@code -Dsearch=concurrency}); {@code -Dprofile},
 * {@code -Dnum.prompts} make each step (docs/capacity.md).
 */
public class CapacitySimulation extends LlmSimulation {
  // A step whose server falls behind its arrivals has failed: it stops there (-Dstop.on.saturation=false keeps it)
  private final LlmProtocolBuilder llm = llm(Props.system().withDefault("stop.on.saturation", "true"));

  // Steps one after another, each its own group: warm-up requests, then -Dnum.prompts at the step's
  // load; the load doubles from -Dsearch.start until a step misses an objective, then bisects the
  // bracket to within -Dsearch.tolerance (at most -Dsearch.max.steps steps)
  private final PopulationBuilder search = Capacity.search(llm.capacity(Props.system()), llm.stream("generate"));

  {
    setUp(search)
        .protocols(llm)
        .maxDuration(Duration.ofHours(24));
  }
}
