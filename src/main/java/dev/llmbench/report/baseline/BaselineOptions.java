package dev.llmbench.report.baseline;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a run deals with baselines, read once from properties and validated loudly.
 *
 * @param dir {@code -Dbaseline.dir}: where baselines are ({@code baselines})
 * @param compare {@code -Dbaseline.compare}: compare each run with its baseline (true)
 * @param update {@code -Dbaseline.update}: make this run the baseline (false); only ever on request
 * @param reason {@code -Dbaseline.reason}: why, recorded in the baseline; required with update
 * @param thresholds the regression thresholds and noise settings
 */
public record BaselineOptions(Path dir, boolean compare, boolean update, String reason, Thresholds thresholds) {
  /** Where baselines are unless {@code -Dbaseline.dir} says otherwise. */
  public static final String DEFAULT_DIR = "baselines";

  /** Every property read here. */
  public static final Set<String> KEYS = Set.of("baseline.dir", "baseline.compare", "baseline.update",
      "baseline.reason", "regression.threshold", "regression.confidence", "regression.bootstrap.replicates",
      "regression.bootstrap.seed");

  public BaselineOptions {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(thresholds, "thresholds");
    if (update && (reason == null || reason.isBlank())) {
      throw new ConfigException("baseline.update=true needs a reason: add -Dbaseline.reason=\"why this run is the "
          + "new baseline\"");
    }
  }

  /**
   * The options from properties and the environment ({@code REGRESSION_THRESHOLD}).
   *
   * @throws ConfigException naming the property and the value when one is invalid
   */
  public static BaselineOptions from(Props p, Map<String, String> env) {
    // A mistyped key (baseline.reson) would silently be ignored: refuse unknown keys of our prefixes.
    for (String prefix : List.of("baseline.", "regression.")) {
      for (String key : new TreeSet<>(p.keysWithPrefix(prefix))) {
        if (!KEYS.contains(key)) {
          throw new ConfigException("unknown property " + key + "; the " + prefix + "* properties are "
              + KEYS.stream().filter(k -> k.startsWith(prefix)).sorted().toList());
        }
      }
    }
    return new BaselineOptions(Path.of(p.string("baseline.dir", DEFAULT_DIR)),
        p.bool("baseline.compare", true), p.bool("baseline.update", false), p.raw("baseline.reason"),
        Thresholds.from(p, env));
  }
}
