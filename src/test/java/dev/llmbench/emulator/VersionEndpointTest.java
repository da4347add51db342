package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.BuildInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator's {@code GET /version}, in vLLM's shape, so runs against it record a server version. */
class VersionEndpointTest {
  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig());
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void versionIsTheProjectsMarkedAsTheEmulators() {
    EmulatorHttp.Reply r = http.get("/version");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    assertEquals(BuildInfo.version() + "-emulator", r.json().path("version").asText());
  }

  @Test
  void theProjectVersionIsFilledInByTheBuild() {
    // build.properties is filtered by Maven: unfiltered, it would read "${project.version}" (reported as unknown).
    assertNotEquals(BuildInfo.UNKNOWN, BuildInfo.version());
    assertTrue(!BuildInfo.version().contains("${"), BuildInfo.version());
  }

  @Test
  void versionIsReadOnly() {
    EmulatorHttp.Reply r = http.post("/version", EmulatorHttp.JSON.createObjectNode());
    assertEquals(405, r.status(), r.body());
  }
}
