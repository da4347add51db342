package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scoring runbook's environment variables, and the properties that win over them. */
class BaselineOptionsTest {
  @Test
  void benchmarkBaselineNamesTheCsvAndThePropertyWins() {
    Map<String, String> env = Map.of("BENCHMARK_BASELINE", "baselines/tpu-v6e-baseline.csv",
        "REGRESSION_THRESHOLD", "7.5");
    BaselineOptions fromEnv = BaselineOptions.from(Props.of(Map.of()), env);
    assertEquals(Path.of("baselines/tpu-v6e-baseline.csv"), fromEnv.file());
    assertEquals(7.5, fromEnv.thresholds().regressionPct());
    assertEquals(Path.of("baselines/tpu-v6e-baseline.metadata.json"), BaselineFiles.metadataOf(fromEnv.file()));
    BaselineOptions fromProperty = BaselineOptions.from(Props.of(Map.of("baseline.file", "mine.csv")), env);
    assertEquals(Path.of("mine.csv"), fromProperty.file());
    assertNull(BaselineOptions.from(Props.of(Map.of()), Map.of()).file(), "none: <dir>/<framework>/<profile>.csv");
  }

  @Test
  void aBaselineFileThatIsNoCsvIsRefusedNamingWhereItCameFrom() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BaselineOptions.from(Props.of(Map.of()), Map.of("BENCHMARK_BASELINE", "baselines/tpu-v6e")));
    assertTrue(e.getMessage().startsWith("BENCHMARK_BASELINE (environment) must name a baseline's CSV file"),
        e.getMessage());
  }

  @Test
  void aMissingNamedBaselineSaysHowToMakeOne() throws Exception {
    BaselineException e = assertThrows(BaselineException.class,
        () -> BaselineFiles.read(Path.of("target/no-such-dir/cpu-baseline.csv")));
    assertEquals(BaselineException.Kind.MISSING, e.kind());
  }
}
