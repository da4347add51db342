package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.PostRun;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.TimeSlice;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * Time slices end to end: a smoke run against the embedded emulator with {@code -Dslice.sec=1}, its slice
 * length recorded in {@code llm-run.json}, and its slices in {@code summary.json} holding every measured
 * request exactly once. No assertion on how long anything took: only counts and the slices' order.
 */
class TimeSlicesRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  private static GatlingRun.Outcome run;

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of("slice.sec", "1"), work.resolve("gatling"));
    assertEquals(0, run.exitCode());
  }

  @Test
  void theSlicesHoldEveryMeasuredRequestOnce() throws IOException {
    JsonNode recorded = JSON.readTree(run.runFolder().resolve("llm-run.json").toFile());
    assertEquals(1.0, recorded.get("sliceSec").asDouble(), recorded.toString());

    JsonNode groups = JSON.readTree(resultFolder().resolve("summary.json").toFile()).get("groups");
    long measured = run.measured().size();
    long inSlices = 0;
    long completedInSlices = 0;
    for (JsonNode g : groups) {
      JsonNode slices = g.get("time_slices");
      assertTrue(slices != null && slices.size() > 0, g.get("group").asText());
      for (int i = 0; i < slices.size(); i++) {
        JsonNode s = slices.get(i);
        assertEquals(i, s.get("index").asInt(), "slices in time order, none left out");
        assertEquals(i, s.get("start_s").asDouble(), 1e-9, "1 s each from the group's first send");
        inSlices += s.get("requests").asLong();
        completedInSlices += s.get("completed").asLong();
      }
      JsonNode steady = g.get("steady_state");
      assertTrue(steady.get("requests").asLong() > 0 && steady.get("requests").asLong() <= g.get("completed").asLong()
          + g.get("failed").asLong(), steady.toString());
      assertTrue(steady.get("start_s").asDouble() <= steady.get("end_s").asDouble(), steady.toString());
    }
    assertEquals(measured, inSlices, "sum of the slices' requests is the measured requests");
    assertEquals(run.measured().stream().filter(RequestResult::ok).count(), completedInSlices);
  }

  @Test
  void aRebuildFromTheRunFolderCutsTheSameSlices() throws IOException {
    JsonNode written = JSON.readTree(resultFolder().resolve("summary.json").toFile()).get("groups").get(0);
    List<GroupTimeline> again = PostRun.analyse(run.runFolder(), work, Instant.EPOCH).summary().timelines();
    List<TimeSlice> slices = again.get(0).slices();
    assertEquals(written.get("time_slices").size(), slices.size());
    for (int i = 0; i < slices.size(); i++) {
      assertEquals(written.get("time_slices").get(i).get("requests").asLong(), slices.get(i).requests());
    }
    assertEquals(written.get("steady_state").get("requests").asLong(), again.get(0).steadyState().requests());
  }

  private static Path resultFolder() throws IOException {
    try (Stream<Path> s = Files.list(work.resolve("gatling").resolve("reports").resolve("emulator"))) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
