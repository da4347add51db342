package dev.llmbench.llm.run;

import dev.llmbench.accuracy.Gsm8k;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The accuracy gate's configuration (docs/accuracy.md), read once and validated: off unless
 * {@code -Daccuracy=gsm8k}.
 *
 * @param benchmark {@code -Daccuracy}: {@code gsm8k}, or null for no gate
 * @param questions {@code -Daccuracy.questions}: the first N test questions; 200 by default, SGLang's
 *     {@code --num-questions} default, whose 95 % interval is about ±0.05 at an accuracy of 0.85 for a
 *     minute or two of a real server's time (all 1,319 narrow it to ±0.02)
 * @param shots {@code -Daccuracy.shots}: few-shot examples before each question, 5 by default (SGLang's
 *     {@code --num-shots}); up to the 8 shipped
 * @param threshold {@code -Daccuracy.threshold}: the least accuracy that passes, 0.8 by default (the seed's
 *     online script's {@code --threshold})
 * @param skip {@code -Daccuracy.skip=true}: no gate, whatever {@code -Daccuracy} says (the seed's
 *     {@code --skip-gsm8k})
 * @param concurrency {@code -Daccuracy.concurrency}: requests in flight at once, 32 by default
 * @param maxTokens {@code -Daccuracy.max.tokens}: each reply's longest, 512 by default (SGLang's script's):
 *     a GSM8K chain of thought takes 100 to 300 tokens, and a cut one loses its final number
 */
public record AccuracyConfig(String benchmark, int questions, int shots, double threshold, boolean skip,
    int concurrency, int maxTokens) {

  /** The benchmarks the gate knows. */
  public static final String GSM8K = "gsm8k";

  /** Every property read here. */
  public static final Set<String> KEYS = Set.of("accuracy", "accuracy.questions", "accuracy.shots",
      "accuracy.threshold", "accuracy.skip", "accuracy.concurrency", "accuracy.max.tokens");

  /** No gate. */
  public static final AccuracyConfig OFF = new AccuracyConfig(null, 200, 5, 0.8, false, 32, 512);

  /** Whether the gate runs: a benchmark is named and not skipped. */
  public boolean enabled() {
    return benchmark != null && !skip;
  }

  public static AccuracyConfig from(Props p) {
    for (String key : p.keysWithPrefix("accuracy.")) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown property " + key + "; the accuracy gate's properties are "
            + new TreeSet<>(KEYS));
      }
    }
    String raw = p.raw("accuracy");
    String benchmark = raw == null || raw.isBlank() || raw.equalsIgnoreCase("off") ? null
        : raw.trim().toLowerCase(Locale.ROOT);
    if (benchmark != null && !benchmark.equals(GSM8K)) {
      throw new ConfigException("accuracy must be " + GSM8K + " or off, but was " + raw);
    }
    // The data is read only for a gate (a malformed line is reported here, at the run's start).
    boolean gate = benchmark != null && !p.bool("accuracy.skip", false);
    return new AccuracyConfig(benchmark,
        p.integer("accuracy.questions", OFF.questions(), 1, gate ? Gsm8k.test().size() : Integer.MAX_VALUE),
        p.integer("accuracy.shots", OFF.shots(), 0, gate ? Gsm8k.shots().size() : Integer.MAX_VALUE),
        p.decimal("accuracy.threshold", OFF.threshold(), 0, 1),
        p.bool("accuracy.skip", false),
        p.integer("accuracy.concurrency", OFF.concurrency(), 1, 1024),
        p.integer("accuracy.max.tokens", OFF.maxTokens(), 1, 1_000_000));
  }

  /** For the start line. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, %d questions, %d-shot, threshold %.2f, max_tokens %d, %d in flight",
        benchmark, questions, shots, threshold, maxTokens, concurrency);
  }
}
