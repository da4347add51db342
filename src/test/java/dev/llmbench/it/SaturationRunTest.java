package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * Over-saturation on real open-model runs against the embedded emulator, two at most in its batch
 * ({@code emulator.max.running=2}), each answer 64 tokens of about 1 ms a step: it serves about 2 / 0.064
 * = 30 requests per second (fewer when the machine is slow). At 150 requests per second, about five times
 * that, the requests pile up in the emulator's queue from the start; at 3 per second, a tenth, they never
 * wait. No concurrency limit on the client's side, so the backlog is the server's.
 */
class SaturationRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode saturation(String name, int prompts, double rate) throws IOException {
    Path dir = results.resolve(name);
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, with(randomLoad(prompts, 16, 64, prompts),
        "request.rate", Double.toString(rate), "emulator.max.running", "2"), dir);
    assertEquals(0, o.exitCode());
    try (Stream<Path> s = Files.list(dir.resolve("reports").resolve("emulator"))) {
      List<Path> folders = s.filter(Files::isDirectory).toList();
      assertEquals(1, folders.size(), folders.toString());
      JsonNode group = JSON.readTree(folders.get(0).resolve("summary.json").toFile()).get("groups").get(0);
      assertTrue(group.has("saturation"), "an open-model group is judged: " + group);
      return group.get("saturation");
    }
  }

  @Test
  void arrivalsFiveTimesTheCapacityAreFlaggedFromTheStart() throws IOException {
    JsonNode s = saturation("over", 300, 150);
    assertTrue(s.get("saturated").asBoolean(), s.toString());
    assertTrue(s.get("since_s").asDouble() <= s.get("window_s").asDouble(), "from the first window: " + s);
    assertTrue(s.get("in_flight_slope_per_s_ci95_low").asDouble() > 0, s.toString());
    assertTrue(s.get("ttft_slope_ms_per_s_ci95_low").asDouble() > 0, s.toString());
  }

  @Test
  void arrivalsAtATenthOfTheCapacityAreNotFlagged() throws IOException {
    JsonNode s = saturation("comfortable", 40, 3);
    assertFalse(s.get("saturated").asBoolean(), s.toString());
    assertTrue(s.get("since_s").isNull(), s.toString());
  }
}
