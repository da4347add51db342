package dev.llmbench.report.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether a run's figures can be trusted to describe the server rather than the load generator:
 * the verdict, one reason per crossed threshold, the thresholds and the monitor's figures (computed
 * by {@code dev.llmbench.report.stats.ValidityCheck}).
 *
 * @param verdict {@link Verdict#VALID} when no threshold was crossed
 * @param reasons one line per crossed threshold, with the figure and the limit; empty when valid
 * @param strict whether the run was asked to fail when client-bound ({@code validity.strict})
 * @param thresholds the limits the run was judged by
 * @param monitor what the load generator measured of itself
 * @param server what the run saw of its server (breaker, requests sent and not sent), or null when
 *     unknown (a run from before the circuit breaker)
 */
public record Validity(Verdict verdict, List<String> reasons, boolean strict, ValidityThresholds thresholds,
    MonitorFigures monitor, ServerHealth server) {

  /** The verdict, with its name in {@code summary.json}. */
  public enum Verdict {
    /** No threshold crossed. */
    VALID,
    /** At least one threshold crossed: the load generator may have bent the results. */
    CLIENT_BOUND,
    /**
     * The server failed during the run (the circuit breaker tripped, or most requests could not reach
     * it): the figures describe its failure. Never called client-bound, though fast failures cost the
     * client CPU too.
     */
    SERVER_FAILING;

    /** {@code valid}, {@code client-bound} or {@code server-failing}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public Validity {
    Objects.requireNonNull(verdict, "verdict");
    reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(monitor, "monitor");
    if ((verdict == Verdict.VALID) != reasons.isEmpty()) {
      throw new IllegalArgumentException("a " + verdict.wireName() + " verdict must have "
          + (verdict == Verdict.VALID ? "no reasons" : "at least one reason") + ", but had " + reasons);
    }
  }

  /** A verdict without server figures (a run from before the circuit breaker). */
  public Validity(Verdict verdict, List<String> reasons, boolean strict, ValidityThresholds thresholds,
      MonitorFigures monitor) {
    this(verdict, reasons, strict, thresholds, monitor, null);
  }

  public boolean clientBound() {
    return verdict == Verdict.CLIENT_BOUND;
  }

  public boolean serverFailing() {
    return verdict == Verdict.SERVER_FAILING;
  }
}
