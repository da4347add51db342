package simulations;

import dev.llmbench.config.Props;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Stress;
import dev.llmbench.llm.run.StressConfig;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The scoring runbook's stress tests, each an injection profile ending in pass/fail checks:
 * {@code -Dscenario=large-batch} (batches of 50, 100, 200 items, one at a time: all answered, right
 * shape, an out-of-memory answer named), {@code concurrent} (2, 4, 8, 16 users sending the same inputs
 * at once: no errors, equal answers), {@code sustained} (constant load for {@code -Dstress.duration=5m}:
 * latency drift, error growth, the server's memory growth) or {@code all}. One line per check ends
 * the run, and a failed check fails it.
 */
public class StressSimulation extends LlmSimulation {
  // The scenarios and their bounds, validated once; the run's server and model as for every simulation
  private final StressConfig stress = explained(() -> StressConfig.from(Props.system()));
  private final LlmProtocolBuilder llm = llm(stress.runProps(Props.system()));

  // large-batch, then concurrent, then sustained: each its own injection profile, one after another
  private final PopulationBuilder scenarios = Stress.scenarios(llm, stress);

  {
    setUp(scenarios)
        .protocols(llm)
        .maxDuration(stress.duration().plus(Duration.ofHours(1)));
  }
}
