package dev.llmbench.report.baseline;

import dev.llmbench.report.model.RunSummary;
import dev.llmbench.requests.RequestResult;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run as the baseline module needs it: its summary, its per-request rows (for the bootstrap), the
 * machine it ran on and where its Gatling run folder is (to say how to make it a baseline).
 *
 * @param summary the run's metrics and metadata
 * @param requests the side file's rows, warm-ups included
 * @param hardware CPU model, cores and GPU ({@link Baselines#hardware})
 * @param commit this project's git commit, or "unknown"
 * @param runFolder the Gatling run folder the run left
 * @param problems why the result is partial (cut side file, counts that disagree); empty when it is whole
 */
public record CurrentRun(RunSummary summary, List<RequestResult> requests, SortedMap<String, String> hardware,
    String commit, Path runFolder, List<String> problems) {

  public CurrentRun {
    Objects.requireNonNull(summary, "summary");
    requests = List.copyOf(requests);
    hardware = Collections.unmodifiableSortedMap(new TreeMap<>(hardware));
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(runFolder, "runFolder");
    problems = List.copyOf(problems);
  }

  /** Whether the result is partial: then no regression is called ({@link Status#WARN_PARTIAL}). */
  public boolean partial() {
    return !problems.isEmpty();
  }

  public String framework() {
    return summary.metadata().framework();
  }

  public String profile() {
    return summary.metadata().profile();
  }

  /** The rows of one group. */
  public List<RequestResult> requestsOf(String group) {
    return requests.stream().filter(r -> r.group().equals(group)).toList();
  }
}
