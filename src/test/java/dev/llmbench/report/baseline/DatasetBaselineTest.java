package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.LoadParameters;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * The dataset and request-shaping parameters that llm-run.json records are compared by a baseline like every
 * load parameter, but for the dataset's path: the same file (its SHA-256) elsewhere stays comparable.
 */
class DatasetBaselineTest {
  private static final Thresholds T = Thresholds.DEFAULTS;

  private static SortedMap<String, String> recorded(String path, String sha, String extraBody, String lora) {
    return new LoadParameters(null, null, "smoke", 200, null, null, null, null, 1L, null, null, null, null, null, null,
        null, null).withDataAndShaping("sharegpt", path, sha, 200, extraBody, "X-A: 1; X-Api-Key: (secret)", lora, 0.5)
        .asMap();
  }

  private static SyntheticRun with(SyntheticRun run, Map<String, String> parameters) {
    SyntheticRun r = run;
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      r = r.withParameter(e.getKey(), e.getValue());
    }
    return r;
  }

  @Test
  void theRecordNamesEveryNewParameter() {
    SortedMap<String, String> p = recorded("/data/sharegpt.json", "ab12", "{\"top_p\":0.9}", "a,b");
    for (String key : List.of("datasetName", "datasetPath", "datasetSha256", "datasetRows", "extraBody", "extraHeaders",
        "loraModules", "temperature")) {
      assertTrue(p.containsKey(key), key + " in " + p);
    }
    assertEquals("{\"top_p\":0.9}", p.get("extraBody"));
    assertEquals("a,b", p.get("loraModules"));
  }

  @Test
  void theSameFileElsewhereComparesAnotherFileOrShapingDoesNot() throws BaselineException {
    Baseline b = SyntheticRun.baselineOf(T, with(SyntheticRun.calm(1), recorded("/a/sharegpt.json", "ab12",
        "{\"top_p\":0.9}", "a,b")));
    Baselines.compare(b, "b.csv", with(SyntheticRun.calm(2), recorded("/b/sharegpt.json", "ab12", "{\"top_p\":0.9}",
        "a,b")).current(), List.of(), T);
    for (var other : List.of(
        Map.entry("datasetSha256", recorded("/a/sharegpt.json", "cd34", "{\"top_p\":0.9}", "a,b")),
        Map.entry("extraBody", recorded("/a/sharegpt.json", "ab12", "{\"top_p\":0.8}", "a,b")),
        Map.entry("loraModules", recorded("/a/sharegpt.json", "ab12", "{\"top_p\":0.9}", "a")))) {
      BaselineException e = assertThrows(BaselineException.class,
          () -> Baselines.compare(b, "b.csv", with(SyntheticRun.calm(2), other.getValue()).current(), List.of(), T));
      assertEquals(BaselineException.Kind.MISMATCH, e.kind());
      assertTrue(e.getMessage().contains(other.getKey() + " was "), e.getMessage());
    }
    BaselineException none = assertThrows(BaselineException.class,
        () -> Baselines.compare(SyntheticRun.baselineOf(T, SyntheticRun.calm(1)), "b.csv",
            with(SyntheticRun.calm(2), recorded("/a/sharegpt.json", "ab12", null, null)).current(), List.of(), T));
    assertTrue(none.getMessage().contains("datasetName was (not set)"), none.getMessage());
  }
}
