package dev.llmbench.archfixture.b;

import dev.llmbench.archfixture.a.Planted;

/** The other half of the planted cycle: b depends on a, which depends on b. */
public final class Partner {
  private Partner() {}

  public static String name() {
    return "partner";
  }

  public static int twice() {
    return 2 * Planted.size();
  }
}
