package dev.llmbench.report.input;

import java.util.Objects;

/**
 * A virtual user starting or ending (record type 2).
 *
 * @param scenario the user's scenario name (resolved from the index stored in the log)
 * @param start true when the user starts, false when it ends
 * @param epochMillis when, milliseconds since the epoch
 */
public record UserRecord(String scenario, boolean start, long epochMillis) {

  public UserRecord {
    Objects.requireNonNull(scenario, "scenario");
  }
}
