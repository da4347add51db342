package dev.llmbench.it.sims;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * bench_serving's {@code --num-prompts N --request-rate R} written with Gatling's DSL alone: users
 * arriving at R a second, at randomized (Poisson) times, for N / R seconds, each streaming one prompt.
 */
public class PlainOpenSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();
  private final double rate = llm.config().requestRates().get(0);
  private final Duration during = Duration.ofMillis(Math.round(llm.requests().size() / rate * 1000));

  private final ScenarioBuilder plain = scenario("plain")
      .feed(llm.prompts()).group("open").on(exec(llm.stream("generate")));

  {
    setUp(plain.injectOpen(constantUsersPerSec(rate).during(during).randomized())).protocols(llm);
  }
}
