package dev.llmbench.report.baseline;

/**
 * A baseline cannot be used: it is missing, unreadable, or was taken under other conditions. The kind
 * tells the standalone command which exit code to use; library code only throws.
 */
public final class BaselineException extends Exception {
  /** Why a baseline cannot be used. */
  public enum Kind {
    /** No baseline file for this framework and profile; the message says how to create one. */
    MISSING,
    /** A baseline file exists but cannot be read as one (format, version, checksum). */
    CORRUPT,
    /** The baseline was taken with other load parameters or another model: not comparable. */
    MISMATCH,
    /** The command was used wrongly (arguments, run folders). */
    USAGE
  }

  private final Kind kind;

  public BaselineException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BaselineException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
