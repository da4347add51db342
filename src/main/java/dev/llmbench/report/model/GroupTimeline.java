package dev.llmbench.report.model;

import java.util.List;
import java.util.Objects;

/**
 * How a group's figures moved over its run: its steady-state window and, when {@code -Dslice.sec} was
 * given, its time slices.
 *
 * @param group the group's name
 * @param steadyState its steady-state window; null when none of its measured requests was sent
 * @param slices its slices in time order; empty without {@code -Dslice.sec}
 */
public record GroupTimeline(String group, SteadyState steadyState, List<TimeSlice> slices) {

  public GroupTimeline {
    Objects.requireNonNull(group, "group");
    slices = List.copyOf(Objects.requireNonNull(slices, "slices"));
  }
}
