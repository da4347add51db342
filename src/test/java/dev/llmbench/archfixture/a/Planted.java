package dev.llmbench.archfixture.a;

import dev.llmbench.archfixture.b.Partner;

/** Half of a planted package cycle (a → b → a) that ArchitectureTest's cycle rule must report. */
public final class Planted {
  private Planted() {}

  public static int size() {
    return Partner.name().length();
  }
}
