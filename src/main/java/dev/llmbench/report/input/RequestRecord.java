package dev.llmbench.report.input;

import java.util.List;
import java.util.Objects;

/**
 * One response Gatling logged (record type 1): an HTTP request, or one of our streaming rows
 * (TTFT, ITL, TPOT, E2E, warm-up). Gatling does not store the scenario or the response code here.
 *
 * @param groups the group hierarchy, outermost first; empty when the request is in no group
 * @param name the request name (a report key)
 * @param startEpochMillis request start, milliseconds since the epoch (whole ms, as Gatling stores it)
 * @param endEpochMillis response end, milliseconds since the epoch
 * @param ok true for OK, false for KO
 * @param message the failure message, "" when none
 */
public record RequestRecord(
    List<String> groups, String name, long startEpochMillis, long endEpochMillis, boolean ok, String message) {

  public RequestRecord {
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
  }

  /** Response time in milliseconds, as Gatling computes it: end minus start. */
  public int responseTimeMillis() {
    return (int) (endEpochMillis - startEpochMillis);
  }
}
