package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.workload.Profiles.MatrixConfig;
import dev.llmbench.workload.Profiles.RandomProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profiles shipped in profiles.json. */
class ProfilesTest {

  private final Profiles profiles = Profiles.load();

  @Test
  void randomProfilesMatchTheBenchmarkProcedure() {
    RandomProfile p = profiles.random("random-1024-1024");
    assertEquals(1024, p.inputLen());
    assertEquals(1024, p.outputLen());
    assertEquals(0.5, p.rangeRatio());
    assertEquals(3000, p.numPrompts(Size.FULL));
    assertEquals(16, p.numPrompts(Size.SMOKE));
    assertEquals(null, p.maxConcurrency(Size.FULL), "no limit at full size");
    assertEquals(8, p.maxConcurrency(Size.SMOKE));

    RandomProfile short256 = profiles.random("random-256-256");
    assertEquals(256, short256.inputLen());
    assertEquals(256, short256.outputLen());
    assertEquals(3000, short256.numPrompts(Size.FULL));

    RandomProfile long4k = profiles.random("random-4096-1024");
    assertEquals(4096, long4k.inputLen());
    assertEquals(1024, long4k.outputLen());
    assertEquals(1000, long4k.numPrompts(Size.FULL));
  }

  @Test
  void profileNamesAreCaseInsensitive() {
    assertEquals("random-256-256", profiles.random("RANDOM-256-256").name());
  }

  @Test
  void matrixHasFiveCoreAndElevenExtendedConfigs() {
    List<MatrixConfig> configs = profiles.matrix().configs();
    assertEquals(5, configs.stream().filter(MatrixConfig::core).count());
    assertEquals(11, configs.stream().filter(c -> !c.core()).count());
    assertTrue(configs.stream().anyMatch(c -> c.core() && c.isl() == 1024 && c.osl() == 1024));
    assertTrue(configs.stream().anyMatch(c -> !c.core() && c.isl() == 65536 && c.osl() == 256));
    assertEquals(configs.size(), configs.stream().map(MatrixConfig::name).distinct().count(), "names are unique");
    assertEquals("matrix-1024-1024",
        configs.stream().filter(c -> c.isl() == 1024 && c.osl() == 1024).findFirst().orElseThrow().name());
    assertEquals(List.of("core"), profiles.matrix().smokeSets());
    assertEquals(8, profiles.matrix().smokeDivisor());
  }

  @Test
  void unknownProfileListsTheValidNames() {
    ConfigException e = assertThrows(ConfigException.class, () -> profiles.random("random-9-9"));
    assertTrue(e.getMessage().contains("\"random-9-9\""), e.getMessage());
    for (String name : List.of("random-1024-1024", "random-256-256", "random-4096-1024", "matrix")) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    assertTrue(profiles.names().contains("matrix"));
  }

  @Test
  void theMatrixAskedOfAServingRunNamesItsSimulation() {
    ConfigException e = assertThrows(ConfigException.class, () -> profiles.random("matrix"));
    assertEquals("profile matrix is run by its own simulation: use"
        + " -Dgatling.simulationClass=simulations.MatrixSimulation", e.getMessage());
  }
}
