package dev.llmbench.it.sims;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;

/**
 * bench_serving's {@code --num-prompts N --max-concurrency C} written with Gatling's DSL alone: C
 * users at once, each streaming N / C of the prompts one after another.
 */
public class PlainClosedSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();
  private final int streams = llm.config().maxConcurrency();
  private final int each = llm.requests().size() / streams;

  private final ScenarioBuilder plain = scenario("plain")
      .repeat(each).on(feed(llm.prompts()).group("closed").on(exec(llm.stream("generate"))));

  {
    setUp(plain.injectOpen(atOnceUsers(streams))).protocols(llm);
  }
}
