package dev.llmbench.report.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * How many measured requests of a group failed with one error message.
 *
 * @param message the error message as the side file recorded it
 * @param count how many requests failed with it, at least 1
 */
public record ErrorCount(String message, long count) {

  /** Most frequent first, then by message. */
  public static final Comparator<ErrorCount> ORDER =
      Comparator.comparingLong(ErrorCount::count).reversed().thenComparing(ErrorCount::message);

  public ErrorCount {
    Objects.requireNonNull(message, "message");
    if (count < 1) {
      throw new IllegalArgumentException("count of error '" + message + "' must be >= 1, but was " + count);
    }
  }
}
