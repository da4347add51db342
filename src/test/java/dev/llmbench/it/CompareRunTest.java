package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.CompareCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * Two emulators compared as two frameworks: the same load against one whose decode step takes
 * {@link #STEP_US} µs and one whose step takes twice as long (no per-sequence cost, prefill at once).
 * The comparison marks the faster one best and gives ratios of about 2 for TPOT and output throughput:
 * the emulators' own settings, within a tolerance for the client's and the scheduler's overheads, never
 * wall-clock figures. The settings differ, so the comparison names the difference.
 */
class CompareRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The fast emulator's decode step; large beside the few hundred µs a busy 2-core machine adds to a token. */
  private static final int STEP_US = 4000;
  /** How far a measured ratio may stray from the emulators' 2. */
  private static final double TOLERANCE = 0.2;

  private static Path run(String framework, int stepMicros, Path reports) throws IOException {
    Map<String, String> props = randomLoad(16, 16, 48, 4, "framework", framework,
        "emulator.decode.step.base.us", Integer.toString(stepMicros), "emulator.decode.step.per.seq.us", "0",
        "llmbench.reports.dir", reports.toString());
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, props, results.resolve(framework));
    assertEquals(0, o.exitCode());
    try (Stream<Path> s = Files.list(reports.resolve(framework))) {
      return s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  @Test
  void theFasterEmulatorIsBestAndTwiceAsFast() throws IOException {
    Path reports = results.resolve("reports");
    Path fast = run("fast", STEP_US, reports);
    Path slow = run("slow", 2 * STEP_US, reports);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CompareCommand.run(new String[] {"--cost.per.hour", "fast=2,slow=2", slow.toString(),
        reports.resolve("fast").toString(), "--reference", "fast"}, reports, Instant.now(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(CompareCommand.OK, code, err.toString(StandardCharsets.UTF_8));
    Path json;
    try (Stream<Path> s = Files.list(reports.resolve("summary"))) {
      json = s.filter(p -> p.getFileName().toString().matches("comparison-\\d{8}-\\d{6}\\.json")).findFirst()
          .orElseThrow();
    }
    JsonNode c = JSON.readTree(json.toFile());
    assertEquals("fast", c.get("reference").asText());
    assertEquals(fast.toString(), c.get("runs").get(1).get("folder").asText(), "the framework folder's newest result");
    JsonNode group = c.get("groups").get(0);
    for (JsonNode m : group.get("metrics")) {
      String metric = m.get("metric").asText();
      if (metric.startsWith("mean_") || metric.startsWith("median_")) {
        if (metric.contains("tpot") || metric.contains("itl")) {
          assertEquals("fast", m.get("best").get(0).asText(), metric);
          assertEquals(2.0, m.get("ratioToReference").get("slow").asDouble(), 2 * TOLERANCE, metric);
        }
      }
      if (metric.equals("output_throughput") || metric.equals("request_throughput")) {
        assertEquals("fast", m.get("best").get(0).asText(), metric);
        assertEquals(0.5, m.get("ratioToReference").get("slow").asDouble(), 0.5 * TOLERANCE, metric);
      }
    }
    assertEquals(2.0, group.get("costPerMillionOutputTokens").get("slow").asDouble()
        / group.get("costPerMillionOutputTokens").get("fast").asDouble(), 2 * TOLERANCE, "twice the price per token");
    String differences = c.get("differences").toString();
    assertTrue(differences.contains("slow against fast: emulator was") && differences.contains("step=4000 us")
        && differences.contains("step=8000 us"), differences);

    String md = Files.readString(Path.of(json.toString().replace(".json", ".md")));
    assertTrue(md.contains("| Metric | slow | fast (reference) | slow / fast |\n| --- | ---: | ---: | ---: |\n"), md);
    System.out.println(md);
  }
}
