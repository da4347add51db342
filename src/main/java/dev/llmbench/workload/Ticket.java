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
 */
public record Ticket(int index, String prompt, int inputTokens, int outputTokens, long arrivalOffsetNanos,
    boolean warmup, String group) {

  public Ticket withGroup(String newGroup) {
    return new Ticket(index, prompt, inputTokens, outputTokens, arrivalOffsetNanos, warmup, newGroup);
  }

  public Ticket withArrival(long offsetNanos) {
    return new Ticket(index, prompt, inputTokens, outputTokens, offsetNanos, warmup, group);
  }
}
