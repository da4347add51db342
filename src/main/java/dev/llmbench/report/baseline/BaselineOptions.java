package dev.llmbench.report.baseline;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

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
    return new BaselineOptions(Path.of(p.string("baseline.dir", BaselineMain.DEFAULT_DIR)),
        p.bool("baseline.compare", true), p.bool("baseline.update", false), p.raw("baseline.reason"),
        Thresholds.from(p, env));
  }
}
