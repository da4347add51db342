package dev.llmbench.report.model;

/**
 * What the run saw of its server's health, for the validity verdict: whether the circuit breaker
 * stopped the run, how many requests were planned, sent and not sent, and how many measured requests
 * failed before any response byte (connection refused, reset or closed: failures that cost the client
 * CPU without measuring any serving).
 *
 * @param breakerReason why the circuit breaker tripped, or null when it did not
 * @param trippedAt when it tripped (ISO-8601), or null
 * @param planned measured requests the run planned; -1 when unknown (a run from before the breaker)
 * @param sent measured requests sent (each has a row in the side file, failed or not)
 * @param notSent measured requests the run did not send, because the breaker tripped; planned = sent +
 *     not sent when nothing else stopped the run
 * @param measured measured requests with a result
 * @param connectionFailures measured requests that failed before any response byte
 */
public record ServerHealth(String breakerReason, String trippedAt, long planned, long sent, long notSent,
    long measured, long connectionFailures) {

  public ServerHealth {
    if (sent < 0 || notSent < 0 || measured < 0 || connectionFailures < 0 || connectionFailures > measured) {
      throw new IllegalArgumentException("server health counts must satisfy 0 <= connection failures <= measured, "
          + "sent >= 0, not sent >= 0, but were " + connectionFailures + ", " + measured + ", " + sent + ", " + notSent);
    }
  }

  public boolean tripped() {
    return breakerReason != null;
  }

  /**
   * Most measured requests failed fast, before any response byte: the server was gone, whatever the
   * breaker did (it may have been turned off).
   */
  public boolean mostlyConnectionFailures() {
    return measured > 0 && connectionFailures * 2 > measured;
  }

  /** The load stopped before its end (the breaker, or requests left unsent): its figures are not the planned run's. */
  public boolean stoppedEarly() {
    return tripped() || notSent > 0;
  }

  /** {@code N of M requests not sent}, as the result block, the verdict and the page say it. */
  public String notSentPhrase() {
    return notSent + " of " + planned + " requests not sent";
  }

  /** The server failed the run: the breaker tripped, or most requests could not reach it. */
  public boolean failing() {
    return tripped() || mostlyConnectionFailures();
  }
}
