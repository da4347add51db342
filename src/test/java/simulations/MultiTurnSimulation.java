package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Sessions;

/**
 * Multi-turn chat sessions: {@code -Dsession.count} users, each holding one conversation of
 * {@code -Dsession.turns} turns. Each turn resends the whole history (the server's own answers included)
 * with an {@code X-Session-ID} header, after a think time ({@code -Dsession.think.ms}); every figure is
 * reported per turn number (groups {@code turn-1}, {@code turn-2}, ...).
 */
public class MultiTurnSimulation extends LlmSimulation {
  private final LlmProtocolBuilder llm = llm();

  // The conversations of -Dsession.*: a user message of -Dsession.user.len tokens a turn, -Dsession.output.len answered
  private final Sessions sessions = llm.sessions();

  {
    setUp(scenario("multi-turn").exec(sessions.conversation(llm.stream("turn")))
            .injectOpen(atOnceUsers(sessions.count())))
        .protocols(llm)
        .assertions(forAll().failedRequests().percent().lte(1.0));
  }
}
