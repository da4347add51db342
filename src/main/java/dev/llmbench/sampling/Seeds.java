package dev.llmbench.sampling;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Random sources from the users' seeds ({@code -Dseed}, 1 by default, as bench_serving's;
 * {@code -Dregression.bootstrap.seed}), and the draws they need beyond {@link Random}'s.
 */
public final class Seeds {
  /**
   * Which requests a seed draws: the random prompts' tokens and lengths, and the arrival gaps. A run
   * records it ({@code sampling} among its load parameters) and a baseline is compared only with runs
   * of the same version, so raise it with any change to what a seed draws (a generator, an order of
   * draws, a distribution): a baseline taken before is then refused as not comparable, instead of
   * being compared with other requests. Version 2 spreads the seed over 64 bits ({@link #random});
   * results from before the version was recorded are taken as version 1, the draws of
   * {@code new Random(seed)} that every result had until 2026-11-25.
   */
  public static final int SAMPLING_VERSION = 2;

  /** The version of results from before {@link #SAMPLING_VERSION} was recorded. */
  public static final int UNRECORDED_SAMPLING_VERSION = 1;

  private Seeds() {}

  /**
   * A {@link Random} for {@code seed}, which is first spread over 64 bits: {@code new Random(seed)}
   * with small nearby seeds (1, 2, 3, ...) gives nearly the same first draws (seeds 1 to 8 drew a first
   * input length of 858-864 in 512-1024, and over seeds 1 to 4,000 the first arrival gap at 4 req/s
   * averaged 0.40 s, not 0.25 s), so runs averaged over seeds would not be independent in their first
   * requests.
   */
  public static Random random(long seed) {
    return new Random(new SplittableRandom(seed).nextLong());
  }

  /** Gamma(shape k, scale theta) by Marsaglia and Tsang; k < 1 boosted as usual. */
  public static double gamma(double k, double theta, Random random) {
    if (k < 1) {
      double u = random.nextDouble();
      return gamma(1 + k, theta, random) * Math.pow(u, 1 / k);
    }
    double d = k - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = random.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * theta;
      }
    }
  }
}
