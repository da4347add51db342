package dev.llmbench.io;

import java.util.Locale;

/** How every report writes a decimal number: six decimals at most, no trailing zeros, always {@link Locale#ROOT}. */
public final class Numbers {
  private Numbers() {}

  /** {@code 1.5}, {@code 2}, {@code 0.000001}; NaN (an undefined value) is the empty string. */
  public static String decimal(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("cannot write an infinite number: " + value);
    }
    String s = String.format(Locale.ROOT, "%.6f", value);
    if (s.indexOf('.') >= 0) {
      int end = s.length();
      while (s.charAt(end - 1) == '0') {
        end--;
      }
      if (s.charAt(end - 1) == '.') {
        end--;
      }
      s = s.substring(0, end);
    }
    return s.equals("-0") ? "0" : s;
  }
}
