package dev.llmbench.report.model;

import java.util.Objects;

/**
 * Whether the server fell behind an open-model group's arrivals (over-saturation): in-flight requests
 * and TTFT both rising to the group's end. The rule is {@code report.stats.OverSaturation}'s. Times are
 * seconds from the group's first send.
 *
 * @param saturated whether the group was over-saturated
 * @param sinceSec when it started (the start of the first window of the rising run that lasts to the end);
 *     null when not saturated
 * @param windowSec the width of the sliding windows of send time
 * @param windows how many windows the group's sends were judged in
 * @param risingWindows how many windows at the group's end, one after another, rose (both slopes' 95 % CI above 0)
 * @param fromSec start of the span the slopes below were fitted on: {@code sinceSec} when saturated, else
 *     the start of the group's last window
 * @param toSec its end: the group's last send
 * @param inFlight the slope of the in-flight count (just after each send) against send time, requests per second
 * @param ttftMs the slope of TTFT against send time, ms per second
 */
public record Saturation(boolean saturated, Double sinceSec, double windowSec, int windows, int risingWindows,
    double fromSec, double toSec, Slope inFlight, Slope ttftMs) {

  /**
   * A fitted slope with its 95 % confidence interval ({@code metrics.LinearFit#ci95}).
   *
   * @param perSecond the slope, units of the series per second; NaN when it could not be fitted
   * @param low the interval's lower end
   * @param high its upper end
   * @param points how many points it was fitted on
   */
  public record Slope(double perSecond, double low, double high, int points) {
    /** Whether the slope is positive with its whole 95 % interval above 0. */
    public boolean rising() {
      return low > 0;
    }
  }

  public Saturation {
    if (saturated != (sinceSec != null)) {
      throw new IllegalArgumentException("sinceSec must be given exactly when saturated, but saturated was "
          + saturated + " and sinceSec " + sinceSec);
    }
    if (!(windowSec > 0) || windows < 1 || risingWindows < 0 || risingWindows > windows || toSec < fromSec) {
      throw new IllegalArgumentException("saturation windows of " + windowSec + " s: " + risingWindows + " of "
          + windows + " rising, fitted on [" + fromSec + ", " + toSec + "] s");
    }
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(ttftMs, "ttftMs");
  }
}
