package dev.llmbench.report.input;

import java.util.List;
import java.util.Objects;

/**
 * A group that ended (record type 3).
 *
 * @param groups the group hierarchy, outermost first, this group last
 * @param startEpochMillis group start, milliseconds since the epoch
 * @param endEpochMillis group end, milliseconds since the epoch
 * @param cumulatedResponseTimeMillis sum of the response times of the requests inside, milliseconds
 * @param ok true for OK, false for KO
 */
public record GroupRecord(
    List<String> groups, long startEpochMillis, long endEpochMillis, int cumulatedResponseTimeMillis, boolean ok) {

  public GroupRecord {
    Objects.requireNonNull(groups, "groups");
  }

  /** Group duration in milliseconds: end minus start. */
  public int durationMillis() {
    return (int) (endEpochMillis - startEpochMillis);
  }
}
