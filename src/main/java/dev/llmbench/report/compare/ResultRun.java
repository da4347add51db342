package dev.llmbench.report.compare;

import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.ServerMemory;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One result folder as a comparison reads it ({@link ResultFiles#read}).
 *
 * @param folder the result folder ({@code reports/<framework>/<profile>-<ts>})
 * @param metadata what the run was: framework, profile, model, load parameters ({@code summary.json}'s metadata)
 * @param hardware the load generator's cpu, cores, gpu and the {@code -Dserver.hardware} label
 *     ({@code metadata.json}; empty when the folder has none)
 * @param validity the validity verdict ({@code valid}, {@code client-bound}, {@code server-failing}), or null when
 *     the result has none
 * @param partial whether the result says it is partial ({@code metadata.json} {@code partial})
 * @param memory the server's memory from its log ({@code -Dserver.log}), or null when not known
 * @param vramPeakMiB the GPU memory at its peak during the run, MiB, or null when not recorded
 * @param groups per group (in the run's order) its headline figures; a figure the group lacks is absent
 */
public record ResultRun(Path folder, RunMetadata metadata, SortedMap<String, String> hardware, String validity,
    boolean partial, ServerMemory memory, Double vramPeakMiB, Map<String, Map<HeadlineMetric, Double>> groups) {

  public ResultRun {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(metadata, "metadata");
    hardware = Collections.unmodifiableSortedMap(new TreeMap<>(hardware));
    Map<String, Map<HeadlineMetric, Double>> copy = new LinkedHashMap<>();
    groups.forEach((g, m) -> copy.put(g, Map.copyOf(m)));
    groups = Collections.unmodifiableMap(copy);
  }

  /** The framework as the run labelled it ({@code -Dframework}), or the folder's parent when it has none. */
  public String framework() {
    if (!metadata.framework().isBlank()) {
      return metadata.framework();
    }
    Path parent = folder.toAbsolutePath().getParent();
    return parent == null ? folder.getFileName().toString() : parent.getFileName().toString();
  }
}
