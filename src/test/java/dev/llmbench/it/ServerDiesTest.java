package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.CircuitBreaker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * A run whose server dies in the middle ({@code emulator.die.after.requests}: it stops listening and
 * closes every connection): the circuit breaker stops the run from sending, the requests it did not
 * send are counted (sent + not sent = planned), the result is partial, its verdict server-failing and
 * never client-bound, and the run fails. With the breaker off, every request is fired at the dead
 * port, and the verdict is still server-failing.
 */
class ServerDiesTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PROMPTS = 200;
  private static final int CONCURRENCY = 8;
  /** Generation requests the emulator serves before it dies: the warm-up and 39 measured ones. */
  private static final int DIE_AFTER = 40;

  private static Map<String, String> properties(String... more) {
    return with(randomLoad(PROMPTS, 32, 16, CONCURRENCY, "emulator.die.after.requests", Integer.toString(DIE_AFTER)),
        more);
  }

  @Test
  void theBreakerStopsARunWhoseServerDies() throws IOException {
    Path dir = results.resolve("dies");
    LlmSimulation.ServerFailingRunException e = assertThrows(LlmSimulation.ServerFailingRunException.class,
        () -> GatlingRun.run(ServingSimulation.class, properties(), dir));
    assertTrue(LastRun.target().emulator().dead(), "the emulator died");
    assertTrue(e.getMessage().startsWith("server failing: ") && e.getMessage().contains("connection failures in a row")
        && e.getMessage().contains("stopped sending at ") && e.getMessage().contains(" of " + PROMPTS
        + " requests not sent"), e.getMessage());

    Path runFolder = newest(dir);
    List<RequestResult> measured = RequestLogReader.read(runFolder.resolve(RequestLogWriter.FILE_NAME)).requests()
        .stream().filter(r -> !r.warmup()).toList();
    JsonNode run = JSON.readTree(runFolder.resolve("llm-run.json").toFile());
    JsonNode requests = run.get("requests");
    long sent = requests.get("sent").asLong();
    long notSent = requests.get("notSent").asLong();
    assertEquals(PROMPTS, requests.get("planned").asLong());
    assertEquals(PROMPTS, sent + notSent, "sent + not sent = planned: " + requests);
    assertEquals(measured.size(), sent, "every request sent has its row");
    assertTrue(e.getMessage().endsWith("; " + notSent + " of " + PROMPTS + " requests not sent"), e.getMessage());
    // It stopped soon after the server died: the requests served, the ones in flight when it died, the
    // failures in a row that trip the breaker, and those in flight then.
    long bound = (DIE_AFTER - 1) + CONCURRENCY + CircuitBreaker.Settings.DEFAULTS.consecutiveFailures() + CONCURRENCY;
    String outcomes = measured.stream().sorted(java.util.Comparator.comparingLong(r -> r.sentNanos() + r.e2eMicros() * 1_000))
        .map(r -> r.ok() ? "." : CircuitBreaker.isConnectionFailure(r.ok(), r.httpStatus(), r.error()) ? "c" : "x")
        .collect(java.util.stream.Collectors.joining());
    assertTrue(sent <= bound, "sent " + sent + " of " + PROMPTS + ", at most " + bound + " expected; outcomes in "
        + "order of their end (. ok, c connection failure, x other failure): " + outcomes + "; "
        + measured.stream().filter(r -> !r.ok()).map(RequestResult::error).distinct().limit(5).toList());
    long fast = measured.stream().filter(r -> CircuitBreaker.isConnectionFailure(r.ok(), r.httpStatus(), r.error()))
        .count();
    assertTrue(fast >= CircuitBreaker.Settings.DEFAULTS.consecutiveFailures(), "requests that could not connect: "
        + fast);
    JsonNode breaker = run.get("breaker");
    assertTrue(breaker.get("tripped").asBoolean());
    assertTrue(breaker.get("reason").asText().startsWith("10 connection failures in a row"), breaker.toString());

    Path folder = only(dir.resolve("reports").resolve("emulator"));
    JsonNode metadata = JSON.readTree(folder.resolve("metadata.json").toFile());
    assertTrue(metadata.get("partial").asBoolean(), "the result is marked partial");
    assertTrue(metadata.get("problems").toString().contains(notSent + " of " + PROMPTS + " requests not sent"),
        metadata.get("problems").toString());
    JsonNode validity = JSON.readTree(folder.resolve("summary.json").toFile()).get("validity");
    assertEquals("server-failing", validity.get("verdict").asText(), validity.toString());
    assertEquals(notSent, validity.get("requests").get("notSent").asLong());
    assertEquals(sent, validity.get("requests").get("sent").asLong());
    assertTrue(validity.get("requests").get("breakerTripped").asBoolean());
    String page = Files.readString(folder.resolve("index.html"));
    assertTrue(page.contains("Validity: SERVER-FAILING") && page.contains(notSent + " of " + PROMPTS
        + " requests not sent"), "the result page says so");
    assertFalse(page.contains("CLIENT-BOUND"));
  }

  /**
   * Open model: virtual users waiting for their scheduled arrival would each wait for it, only to send
   * nothing. Once the breaker has tripped and nothing is in flight, the load ends: long before the last
   * arrival, and every request not sent counted as such.
   */
  @Test
  void anOpenModelRunEndsOnceTheBreakerTrippedAndNothingIsInFlight() throws IOException {
    Path dir = results.resolve("open");
    int prompts = 400;
    double rate = 20;
    assertThrows(LlmSimulation.ServerFailingRunException.class, () -> GatlingRun.run(ServingSimulation.class,
        properties("num.prompts", Integer.toString(prompts), "request.rate", Double.toString(rate),
            "max.concurrency", Integer.toString(prompts)), dir));
    Path runFolder = newest(dir);
    JsonNode run = JSON.readTree(runFolder.resolve("llm-run.json").toFile());
    JsonNode requests = run.get("requests");
    assertEquals(prompts, requests.get("sent").asLong() + requests.get("notSent").asLong(), requests.toString());
    long rows = RequestLogReader.read(runFolder.resolve(RequestLogWriter.FILE_NAME)).requests().stream()
        .filter(r -> !r.warmup()).count();
    assertEquals(rows, requests.get("sent").asLong());
    // The schedule's last arrival is about prompts / rate = 20 s after the start; the server died after
    // about 2 s of it.
    double windowSec = run.get("monitor").get("wallNanos").asLong() / 1e9;
    assertTrue(windowSec < prompts / rate / 2, "the load ended after " + windowSec + " s");
    JsonNode metadata = JSON.readTree(only(dir.resolve("reports").resolve("emulator")).resolve("metadata.json")
        .toFile());
    assertEquals(1, metadata.get("problems").size(), "simulation.log agrees with the side file: "
        + metadata.get("problems"));
  }

  @Test
  void withTheBreakerOffEveryRequestIsSentAndTheVerdictIsStillServerFailing() throws IOException {
    Path dir = results.resolve("no-breaker");
    // Strict, with a loop-lag limit no run meets: the client's figures alone would call it client-bound,
    // and strict mode would fail it as such (ClientBoundRunException out of GatlingRun.run); the
    // server's failure comes first.
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, properties("breaker.enabled", "false",
        "validity.strict", "true", "validity.loop.lag.ms", "0.000001"), dir);
    assertNotEquals(0, o.exitCode(), "the failed streams fail the run's assertion");
    List<RequestResult> measured = o.measured();
    assertEquals(PROMPTS, measured.size(), "all sent: nothing stopped them");
    JsonNode run = JSON.readTree(o.runFolder().resolve("llm-run.json").toFile());
    assertEquals(0, run.get("requests").get("notSent").asLong());
    assertFalse(run.get("breaker").get("tripped").asBoolean());
    JsonNode validity = JSON.readTree(only(dir.resolve("reports").resolve("emulator")).resolve("summary.json")
        .toFile()).get("validity");
    assertEquals("server-failing", validity.get("verdict").asText(), "most requests failed before any response byte, "
        + "which is the server's doing, not the client's: " + validity);
    assertTrue(validity.get("reasons").toString().contains("measured requests failed before any response byte"),
        validity.get("reasons").toString());
  }

  private static Path newest(Path dir) {
    File[] runs = dir.toFile().listFiles(f -> f.isDirectory() && f.getName().startsWith("servingsimulation-"));
    assertNotNull(runs);
    assertEquals(1, runs.length);
    return runs[0].toPath();
  }

  private static Path only(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
