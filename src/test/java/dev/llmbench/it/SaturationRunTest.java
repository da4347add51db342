package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.llm.run.RunFiles;
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
 *
 * <p>The live watch ({@code llm.run.SaturationWatch}) on runs of the same emulator: at 90 requests per
 * second, three times its capacity, it is seen falling behind while the step runs, and with
 * {@code stop.on.saturation=true} the step sends no more; at 5 per second, a sixth, it is not.
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

  /** A run at {@code rate}; {@code more} adds properties. */
  private static GatlingRun.Outcome live(String name, int prompts, double rate, String... more) throws IOException {
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, with(randomLoad(prompts, 16, 64, prompts,
        "request.rate", Double.toString(rate), "emulator.max.running", "2"), more), results.resolve(name));
    assertEquals(0, o.exitCode());
    return o;
  }

  private static JsonNode runDescription(GatlingRun.Outcome o) throws IOException {
    return JSON.readTree(o.runFolder().resolve(RunFiles.RUN_FILE).toFile());
  }

  @Test
  void anOverloadedStepIsSeenWhileItRunsAndStopsThereWithStopOnSaturation() throws IOException {
    int planned = 540; // 6 s of arrivals at 90 per second
    GatlingRun.Outcome o = live("live-stop", planned, 90, "stop.on.saturation", "true");
    JsonNode run = runDescription(o);
    JsonNode live = run.get("liveSaturation");
    assertEquals(1, live.size(), run.toString());
    JsonNode phase = live.get(0);
    assertTrue(phase.get("saturated").asBoolean() && phase.get("stopped").asBoolean(), phase.toString());
    assertTrue(phase.get("sinceSec").asDouble() >= 0 && phase.get("sinceSec").asDouble() < phase.get("seenSec")
        .asDouble(), "fallen behind before it was seen: " + phase);
    JsonNode requests = run.get("requests");
    long sent = requests.get("sent").asLong();
    long notSent = requests.get("notSent").asLong();
    assertEquals(planned, requests.get("planned").asLong(), requests.toString());
    assertTrue(sent < planned && notSent > 0, "the step stopped early: " + requests);
    assertEquals(planned, sent + notSent, requests.toString());
    assertEquals(notSent, phase.get("notSent").asLong(), "the phase's requests not sent are the run's: " + run);
    assertEquals(sent, o.measured().stream().filter(r -> r.sentEpochMicros() != 0).count(),
        "the side file holds the requests sent");
    // The sends stopped where it was seen: none sent after (the phase's first send + seenSec + a check's period).
    long first = o.measured().stream().mapToLong(r -> r.sentEpochMicros()).filter(t -> t != 0).min().orElseThrow();
    long last = o.measured().stream().mapToLong(r -> r.sentEpochMicros()).max().orElseThrow();
    assertTrue((last - first) / 1e6 <= phase.get("seenSec").asDouble() + 1, "last send " + (last - first) / 1e6
        + " s after the first: " + phase);
  }

  @Test
  void aComfortableStepIsNotSeenFallingBehindAndSendsAll() throws IOException {
    int planned = 30; // 6 s of arrivals at 5 per second
    GatlingRun.Outcome o = live("live-comfortable", planned, 5, "stop.on.saturation", "true");
    JsonNode run = runDescription(o);
    JsonNode phase = run.get("liveSaturation").get(0);
    assertFalse(phase.get("saturated").asBoolean() || phase.get("stopped").asBoolean(), phase.toString());
    assertTrue(phase.get("sinceSec").isNull(), phase.toString());
    assertEquals(planned, run.get("requests").get("sent").asLong(), run.toString());
    assertEquals(0, run.get("requests").get("notSent").asLong(), run.toString());
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
