package dev.llmbench.report.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Poisson arrival times for the over-saturation tests, after the run and while it runs. */
public final class PoissonArrivals {
  private PoissonArrivals() {}

  /** Poisson arrivals at {@code rate} per second from {@code from} for {@code seconds}, seeded by {@code random}. */
  public static List<Double> of(Random random, double rate, double from, double seconds) {
    List<Double> out = new ArrayList<>();
    double t = from;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / rate;
      if (t >= from + seconds) {
        return out;
      }
      out.add(t);
    }
  }
}
