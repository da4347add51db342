package dev.llmbench.io;

import java.math.BigDecimal;

/** Numbers written as a user types them in a property: {@code 25}, {@code 0.5}, never {@code 25.0} or {@code 5E-1}. */
public final class PlainNumbers {
  private PlainNumbers() {}

  /** {@code value} without a fraction when it is whole, else its shortest plain decimal. */
  public static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
