package dev.llmbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearFitTest {

  @Test
  void tQuantilesMatchTheTable() {
    assertEquals(12.706, StudentT.quantile(0.975, 1), 5e-4);
    assertEquals(4.303, StudentT.quantile(0.975, 2), 5e-4);
    assertEquals(2.228, StudentT.quantile(0.975, 10), 5e-4);
    assertEquals(2.042, StudentT.quantile(0.975, 30), 5e-4);
    assertEquals(1.960, StudentT.quantile(0.975, 1e7), 5e-4);
    assertEquals(-2.228, StudentT.quantile(0.025, 10), 5e-4);
    assertEquals(3.169, StudentT.quantile(0.995, 10), 5e-4);
    assertEquals(0, StudentT.quantile(0.5, 3));
  }

  @Test
  void tCdfHasKnownValues() {
    // dof 1 is the Cauchy distribution: CDF = 1/2 + atan(t) / π
    for (double t : new double[] {-3, -0.5, 0, 0.7, 2, 10}) {
      assertEquals(0.5 + Math.atan(t) / Math.PI, StudentT.cdf(t, 1), 1e-12, "t=" + t);
    }
    // dof 2: CDF = 1/2 + t / (2 sqrt(2 + t^2))
    for (double t : new double[] {-4, -1, 0.3, 1.5, 6}) {
      assertEquals(0.5 + t / (2 * Math.sqrt(2 + t * t)), StudentT.cdf(t, 2), 1e-12, "t=" + t);
    }
    assertEquals(0.975, StudentT.cdf(2.228138851986, 10), 1e-9);
  }

  @Test
  void lnGammaIsExactAtIntegersAndOneHalf() {
    assertEquals(Math.log(24), StudentT.lnGamma(5), 1e-12);
    assertEquals(0.5 * Math.log(Math.PI), StudentT.lnGamma(0.5), 1e-12);
  }

  @Test
  void fitOfKnownData() {
    // y = 2 + 3x with residuals +1, -1, -1, +1 around it (x = 0..3): slope 3, intercept 2 exactly.
    double[] x = {0, 1, 2, 3};
    double[] y = {3, 4, 7, 12};
    LinearFit f = LinearFit.of(x, y);
    assertEquals(4, f.n());
    assertEquals(3, f.slope(), 1e-12);
    assertEquals(2, f.intercept(), 1e-12);
    // SSE = 4, Sxx = 5: stderr = sqrt(4 / 2 / 5)
    assertEquals(Math.sqrt(0.4), f.slopeStdErr(), 1e-12);
    LinearFit.Interval ci = f.ci95();
    assertEquals(3 - 4.302652729911 * Math.sqrt(0.4), ci.low(), 1e-9);
    assertEquals(3 + 4.302652729911 * Math.sqrt(0.4), ci.high(), 1e-9);
  }

  @Test
  void fitAgreesWithAReferenceComputation() {
    // The textbook formulas evaluated in double precision (Python): slope 0.50969697, intercept
    // 0.74666667, slope stderr 0.02674918; 95 % CI = slope -+ 2.306004 * stderr (t(0.975; 8)).
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] y = {1.2, 1.9, 2.4, 2.6, 3.5, 3.3, 4.6, 4.7, 5.4, 5.9};
    LinearFit f = LinearFit.of(x, y);
    assertEquals(0.5096969696969696, f.slope(), 1e-12);
    assertEquals(0.7466666666666666, f.intercept(), 1e-12);
    assertEquals(0.02674918362510777, f.slopeStdErr(), 1e-12);
    assertEquals(0.5096969696969696 - 2.306004135 * 0.02674918362510777, f.ci95().low(), 1e-8);
    assertTrue(f.ci95().low() > 0, "a clear rise has a CI above 0");
  }

  @Test
  void perfectLineHasAZeroWidthInterval() {
    LinearFit f = LinearFit.of(new double[] {0, 1, 2}, new double[] {1, 2, 3});
    assertEquals(1, f.slope(), 1e-12);
    assertEquals(0, f.slopeStdErr(), 1e-12);
    assertEquals(1, f.ci95().low(), 1e-9);
  }

  @Test
  void tooFewPointsGiveAnUnboundedInterval() {
    LinearFit two = LinearFit.of(new double[] {0, 1}, new double[] {5, 7});
    assertEquals(2, two.slope(), 1e-12);
    assertTrue(Double.isNaN(two.slopeStdErr()));
    assertEquals(Double.NEGATIVE_INFINITY, two.ci95().low());
    assertTrue(Double.isNaN(LinearFit.of(new double[] {1}, new double[] {1}).slope()));
    assertTrue(Double.isNaN(LinearFit.of(new double[] {2, 2, 2}, new double[] {1, 2, 3}).slope()));
  }
}
