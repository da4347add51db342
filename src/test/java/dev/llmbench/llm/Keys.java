package dev.llmbench.llm;

/** Session attribute names: the single source of truth for what feeders give the streaming action. */
public final class Keys {
  /** The prompt text (String). */
  public static final String PROMPT = "prompt";
  /** Prompt tokens the prompt was built with (int). */
  public static final String INPUT_TOKENS = "inputTokens";
  /** Output tokens to ask for (int). */
  public static final String OUTPUT_TOKENS = "maxTokens";
  /** Whether this request is a warm-up, left out of every statistic (boolean). */
  public static final String WARMUP = "warmup";
  /** The Gatling group of the request's rows (String). */
  public static final String GROUP = "group";
  /** When to send, in nanoseconds from the start of the phase (long). */
  public static final String ARRIVAL_NANOS = "arrivalNanos";
  /** When the virtual user took the request, a {@link System#nanoTime()} stamp (long). */
  public static final String TAKEN_NANOS = "takenNanos";
  /**
   * When the request was due, a {@link System#nanoTime()} stamp (long), set only for a request that
   * waited for its scheduled arrival: the stream action reports its send lag from it.
   */
  public static final String DUE_NANOS = "dueNanos";

  private Keys() {}
}
