package dev.llmbench.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The search for the highest load that meets the objectives, one step after another: bracketing, then
 * bisection. Pure logic: it is told each step's verdict ({@link #record}) and says the next load to try
 * ({@link #next}), so it is tested without a server.
 *
 * <ol>
 *   <li><b>Bracketing.</b> The first step runs at {@code start}. While every step has passed, the next
 *       doubles the load (capped at {@code max}); while every step has failed, the next halves it
 *       (floored at {@code min}). The bracket is found when one load passed and a higher one failed.
 *   <li><b>Bisection.</b> The next load is the middle of the bracket, {@code (lower + upper) / 2} (a
 *       whole number of streams for a concurrency search), and the step's verdict moves one end. It
 *       stops when the bracket is narrow enough: {@code upper - lower <= tolerance * lower} (and, for
 *       concurrency, when no whole number is left between the two).
 * </ol>
 *
 * The answer is the bracket's lower end, the highest load that passed. The search also stops, with its
 * reason, when {@code max} passed (the server met the objectives at every load tried), when {@code min}
 * failed (at none), or after {@code maxSteps} steps. A rate is rounded to three significant digits, so
 * that each step's group has a readable name ({@code random-1024-1024@rate=13.7}).
 */
public final class CapacitySearch {

  /** What the search varies. */
  public enum Mode {
    /** The request rate of an open workload (Poisson or gamma arrivals), requests per second. */
    RATE,
    /** The number of streams in flight at once (a closed workload, {@code --max-concurrency}). */
    CONCURRENCY;

    /** The property's value and the group's suffix ({@code @rate=}, {@code @concurrency=}). */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the search ended. */
  public enum Stop {
    /** The bracket is narrower than the tolerance. */
    CONVERGED,
    /** The highest load allowed met the objectives: the capacity is at least that. */
    MAX_PASSED,
    /** The lowest load allowed missed them: the capacity is below it. */
    MIN_FAILED,
    /** The steps allowed ran out before the bracket was narrow enough. */
    MAX_STEPS
  }

  /**
   * How the search goes.
   *
   * @param mode rate or concurrency
   * @param start the first step's load
   * @param min the lowest load it may try
   * @param max the highest load it may try
   * @param tolerance the bracket's width at which it stops, as a share of its lower end
   * @param maxSteps the most steps it may run
   */
  public record Settings(Mode mode, double start, double min, double max, double tolerance, int maxSteps) {
    public Settings {
      if (!(min > 0 && min <= start && start <= max && Double.isFinite(max))) {
        throw new IllegalArgumentException("the search needs 0 < min <= start <= max, but had min=" + min
            + " start=" + start + " max=" + max);
      }
      if (!(tolerance > 0 && tolerance < 1)) {
        throw new IllegalArgumentException("the search's tolerance must be in (0, 1), but was " + tolerance);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("the search needs at least one step, but maxSteps was " + maxSteps);
      }
      if (mode == Mode.CONCURRENCY && (min != Math.rint(min) || start != Math.rint(start) || max != Math.rint(max))) {
        throw new IllegalArgumentException("a concurrency search takes whole numbers of streams, but had min=" + min
            + " start=" + start + " max=" + max);
      }
    }
  }

  private final Settings settings;
  private final List<StepVerdict> steps = new ArrayList<>();
  /** The highest load that passed, NaN before one did. */
  private double lower = Double.NaN;
  /** The lowest load that failed, NaN before one did. */
  private double upper = Double.NaN;
  private Stop stop;

  public CapacitySearch(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** The load of the next step, or empty when the search is over ({@link #stop()} says why). */
  public synchronized OptionalDouble next() {
    if (stop != null) {
      return OptionalDouble.empty();
    }
    double next;
    if (steps.isEmpty()) {
      next = settings.start();
    } else if (Double.isNaN(upper)) {
      if (lower >= settings.max()) {
        return over(Stop.MAX_PASSED);
      }
      next = Math.min(round(lower * 2), settings.max());
    } else if (Double.isNaN(lower)) {
      if (upper <= settings.min()) {
        return over(Stop.MIN_FAILED);
      }
      next = Math.max(round(upper / 2), settings.min());
    } else {
      next = round((lower + upper) / 2);
      if (upper - lower <= settings.tolerance() * lower || next <= lower || next >= upper) {
        return over(Stop.CONVERGED);
      }
    }
    if (steps.size() >= settings.maxSteps()) {
      return over(Stop.MAX_STEPS);
    }
    return OptionalDouble.of(next);
  }

  private OptionalDouble over(Stop why) {
    stop = why;
    return OptionalDouble.empty();
  }

  /** Records a step's verdict: a pass raises the bracket's lower end, a failure lowers its upper end. */
  public synchronized void record(StepVerdict step) {
    steps.add(step);
    double load = step.load();
    if (step.passed()) {
      if (Double.isNaN(lower) || load > lower) {
        lower = load;
      }
    } else if (Double.isNaN(upper) || load < upper) {
      upper = load;
    }
  }

  /** Why the search ended; null while it goes on. */
  public synchronized Stop stop() {
    return stop;
  }

  /** The steps so far, in the order they ran. */
  public synchronized List<StepVerdict> steps() {
    return List.copyOf(steps);
  }

  /**
   * The search's outcome so far: the answer (the highest load that passed, null when none did), its
   * bracket, and how many steps back it, either side.
   */
  public synchronized SearchResult result() {
    Double answer = Double.isNaN(lower) ? null : lower;
    Double failedAt = Double.isNaN(upper) ? null : upper;
    int passedAtOrBelow = 0;
    int failedAbove = 0;
    for (StepVerdict s : steps) {
      if (s.passed() && answer != null && s.load() <= answer) {
        passedAtOrBelow++;
      }
      if (!s.passed() && (answer == null || s.load() > answer)) {
        failedAbove++;
      }
    }
    return new SearchResult(settings.mode(), answer, failedAt, stop, passedAtOrBelow, failedAbove, settings.tolerance(),
        List.copyOf(steps));
  }

  /** A load as the steps use it: a whole number of streams, or a rate to three significant digits. */
  double round(double load) {
    if (settings.mode() == Mode.CONCURRENCY) {
      return Math.floor(load);
    }
    return Double.parseDouble(String.format(Locale.ROOT, "%.3g", load));
  }

  /** A load as a group's suffix and the console write it: {@code 4}, {@code 13.7}. */
  public static String loadName(double load) {
    return load == Math.rint(load) ? Long.toString((long) load) : Double.toString(load);
  }
}
