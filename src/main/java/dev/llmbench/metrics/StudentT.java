package dev.llmbench.metrics;

/**
 * Student's t distribution: its CDF through the regularized incomplete beta function (continued
 * fraction by the modified Lentz method, Numerical Recipes 3rd ed. §6.4) and its quantile by bisection.
 * The project has no statistics library, and a confidence interval needs nothing more.
 */
public final class StudentT {
  private StudentT() {}

  private static final double EPS = 1e-15;
  private static final double TINY = 1e-300;

  /** P(T <= t) for {@code dof} degrees of freedom (> 0). */
  public static double cdf(double t, double dof) {
    if (!(dof > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, but was " + dof);
    }
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (Double.isInfinite(t)) {
      return t > 0 ? 1 : 0;
    }
    // P(|T| > |t|) = I_x(dof/2, 1/2) with x = dof / (dof + t^2)
    double x = dof / (dof + t * t);
    double tail = 0.5 * regularizedBeta(x, dof / 2, 0.5);
    return t > 0 ? 1 - tail : tail;
  }

  /**
   * The t with {@code cdf(t, dof) = p}, to about 1e-12 relative; e.g. {@code quantile(0.975, 10)} =
   * 2.228, the factor of a 95 % two-sided interval with 10 degrees of freedom.
   */
  public static double quantile(double p, double dof) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), but was " + p);
    }
    if (p == 0.5) {
      return 0;
    }
    if (p < 0.5) {
      return -quantile(1 - p, dof);
    }
    double lo = 0;
    double hi = 1;
    while (cdf(hi, dof) < p) {
      lo = hi;
      hi *= 2;
      if (hi > 1e300) {
        return Double.POSITIVE_INFINITY;
      }
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid, dof) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** The regularized incomplete beta function I_x(a, b), for x in [0, 1] and a, b > 0. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
    double front = Math.exp(lnFront);
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use the symmetry.
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
  }

  /** The continued fraction of the incomplete beta function, by the modified Lentz method. */
  private static double betaContinuedFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = Math.abs(d) < TINY ? TINY : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 10_000; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < TINY ? TINY : d;
      c = 1 + aa / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < TINY ? TINY : d;
      c = 1 + aa / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7};

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
  static double lnGamma(double x) {
    if (x < 0.5) {
      // reflection: Γ(x) Γ(1 - x) = π / sin(πx)
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
    }
    x -= 1;
    double sum = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
