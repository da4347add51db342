package dev.llmbench.metrics;

/**
 * An ordinary least-squares line {@code y = intercept + slope * x}, with the slope's standard error
 * and its 95 % confidence interval (Student t with n - 2 degrees of freedom), for judging whether
 * latency, errors, memory or in-flight requests grow over a run.
 *
 * @param n number of points
 * @param slope the fitted slope (NaN for fewer than 2 points or x all equal)
 * @param intercept the fitted intercept
 * @param slopeStdErr the slope's standard error {@code sqrt(SSE / (n - 2) / Sxx)}; NaN for fewer than 3 points
 */
public record LinearFit(int n, double slope, double intercept, double slopeStdErr) {

  /** A closed interval. */
  public record Interval(double low, double high) {}

  /** The least-squares line through the points {@code (x[i], y[i])}. */
  public static LinearFit of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
    }
    int n = x.length;
    if (n < 2) {
      return new LinearFit(n, Double.NaN, Double.NaN, Double.NaN);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      sxx += dx * dx;
      sxy += dx * (y[i] - my);
    }
    if (!(sxx > 0)) {
      return new LinearFit(n, Double.NaN, Double.NaN, Double.NaN);
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    if (n < 3) {
      return new LinearFit(n, slope, intercept, Double.NaN);
    }
    double sse = 0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - (intercept + slope * x[i]);
      sse += r * r;
    }
    return new LinearFit(n, slope, intercept, Math.sqrt(sse / (n - 2) / sxx));
  }

  /**
   * The slope's 95 % confidence interval, {@code slope ± t(0.975; n - 2) * slopeStdErr}; (-∞, +∞)
   * when there are fewer than 3 points.
   */
  public Interval ci95() {
    if (n < 3 || Double.isNaN(slopeStdErr)) {
      return new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
    double half = StudentT.quantile(0.975, n - 2) * slopeStdErr;
    return new Interval(slope - half, slope + half);
  }
}
