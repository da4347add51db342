package dev.llmbench.report.input;

import java.util.Objects;

/**
 * An error outside any response (record type 4), e.g. a crashed request build or a failed session
 * expression.
 *
 * @param message the error message
 * @param epochMillis when, milliseconds since the epoch
 */
public record ErrorRecord(String message, long epochMillis) {

  public ErrorRecord {
    Objects.requireNonNull(message, "message");
  }
}
