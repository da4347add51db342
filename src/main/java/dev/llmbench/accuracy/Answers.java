package dev.llmbench.accuracy;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a GSM8K reply is scored: its answer is the last number in it, commas stripped (as SGLang's
 * {@code benchmark/gsm8k/bench_sglang.py} takes it), compared by value with the reference's number after
 * {@code ####}. Unlike SGLang's {@code \d+}, a minus sign and decimals belong to the number
 * ({@code -10} is not 10, {@code 7.50} is 7.5 and equals a reference of 7.5): a few references are
 * negative, and SGLang's rule scores a reply "-10" right for a reference "10".
 */
public final class Answers {
  /** A run of digits with an optional decimal part; the sign is judged by the character before it. */
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  private Answers() {}

  /**
   * The last number of {@code reply} with its commas stripped, or null when it has none. A minus sign
   * counts only when no letter or digit is right before it ("5-3" ends in 3, "is -3" in -3).
   */
  public static BigDecimal lastNumber(String reply) {
    if (reply == null) {
      return null;
    }
    String text = reply.replace(",", "");
    Matcher m = NUMBER.matcher(text);
    String last = null;
    int start = -1;
    while (m.find()) {
      last = m.group();
      start = m.start();
    }
    if (last == null) {
      return null;
    }
    if (last.startsWith("-") && start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
      last = last.substring(1);
    }
    return new BigDecimal(last);
  }

  /** Whether {@code reply}'s last number equals {@code reference} by value ({@code 18.0} is 18). */
  public static boolean correct(String reply, BigDecimal reference) {
    BigDecimal got = lastNumber(reply);
    return got != null && got.compareTo(reference) == 0;
  }
}
