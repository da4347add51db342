package dev.llmbench.report.render;

import dev.llmbench.io.Numbers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How the reports show a memory figure to a reader (the matrix table on the console and the page,
 * the page's run facts): GiB with three significant digits and at least one decimal, so 36 MiB is
 * {@code 0.0352}, 512 MiB {@code 0.500}, 1.5 GiB {@code 1.50} and 44.2031 GiB {@code 44.2} (from
 * 100 GiB one decimal: {@code 147.6}). One unit for the whole column, and a small model or cache
 * never shows as {@code 0.0}. Files for machines ({@code matrix.csv}, {@code summary.json},
 * {@code index.csv}) keep {@link Numbers#decimal}'s six decimals of GiB, about a KiB.
 */
public final class MemoryFormat {
  private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

  private MemoryFormat() {}

  /** {@code gib} GiB as the reports show it, without its unit. */
  public static String gib(double gib) {
    if (Double.isNaN(gib) || Double.isInfinite(gib)) {
      throw new IllegalArgumentException("not a memory figure: " + gib);
    }
    if (gib == 0) {
      return "0.0";
    }
    BigDecimal exact = BigDecimal.valueOf(gib);
    if (Math.abs(gib) >= 100) {
      return exact.setScale(1, RoundingMode.HALF_UP).toPlainString();
    }
    BigDecimal rounded = exact.round(THREE_DIGITS);
    int integerDigits = rounded.precision() - rounded.scale(); // 2 for 44.2, -1 for 0.0403
    return rounded.setScale(Math.max(1, 3 - integerDigits), RoundingMode.HALF_UP).toPlainString();
  }
}
