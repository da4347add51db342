package dev.llmbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WilsonTest {
  private static final double Z2 = Wilson.Z95 * Wilson.Z95;

  @Test
  void noSuccessesAndAllSuccessesHaveClosedForms() {
    // k = 0: [0, z²/(n + z²)]; k = n: [n/(n + z²), 1].
    for (int n : new int[] {1, 20, 200, 1319}) {
      Wilson.Interval none = Wilson.interval95(0, n);
      assertEquals(0, none.low(), 1e-12);
      assertEquals(Z2 / (n + Z2), none.high(), 1e-12);
      Wilson.Interval all = Wilson.interval95(n, n);
      assertEquals(n / (n + Z2), all.low(), 1e-12);
      assertEquals(1, all.high(), 1e-12);
    }
  }

  @Test
  void itMatchesNewcombesWorkedExample() {
    // Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263 -> 0.2553 to 0.3662.
    Wilson.Interval ci = Wilson.interval95(81, 263);
    assertEquals(0.2553, ci.low(), 5e-5);
    assertEquals(0.3662, ci.high(), 5e-5);
  }

  @Test
  void itIsSymmetricAndHoldsTheEstimate() {
    Random random = new Random(12345);
    for (int i = 0; i < 1000; i++) {
      int n = 1 + random.nextInt(2000);
      int k = random.nextInt(n + 1);
      Wilson.Interval ci = Wilson.interval95(k, n);
      Wilson.Interval mirror = Wilson.interval95(n - k, n);
      assertEquals(ci.low(), 1 - mirror.high(), 1e-12);
      assertEquals(ci.high(), 1 - mirror.low(), 1e-12);
      double p = (double) k / n;
      assertTrue(ci.low() <= p && p <= ci.high() && ci.low() >= 0 && ci.high() <= 1, k + "/" + n + ": " + ci);
    }
  }

  @Test
  void itRefusesImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Wilson.interval95(0, 0));
    assertThrows(IllegalArgumentException.class, () -> Wilson.interval95(3, 2));
  }
}
