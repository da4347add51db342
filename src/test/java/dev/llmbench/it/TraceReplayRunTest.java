package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * A mooncake trace replayed on the embedded emulator: every request sent at its trace time divided by the
 * speed, with the lengths the trace gives; the deviation of each send from its due time is the run's own
 * client queue time, and that is small beside the trace's gaps. No wall-clock limit: the bound is what the
 * run recorded, and the trace's own gaps.
 */
class TraceReplayRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aReplaySendsEachRequestAtItsTraceTimeOverTheSpeed() throws IOException, URISyntaxException,
      NoSuchAlgorithmException {
    Path trace = Path.of(TraceReplayRunTest.class.getResource("/traces/mooncake.jsonl").toURI());
    double speed = 2;
    Map<String, String> props = new HashMap<>(Map.of(
        "trace.path", trace.toString(),
        "trace.speed", Double.toString(speed),
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"));
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, props, results.resolve("mooncake"));
    assertEquals(0, o.exitCode());

    // The trace, read here on its own: arrival (ms), input and output lengths.
    List<JsonNode> rows = Files.readAllLines(trace).stream().filter(l -> !l.isBlank()).map(TraceReplayRunTest::json)
        .sorted(Comparator.comparingDouble(r -> r.get("timestamp").asDouble())).toList();
    // In the order of their scheduled arrivals (send minus queue time), which is the trace's: two requests due
    // close together may leave in the other order when the machine is busy, and would be paired wrongly by send.
    List<RequestResult> sent = o.measured().stream()
        .sorted(Comparator.comparingLong(r -> r.sentNanos() - r.queueMicros() * 1_000)).toList();
    assertEquals(rows.size(), sent.size());
    assertTrue(sent.stream().allMatch(RequestResult::ok), sent.toString());

    double firstMs = rows.get(0).get("timestamp").asDouble();
    long firstSent = sent.get(0).sentNanos();
    long largestQueue = sent.stream().mapToLong(RequestResult::queueMicros).max().orElseThrow();
    double smallestGapMicros = Double.MAX_VALUE;
    for (int i = 0; i < rows.size(); i++) {
      RequestResult r = sent.get(i);
      JsonNode row = rows.get(i);
      assertEquals(row.get("input_length").asInt(), r.promptTokens(), "request " + i + "'s prompt, as the emulator counted it");
      assertEquals(row.get("output_length").asInt(), r.maxTokens(), "request " + i);
      assertTrue(r.hasQueueTime(), "a scheduled arrival: its send is measured from it");
      double dueMicros = (row.get("timestamp").asDouble() - firstMs) * 1000 / speed;
      double sentMicros = (r.sentNanos() - firstSent) / 1000.0;
      // Each send is its due time plus its own queue time (the first's too): the deviation from the trace is the
      // difference of those, never more than the largest the run recorded.
      assertEquals(dueMicros + r.queueMicros() - sent.get(0).queueMicros(), sentMicros, 2.0, "request " + i);
      assertTrue(Math.abs(sentMicros - dueMicros) <= largestQueue, "request " + i + " sent " + sentMicros
          + " µs after the first, due " + dueMicros + " µs");
      if (i > 0) {
        smallestGapMicros = Math.min(smallestGapMicros,
            (row.get("timestamp").asDouble() - rows.get(i - 1).get("timestamp").asDouble()) * 1000 / speed);
      }
    }
    // The client kept the trace's order and rhythm: no send was late by as much as the trace's smallest gap.
    assertTrue(largestQueue < smallestGapMicros, "largest send delay " + largestQueue + " µs, smallest gap of the "
        + "trace at this speed " + smallestGapMicros + " µs");

    JsonNode run = JSON.readTree(o.runFolder().resolve("llm-run.json").toFile());
    JsonNode recorded = run.get("trace");
    assertEquals(trace.getFileName().toString(), recorded.get("file").asText());
    assertEquals("mooncake", recorded.get("format").asText());
    assertEquals(speed, recorded.get("speed").asDouble());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(trace))),
        recorded.get("sha256").asText());
    // Every measured request waited for its arrival, so the self-monitor's send lag covers each of them.
    assertTrue(run.get("monitor").get("sendLagSamples").asLong() >= rows.size() - 1, run.get("monitor").toString());
    assertTrue(run.get("monitor").get("sendLagMaxMicros").asLong() <= largestQueue, run.get("monitor").toString());
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
