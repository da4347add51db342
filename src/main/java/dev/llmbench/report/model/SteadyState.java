package dev.llmbench.report.model;

import java.util.Objects;

/**
 * A group's steady-state window: ramp-up and drain left out (the rule is {@code report.stats.TimeSlices}'s).
 * Times are seconds from the group's first send.
 *
 * @param startSec where the window starts: when the requests in flight first reached the plateau
 * @param endSec where it ends: the group's last send (the drain after it is left out)
 * @param plateauInFlight the in-flight count that counts as the plateau
 * @param requests measured requests sent within the window
 * @param completed those that completed
 * @param requestThroughput requests completed within the window per second of it
 * @param outputThroughput their output tokens per second of the window
 * @param ttftMs TTFT of the completed requests sent within the window
 * @param tpotMs their TPOT (those of more than one output token)
 * @param e2eMs their E2E latency
 */
public record SteadyState(double startSec, double endSec, int plateauInFlight, long requests, long completed,
    double requestThroughput, double outputThroughput, Distribution ttftMs, Distribution tpotMs, Distribution e2eMs) {

  public SteadyState {
    if (endSec < startSec || completed > requests) {
      throw new IllegalArgumentException("steady state [" + startSec + ", " + endSec + "] s with " + completed
          + " of " + requests + " requests completed");
    }
    Objects.requireNonNull(ttftMs, "ttftMs");
    Objects.requireNonNull(tpotMs, "tpotMs");
    Objects.requireNonNull(e2eMs, "e2eMs");
  }
}
