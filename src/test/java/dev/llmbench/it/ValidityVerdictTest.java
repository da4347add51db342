package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ValidityCheck;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * The validity verdict on real smoke runs: a normal run is judged by the rules and its verdict written
 * (never asserted valid: a busy machine may make the client late), a client starved on purpose (busy
 * threads on every core, or a threshold no run can meet) is client-bound with the figure that crossed,
 * strict mode fails a client-bound run and lets a valid one pass, and open-model runs measure send lag.
 * Timings are checked against the runs' own ground truth (the load window holds every request), never
 * against wall-clock limits.
 */
class ValidityVerdictTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path results;

  /** The only result folder of a run's reports directory. */
  private static Path resultFolder(Path runResults) throws IOException {
    try (Stream<Path> s = Files.walk(runResults.resolve("reports"))) {
      List<Path> found = s.filter(p -> p.getFileName().toString().equals("summary.json")).toList();
      assertEquals(1, found.size(), "one result folder: " + found);
      return found.get(0).getParent();
    }
  }

  private static JsonNode validity(Path runResults) throws IOException {
    JsonNode v = JSON.readTree(resultFolder(runResults).resolve("summary.json").toFile()).get("validity");
    assertNotNull(v, "summary.json has a validity object");
    return v;
  }

  private static List<String> reasons(JsonNode validity) {
    List<String> reasons = new ArrayList<>();
    validity.get("reasons").forEach(r -> reasons.add(r.asText()));
    return reasons;
  }

  /**
   * A normal smoke run, with the default limits, is judged and its verdict written, whatever it is:
   * on a machine busy with another build the client may really be late (loop lag p99 29.8 ms was
   * seen), and a test that asserts a quiet machine rejects good work. What the rules decide for given
   * figures is ValidityCheckTest's (injected lag, send lag, GC and CPU figures); here, that the verdict
   * written is the one those rules give for the figures written beside it.
   */
  @Test
  void aNormalSmokeRunIsJudgedAndItsVerdictWritten() throws IOException {
    Path dir = results.resolve("normal");
    long fullBefore = fullCollections();
    long before = System.nanoTime();
    GatlingRun.Outcome o = GatlingRun.run(SmokeSimulation.class, Map.of(), dir);
    long elapsed = System.nanoTime() - before;
    assertEquals(0, o.exitCode(), "not strict: the run passes whatever its verdict");
    assertTrue(fullCollections() > fullBefore, "the measured phase starts with a full collection of the warm-up's garbage");
    JsonNode v = validity(dir);
    Validity judged = ValidityCheck.judge(ValidityJson.monitor(v.get("monitor")), ValidityThresholds.DEFAULTS, false);
    assertEquals(judged.verdict().wireName(), v.get("verdict").asText(), () -> "the rules' verdict on the figures: " + v);
    assertTrue(List.of("valid", "client-bound").contains(v.get("verdict").asText()), "a healthy server: " + v);
    assertEquals(judged.reasons(), reasons(v), "each reason names its figure and limit");
    assertFalse(v.get("strict").asBoolean());

    JsonNode m = v.get("monitor");
    assertEquals(2, m.get("schemaVersion").asInt());
    assertTrue(m.get("eventLoops").asInt() >= 1, "the virtual users' loops were watched: " + m);
    assertTrue(m.get("loopLagSamples").asLong() > 0, "the loop timers fired: " + m);
    assertTrue(m.get("processCpuNanos").asLong() > 0, m.toString());
    assertEquals(0, m.get("sendLagSamples").asLong(), "closed model: no request waited for a scheduled arrival");
    long measured = o.requests().stream().filter(q -> !q.warmup()).count();
    assertTrue(m.get("readLagSamples").asLong() >= measured,
        "every measured stream was read on a watched stream loop, once at least: " + m + ", " + measured + " requests");
    // The load window holds every measured request (ground truth: the requests' own send and end
    // stamps; it starts over with the first of them, leaving the warm-up out) and lies within the time
    // the whole run took.
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (var r : o.requests().stream().filter(q -> !q.warmup()).toList()) {
      first = Math.min(first, r.sentNanos());
      last = Math.max(last, r.sentNanos() + r.e2eMicros() * 1_000);
    }
    long wall = m.get("wallNanos").asLong();
    assertTrue(wall >= last - first, "window " + wall + " ns must cover the requests' " + (last - first) + " ns");
    assertTrue(wall <= elapsed, "window " + wall + " ns must lie within the run's " + elapsed + " ns");

    JsonNode run = JSON.readTree(o.runFolder().resolve("llm-run.json").toFile());
    JsonNode recorded = run.get("monitor");
    assertEquals(recorded.size(), m.size(), "summary.json shows every figure llm-run.json recorded");
    recorded.fields().forEachRemaining(f -> {
      JsonNode shown = m.get(f.getKey());
      if (f.getValue().isIntegralNumber()) {
        assertEquals(f.getValue().asLong(), shown.asLong(), f.getKey());
      } else if (f.getValue().isNumber()) {
        assertEquals(f.getValue().asDouble(), shown.asDouble(), 1e-6, f.getKey() + ": six decimals in summary.json");
      } else {
        assertEquals(f.getValue(), shown, f.getKey());
      }
    });
    run.get("validity").get("thresholds").fields().forEachRemaining(f ->
        assertEquals(f.getValue().asDouble(), v.get("thresholds").get(f.getKey()).asDouble(), f.getKey()));
    assertEquals(5, v.get("thresholds").size());
    String page = Files.readString(resultFolder(dir).resolve("index.html"));
    assertTrue(page.contains("Measurement validity") && page.contains(judged.clientBound() ? "Validity: CLIENT-BOUND"
        : "Validity: valid ("), "the result page says so");
  }

  /** Limits no run on these cores crosses (a minute of lag or GC pause, all of the CPU): the verdict is valid. */
  private static final Map<String, String> LENIENT = Map.of("validity.loop.lag.ms", "60000",
      "validity.read.lag.ms", "60000", "validity.send.lag.ms", "60000", "validity.gc.pause.ms", "60000",
      "validity.cpu.share", "1");

  @Test
  void strictModeLetsAValidRunPass() throws IOException {
    Path dir = results.resolve("strict-valid");
    Map<String, String> props = new java.util.HashMap<>(LENIENT);
    props.put("validity.strict", "true");
    GatlingRun.Outcome o = GatlingRun.run(SmokeSimulation.class, props, dir);
    assertEquals(0, o.exitCode());
    JsonNode v = validity(dir);
    assertEquals("valid", v.get("verdict").asText(), () -> "within limits no run crosses: " + v);
    assertEquals(List.of(), reasons(v));
    assertTrue(v.get("strict").asBoolean());
  }

  /** Collections of the whole heap so far (G1's, Parallel's or Serial's old-generation collector). */
  private static long fullCollections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(gc -> gc.getName().contains("Old") || gc.getName().contains("MarkSweep"))
        .mapToLong(gc -> Math.max(0, gc.getCollectionCount())).sum();
  }

  @Test
  void aClientStarvedByBusyThreadsIsClientBound() throws IOException {
    // Two spinning threads per core, in the load generator's own process, for the whole run.
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> busy = new ArrayList<>();
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          // spin: a volatile read per turn, never optimised away
        }
      }, "busy-" + i);
      t.setDaemon(true);
      busy.add(t);
    }
    Path dir = results.resolve("starved");
    GatlingRun.Outcome o;
    try {
      busy.forEach(Thread::start);
      o = GatlingRun.run(SmokeSimulation.class, Map.of(), dir);
    } finally {
      stop.set(true);
    }
    assertEquals(0, o.exitCode(), "not strict: the run itself passes");
    JsonNode v = validity(dir);
    assertEquals("client-bound", v.get("verdict").asText(), () -> "a starved client: " + v);
    List<String> reasons = reasons(v);
    assertFalse(reasons.isEmpty());
    reasons.forEach(r -> assertTrue(r.contains(" > validity."), "each reason names its figure and threshold: " + r));
    // The spinners are the load generator's own threads: on an idle machine its CPU share gives it away;
    // on one busy with other processes the spinners get less than their share of the cores, and the
    // loops that stamp the tokens run late instead. Either is the client's, never the server's.
    assertTrue(reasons.stream().anyMatch(r -> r.contains("validity.cpu.share") || r.contains("validity.loop.lag.ms")),
        reasons.toString());
    String page = Files.readString(resultFolder(dir).resolve("index.html"));
    assertTrue(page.contains("Validity: CLIENT-BOUND"), "the result page says so");
  }

  @Test
  void strictModeFailsAClientBoundRunAfterWritingItsResults() throws IOException {
    // No timer fires on time to the microsecond: a zero limit is crossed by every run. The read lag's
    // limit is raised out of reach, so that the loop lag is the one reason.
    Path dir = results.resolve("strict");
    LlmSimulation.ClientBoundRunException e = assertThrows(LlmSimulation.ClientBoundRunException.class,
        () -> GatlingRun.run(SmokeSimulation.class, Map.of("validity.strict", "true", "validity.loop.lag.ms", "0",
            "validity.read.lag.ms", "60000"), dir));
    assertTrue(e.getMessage().contains("validity.strict=true"), e.getMessage());
    JsonNode v = validity(dir);
    assertEquals("client-bound", v.get("verdict").asText());
    assertTrue(v.get("strict").asBoolean());
    List<String> reasons = reasons(v);
    assertEquals(1, reasons.size(), reasons.toString());
    String p99 = ValidityCheck.ms(v.get("monitor").get("loopLagP99Micros").asLong());
    assertTrue(reasons.get(0).startsWith("event-loop timer lag p99 " + p99 + " ms > validity.loop.lag.ms=0"),
        "the reason quotes the figure and the limit: " + reasons.get(0));
    assertTrue(e.getMessage().contains(reasons.get(0)), "the failure says why: " + e.getMessage());
  }

  @Test
  void anOpenModelRunMeasuresSendLag() throws IOException {
    // As many workers as requests, arrivals at 40/s: every request but those due at once waits for its time.
    Path dir = results.resolve("open");
    GatlingRun.Outcome o = GatlingRun.run(SmokeSimulation.class,
        Map.of("request.rate", "40", "max.concurrency", "32", "validity.send.lag.ms", "0"), dir);
    assertEquals(0, o.exitCode());
    JsonNode v = validity(dir);
    JsonNode m = v.get("monitor");
    long measured = o.requests().stream().filter(r -> !r.warmup()).count();
    long samples = m.get("sendLagSamples").asLong();
    assertTrue(samples >= measured / 2 && samples <= measured,
        "most of the " + measured + " scheduled requests waited for their arrival, but " + samples + " were measured");
    assertTrue(m.get("sendLagP50Micros").asLong() <= m.get("sendLagP99Micros").asLong()
        && m.get("sendLagP99Micros").asLong() <= m.get("sendLagMaxMicros").asLong(), m.toString());
    assertEquals("client-bound", v.get("verdict").asText(), "no request is sent on time to the microsecond");
    assertTrue(reasons(v).stream().anyMatch(r -> r.startsWith("send lag p99 ") && r.contains("validity.send.lag.ms=0")),
        reasons(v).toString());
  }
}
