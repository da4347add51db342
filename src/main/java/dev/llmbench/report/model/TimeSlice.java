package dev.llmbench.report.model;

import java.util.Objects;

/**
 * One time slice of a group ({@code -Dslice.sec}, AIPerf's {@code --slice-duration}): the measured
 * requests sent within it and their figures. Times are seconds from the group's first send.
 *
 * @param index the slice's number, from 0
 * @param startSec where it starts
 * @param endSec where it ends: start plus the slice length, the last slice cut at the group's last end
 * @param requests measured requests sent within it
 * @param completed those that completed
 * @param failed those that failed
 * @param requestThroughput completed requests per second over the slice's span (its first send to its last end)
 * @param outputThroughput output tokens of the completed requests per second over that span
 * @param ttftMs TTFT of the completed requests
 * @param tpotMs TPOT of the completed requests (those of more than one output token)
 * @param itlMs every gap between content chunks of the completed requests
 * @param e2eMs E2E latency of the completed requests
 * @param meanInFlight requests in flight on average over the slice, each counted from its send to its end
 *     (whichever slice it was sent in)
 */
public record TimeSlice(int index, double startSec, double endSec, long requests, long completed, long failed,
    double requestThroughput, double outputThroughput, Distribution ttftMs, Distribution tpotMs, Distribution itlMs,
    Distribution e2eMs, double meanInFlight) {

  public TimeSlice {
    if (index < 0 || requests != completed + failed) {
      throw new IllegalArgumentException("slice " + index + ": " + requests + " requests, but " + completed
          + " completed and " + failed + " failed");
    }
    Objects.requireNonNull(ttftMs, "ttftMs");
    Objects.requireNonNull(tpotMs, "tpotMs");
    Objects.requireNonNull(itlMs, "itlMs");
    Objects.requireNonNull(e2eMs, "e2eMs");
  }
}
