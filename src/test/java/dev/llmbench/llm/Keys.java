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

  private Keys() {}
}
