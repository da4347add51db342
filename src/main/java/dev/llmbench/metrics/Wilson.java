package dev.llmbench.metrics;

/**
 * The Wilson score interval of a proportion (Wilson 1927): for {@code k} successes in {@code n} trials,
 * p̂ = k/n and the normal quantile z,
 * <pre>
 *   centre = (p̂ + z²/(2n)) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · sqrt(p̂(1 − p̂)/n + z²/(4n²))
 *   [centre − half, centre + half]
 * </pre>
 * Chosen over the normal ("Wald") interval because an accuracy gate is judged on a few hundred questions
 * with scores near 1, where Wald's interval collapses to a point at p̂ = 1 and spills over 1 just below it;
 * Wilson's stays inside [0, 1] and keeps close to its nominal coverage at small n.
 */
public final class Wilson {
  /** The two-sided 95 % normal quantile, Φ⁻¹(0.975). */
  public static final double Z95 = 1.959963984540054;

  private Wilson() {}

  /** An interval of a proportion, both ends in [0, 1]. */
  public record Interval(double low, double high) {}

  /** The 95 % Wilson interval of {@code successes} out of {@code trials} ({@code trials} > 0). */
  public static Interval interval95(long successes, long trials) {
    return interval(successes, trials, Z95);
  }

  /** The Wilson interval of {@code successes} out of {@code trials} at normal quantile {@code z}. */
  public static Interval interval(long successes, long trials, double z) {
    if (trials <= 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException("need 0 <= successes <= trials and trials > 0, but got " + successes
          + " of " + trials);
    }
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // At k = 0 and k = n the ends are exactly 0 and 1 (the closed forms); rounding would put them a hair inside.
    return new Interval(successes == 0 ? 0 : Math.max(0, centre - half),
        successes == trials ? 1 : Math.min(1, centre + half));
  }
}
