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
 * @param file {@code -Dbaseline.file}, else the environment's {@code BENCHMARK_BASELINE} (the scoring
 *     runbook's): one baseline CSV to compare with, its metadata beside it ({@code <name>.metadata.json});
 *     null to use {@code <dir>/<framework>/<profile>.csv}
 */
public record BaselineOptions(Path dir, boolean compare, boolean update, String reason, Thresholds thresholds,
    Path file) {
  /** Where baselines are unless {@code -Dbaseline.dir} says otherwise. */
  public static final String DEFAULT_DIR = "baselines";

  /** Every property read here. */
  public static final Set<String> KEYS = Set.of("baseline.dir", "baseline.compare", "baseline.update",
      "baseline.reason", "baseline.file", "regression.threshold", "regression.confidence", "regression.bootstrap.replicates",
      "regression.bootstrap.seed");

  public BaselineOptions {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(thresholds, "thresholds");
    if (update && (reason == null || reason.isBlank())) {
      throw new ConfigException("baseline.update=true needs a reason: add -Dbaseline.reason=\"why this run is the "
          + "new baseline\"");
    }
  }

  /** Options that find the baseline under {@code dir}. */
  public BaselineOptions(Path dir, boolean compare, boolean update, String reason, Thresholds thresholds) {
    this(dir, compare, update, reason, thresholds, null);
  }

  /**
   * The options from properties and the environment ({@code REGRESSION_THRESHOLD}, {@code BENCHMARK_BASELINE}).
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
        Thresholds.from(p, env), file(p, env));
  }

  /** {@code -Dbaseline.file}, else {@code BENCHMARK_BASELINE}, else null; a file that is there must be a CSV. */
  private static Path file(Props p, Map<String, String> env) {
    String named = p.has("baseline.file") ? p.raw("baseline.file") : env.get("BENCHMARK_BASELINE");
    if (named == null || named.isBlank()) {
      return null;
    }
    String where = p.has("baseline.file") ? "baseline.file" : "BENCHMARK_BASELINE (environment)";
    if (!named.endsWith(".csv")) {
      throw new ConfigException(where + " must name a baseline's CSV file (<name>.csv, its metadata in "
          + "<name>.metadata.json beside it), but was \"" + named + "\"");
    }
    return Path.of(named);
  }
}
