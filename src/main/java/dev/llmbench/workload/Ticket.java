package dev.llmbench.workload;

/**
 * One request to send.
 *
 * @param index position in its phase, from 0
 * @param prompt the prompt text
 * @param inputTokens prompt tokens the prompt was built with
 * @param outputTokens output tokens to ask for
 * @param arrivalOffsetNanos when to send it, from the start of its phase (0 = at once)
 * @param warmup whether it is a warm-up, left out of every statistic
 * @param group the profile/config it belongs to (the Gatling group of its rows)
 * @param messagesJson a dataset's chat messages, a JSON array sent as they are ({@link Dataset}'s
 *     {@code messages} rows; {@code prompt} then holds their contents); null sends {@code prompt} as one
 *     user message
 */
public record Ticket(int index, String prompt, int inputTokens, int outputTokens, long arrivalOffsetNanos,
    boolean warmup, String group, String messagesJson) {

  /** A ticket whose prompt is one user message. */
  public Ticket(int index, String prompt, int inputTokens, int outputTokens, long arrivalOffsetNanos, boolean warmup,
      String group) {
    this(index, prompt, inputTokens, outputTokens, arrivalOffsetNanos, warmup, group, null);
  }

  public Ticket withGroup(String newGroup) {
    return new Ticket(index, prompt, inputTokens, outputTokens, arrivalOffsetNanos, warmup, newGroup, messagesJson);
  }

  public Ticket withArrival(long offsetNanos) {
    return new Ticket(index, prompt, inputTokens, outputTokens, offsetNanos, warmup, group, messagesJson);
  }
}
