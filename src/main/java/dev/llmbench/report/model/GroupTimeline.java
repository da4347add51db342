package dev.llmbench.report.model;

import java.util.List;
import java.util.Objects;

/**
 * How a group's figures moved over its run: its steady-state window, when {@code -Dslice.sec} was
 * given its time slices, and for an open-model group whether the server fell behind (over-saturation).
 *
 * @param group the group's name
 * @param steadyState its steady-state window; null when none of its measured requests was sent
 * @param slices its slices in time order; empty without {@code -Dslice.sec}
 * @param saturation whether the server fell behind its arrivals; null when not judged (a closed-model
 *     group, all requests at once ({@code request.rate=inf}), or too few requests)
 */
public record GroupTimeline(String group, SteadyState steadyState, List<TimeSlice> slices, Saturation saturation) {

  /** A timeline whose saturation was not judged. */
  public GroupTimeline(String group, SteadyState steadyState, List<TimeSlice> slices) {
    this(group, steadyState, slices, null);
  }

  public GroupTimeline {
    Objects.requireNonNull(group, "group");
    slices = List.copyOf(Objects.requireNonNull(slices, "slices"));
  }

  /** The same timeline with this saturation verdict (null: not judged). */
  public GroupTimeline withSaturation(Saturation s) {
    return new GroupTimeline(group, steadyState, slices, s);
  }
}
