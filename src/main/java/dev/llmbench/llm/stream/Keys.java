package dev.llmbench.llm.stream;

/** Session attribute names: the single source of truth for what is handed to the streaming action. */
public final class Keys {
  /** The request to send, a {@link dev.llmbench.workload.Ticket}: prompt, lengths, warm-up flag, group, arrival. */
  public static final String TICKET = "ticket";
  /** The request to send for a pooling step, a {@link dev.llmbench.workload.PoolingRequest}: query, items, labels. */
  public static final String POOLING = "pooling";
  /** When the virtual user took the request, a {@link System#nanoTime()} stamp (long). */
  public static final String TAKEN_NANOS = "takenNanos";
  /**
   * When the request was due, a {@link System#nanoTime()} stamp (long), set only for a request that
   * waited for its scheduled arrival: the stream action reports its send lag from it.
   */
  public static final String DUE_NANOS = "dueNanos";
  /**
   * When the virtual user's phase started, a {@link System#nanoTime()} stamp (long), set once per user,
   * only in a phase whose requests have arrival times (a schedule, or a concurrency limit): a request's
   * scheduled arrival is this plus its ticket's offset, from which its client queue time is measured.
   */
  public static final String PHASE_START_NANOS = "phaseStartNanos";

  /**
   * A multi-turn session's conversation so far, a {@link dev.llmbench.workload.Conversation}, its last message
   * the user turn to send: the stream action sends the whole conversation with its session header and puts
   * it back with the server's answer added.
   */
  public static final String CONVERSATION = "conversation";

  private Keys() {}
}
