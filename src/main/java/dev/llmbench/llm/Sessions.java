package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.run.SessionSettings;
import dev.llmbench.llm.stream.Keys;
import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.workload.Conversation;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.Random;

/**
 * Multi-turn sessions, Gatling's way: the virtual user's session holds its conversation ({@link Keys#CONVERSATION});
 * a loop over the turns adds the next user message, streams the whole conversation (the stream action sends it
 * with its {@code X-Session-ID} header and puts the server's answer back into it), and thinks before the next.
 * Each turn's request is in the group {@code turn-<k>}, so every figure (TTFT, E2E, ...) is reported per turn
 * number. Usable in any scenario: {@code scenario("chat").exec(sessions.conversation(llm.stream("turn")))}.
 */
public final class Sessions {
  /** The loop's counter, from 0. */
  static final String TURN_INDEX = "turnIndex";

  private final SessionSettings settings;
  private final PromptTokens prompts;
  private final long seed;

  /** The conversations of {@code settings}, their texts built by {@code prompts} from {@code seed}. */
  public Sessions(SessionSettings settings, PromptTokens prompts, long seed) {
    this.settings = settings;
    this.prompts = prompts;
    this.seed = seed;
  }

  public SessionSettings settings() {
    return settings;
  }

  /** Conversations to hold ({@code -Dsession.count}): as many virtual users. */
  public int count() {
    return settings.count();
  }

  /** The group of turn {@code k} (from 1). */
  public static String group(int turn) {
    return "turn-" + turn;
  }

  /** One virtual user's conversation: {@code -Dsession.turns} turns, each streamed by {@code stream}. */
  public ChainBuilder conversation(StreamActionBuilder stream) {
    return exec(this::start)
        .repeat(settings.turns(), TURN_INDEX).on(
            exec(this::nextTurn)
                .group(s -> group(s.getInt(TURN_INDEX) + 1)).on(exec(stream))
                // No pause after the last answer: the conversation is over.
                .doIf(s -> s.getInt(TURN_INDEX) + 1 < settings.turns()).then(exec(pause(this::thinkTime))));
  }

  /** A new conversation, its id the user's (unique in the run), with its system message if one is asked for. */
  Session start(Session session) {
    String system = settings.systemLen() == 0 ? null
        : prompts.build(settings.systemLen(), random(session.userId(), -1, 1)).text();
    return session.set(Keys.CONVERSATION, Conversation.start("session-" + session.userId(), system));
  }

  /** The next user turn added to the conversation, and the request that sends it. */
  Session nextTurn(Session session) {
    int turn = session.getInt(TURN_INDEX) + 1;
    Conversation c = ((Conversation) session.get(Keys.CONVERSATION))
        .withUser(prompts.build(settings.userLen(), random(session.userId(), turn, 2)).text());
    // Planned prompt tokens: the whole conversation as the prompts' method counts it (the answers included).
    int planned = c.messages().stream().mapToInt(m -> prompts.count(m.content())).sum();
    Ticket t = new Ticket(turn - 1, c.messages().get(c.messages().size() - 1).content(), planned,
        settings.outputLen(), 0, false, group(turn));
    return session.set(Keys.CONVERSATION, c).set(Keys.TICKET, t);
  }

  /** A think time drawn from an exponential distribution of {@code -Dsession.think.ms}'s mean; none for 0. */
  Duration thinkTime(Session session) {
    if (settings.thinkMs() == 0) {
      return Duration.ZERO;
    }
    double u = random(session.userId(), session.getInt(TURN_INDEX) + 1, 3).nextDouble();
    return Duration.ofNanos(Math.round(-Math.log(1 - u) * settings.thinkMs() * 1e6));
  }

  /** A draw of one user's turn, for one purpose: the same seed gives the same conversations run after run. */
  private Random random(long user, int turn, int purpose) {
    return Seeds.random(seed ^ (user * 0x9E3779B97F4A7C15L) ^ ((long) turn << 20) ^ ((long) purpose << 56));
  }
}
