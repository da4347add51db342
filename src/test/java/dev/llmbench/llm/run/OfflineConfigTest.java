package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offline sweep's properties: the seed's modes, the smoke size, overrides, and loud refusals. */
class OfflineConfigTest {

  private static OfflineConfig config(Map<String, String> values) {
    Props p = Props.of(values);
    return OfflineConfig.from(p, BenchConfig.from(p));
  }

  @Test
  void theModesAreTheSeeds() {
    OfflineConfig normal = config(Map.of("size", "full"));
    assertEquals(OfflineConfig.Mode.NORMAL, normal.mode());
    assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), normal.batchSizes());
    assertEquals(List.of(1024), normal.inputLens());
    assertEquals(128, normal.outputLen());
    assertEquals(1, normal.warmups());
    assertEquals(3, normal.runs());
    OfflineConfig longContext = config(Map.of("size", "full", "mode", "long_context"));
    assertEquals(List.of(1), longContext.batchSizes());
    assertEquals(List.of(8192, 16384, 32768), longContext.inputLens());
    assertEquals(10, longContext.outputLen());
    OfflineConfig dummy = config(Map.of("size", "full", "mode", "dummy"));
    assertEquals(List.of(2), dummy.batchSizes());
    assertEquals(List.of(256), dummy.inputLens());
    assertEquals(4096, dummy.outputLen());
  }

  @Test
  void smokeKeepsSmallBatchesAndDividesTheLengths() {
    OfflineConfig normal = config(Map.of()); // smoke is the project's default size
    assertEquals(List.of(1, 2, 4, 8), normal.batchSizes());
    assertEquals(List.of(1024 / OfflineConfig.SMOKE_DIVISOR), normal.inputLens());
    assertEquals(128 / OfflineConfig.SMOKE_DIVISOR, normal.outputLen());
    assertEquals(8, config(Map.of("size", "smoke", "mode", "long_context")).outputLen(), "outputs stay >= 8 tokens");
  }

  @Test
  void propertiesReplaceTheModesDefaults() {
    OfflineConfig c = config(Map.of("offline.batch.sizes", "3,5", "input.len", "64,128", "output.len", "7",
        "offline.runs", "5", "offline.warmups", "0"));
    assertEquals(List.of(3, 5), c.batchSizes());
    assertEquals(List.of(64, 128), c.inputLens());
    assertEquals(7, c.outputLen());
    assertEquals(5, c.runs());
    assertEquals(0, c.warmups());
    assertEquals(4, c.configurations().size());
  }

  @Test
  void wrongValuesAreRefusedNamingThePropertyAndTheValue() {
    ConfigException mode = assertThrows(ConfigException.class, () -> config(Map.of("mode", "batchy")));
    assertTrue(mode.getMessage().contains("mode") && mode.getMessage().contains("batchy"), mode.getMessage());
    ConfigException sizes = assertThrows(ConfigException.class, () -> config(Map.of("offline.batch.sizes", "1,x")));
    assertTrue(sizes.getMessage().contains("offline.batch.sizes") && sizes.getMessage().contains("1,x"));
    ConfigException unknown = assertThrows(ConfigException.class, () -> config(Map.of("offline.run", "2")));
    assertTrue(unknown.getMessage().contains("offline.run"), unknown.getMessage());
    assertThrows(ConfigException.class, () -> config(Map.of("offline.runs", "0")));
  }
}
