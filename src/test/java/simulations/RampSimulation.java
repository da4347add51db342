package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;

/**
 * A load of Gatling's own injection profiles, open then closed: arrivals ramped up to 4 a second,
 * then 4 streams at once. Every request streams one of the profile's prompts and is timed per token
 * event; the run gets its result folder and baseline verdict as any other.
 */
public class RampSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();

  private final ChainBuilder chat = feed(llm.prompts().circular())
      .group("chat").on(exec(llm.stream("generate")));

  {
    setUp(scenario("ramp").exec(chat).injectOpen(rampUsersPerSec(1).to(4).during(3))
            .andThen(scenario("steady").exec(chat).injectClosed(constantConcurrentUsers(4).during(3))))
        .protocols(llm);
  }
}
