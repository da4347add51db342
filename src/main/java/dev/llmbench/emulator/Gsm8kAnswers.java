package dev.llmbench.emulator;

import dev.llmbench.accuracy.Gsm8k;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The emulator's GSM8K mode ({@code -Demulator.accuracy=<share>}): a prompt whose last {@code Question:}
 * is one of the shipped test questions ({@link Gsm8k#test()}) is answered with a short chain of thought
 * that ends in the reference's number for a deterministic share of the questions ({@link #answersRight}: a
 * hash of the question against the share, the same on every run and every server) and in another number
 * for the rest. The reply ends {@code "#### <n>"} or {@code "The answer is <n>."}, as real models end
 * theirs, so both shapes reach the gate's answer extraction. Other prompts get the usual seeded words.
 */
public final class Gsm8kAnswers {
  private final double share;
  private final Map<String, Gsm8k.Item> byQuestion = new HashMap<>();

  Gsm8kAnswers(double share) {
    this.share = share;
    for (Gsm8k.Item item : Gsm8k.test()) {
      byQuestion.putIfAbsent(item.question(), item);
    }
  }

  /**
   * Whether the emulator at {@code share} answers {@code question} right: a hash of the question, as a
   * uniform number in [0, 1), below the share. Tests count the expected score with it.
   */
  public static boolean answersRight(String question, double share) {
    return unit(question) < share;
  }

  /** The question's hash as a uniform number in [0, 1). */
  private static double unit(String question) {
    return (ScoreRequest.mix(hash(question)) >>> 11) * 0x1.0p-53;
  }

  private static long hash(String s) {
    long h = 1125899906842597L; // a 64-bit string hash: String.hashCode's 32 bits collide too soon
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return h;
  }

  /** The scripted reply's tokens (words, each sent with a space before it), or null for a prompt of no known question. */
  String[] reply(String prompt) {
    String question = Gsm8k.lastQuestion(prompt);
    Gsm8k.Item item = question == null ? null : byQuestion.get(question);
    if (item == null) {
      return null;
    }
    long h = ScoreRequest.mix(hash(question) ^ 0x5DEECE66DL);
    BigDecimal n = answersRight(question, share) ? item.reference()
        : item.reference().add(BigDecimal.valueOf(1 + Long.remainderUnsigned(h, 9))); // never the reference
    String number = n.stripTrailingZeros().toPlainString();
    String ending = (h & 1) == 0 ? "#### " + number : "The answer is " + number + ".";
    return ("Let us work through the question step by step, combining the quantities it gives. " + ending)
        .split(" ");
  }
}
