package dev.llmbench.report.compare;

/** Input the comparison cannot use: a folder that is not a result, fewer than two, an unknown reference, a bad price. */
public final class CompareException extends Exception {
  public CompareException(String message) {
    super(message);
  }

  public CompareException(String message, Throwable cause) {
    super(message, cause);
  }
}
