package dev.llmbench.llm.run;

import dev.llmbench.config.Props;
import java.util.Locale;

/**
 * A multi-turn run's properties ({@code -Dsession.*}, docs/workloads.md "Multi-turn sessions"), read once with
 * the rest of the configuration and checked there.
 *
 * @param count {@code -Dsession.count}: conversations, one virtual user each, all started at once
 * @param turns {@code -Dsession.turns}: user turns of each conversation
 * @param userLen {@code -Dsession.user.len}: tokens of each user turn
 * @param outputLen {@code -Dsession.output.len}: output tokens asked for each turn
 * @param systemLen {@code -Dsession.system.len}: tokens of a system message at the start, 0 for none
 * @param thinkMs {@code -Dsession.think.ms}: mean think time between an answer and the next turn, in ms; each
 *     drawn from an exponential distribution of that mean (seeded), as users' pauses are modelled; 0 for none
 */
public record SessionSettings(int count, int turns, int userLen, int outputLen, int systemLen, double thinkMs) {
  public static final String COUNT = "session.count";
  public static final String TURNS = "session.turns";
  public static final String USER_LEN = "session.user.len";
  public static final String OUTPUT_LEN = "session.output.len";
  public static final String SYSTEM_LEN = "session.system.len";
  public static final String THINK_MS = "session.think.ms";

  static SessionSettings from(Props p) {
    return new SessionSettings(
        p.integer(COUNT, 4, 1, 1_000_000),
        p.integer(TURNS, 3, 1, 10_000),
        p.integer(USER_LEN, 64, 1, 10_000_000),
        p.integer(OUTPUT_LEN, 32, 1, 10_000_000),
        p.integer(SYSTEM_LEN, 0, 0, 10_000_000),
        p.decimal(THINK_MS, 0, 0, 86_400_000));
  }

  /** As the start line and {@code llm-run.json} say it; a baseline compares it. */
  public String describe() {
    return String.format(Locale.ROOT, "sessions=%d turns=%d user.len=%d output.len=%d system.len=%d think.ms=%s",
        count, turns, userLen, outputLen, systemLen, thinkMs);
  }
}
