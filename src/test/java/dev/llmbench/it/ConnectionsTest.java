package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.requests.RequestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The client against servers that end connections as real ones do (the emulator's
 * {@code emulator.close.after.stream.ms}, {@code emulator.keepalive.max} and
 * {@code emulator.keepalive.timeout.ms}), each in a real Gatling run: no stream fails, and a request
 * that met a connection closing under it is sent again and counted.
 */
class ConnectionsTest extends EmulatorRuns {
  private static final int PROMPTS = 12;

  /** A run's requests, warm-ups included: every one must have succeeded. */
  private static List<RequestResult> run(String name, String... properties) throws Exception {
    GatlingRun.Outcome outcome = GatlingRun.run(ServingSimulation.class, randomLoad(PROMPTS, 64, 16, 3, properties),
        results.resolve(name));
    List<RequestResult> rows = outcome.requests();
    assertEquals(PROMPTS, rows.stream().filter(r -> !r.warmup()).count(), name + ": every request is in the side file");
    for (RequestResult r : rows) {
      assertTrue(r.ok(), () -> name + ": no stream fails: " + r);
    }
    assertEquals(resends(rows), summaryResends(name), name + ": summary.json counts the side file's re-sends");
    return rows;
  }

  private static long resends(List<RequestResult> rows) {
    return rows.stream().mapToLong(RequestResult::resends).sum();
  }

  private static long summaryResends(String name) throws Exception {
    try (Stream<Path> s = Files.walk(results.resolve(name).resolve("reports"))) {
      Path summary = s.filter(p -> p.getFileName().toString().equals("summary.json")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(summary.toFile()).path("resends").asLong(-1);
    }
  }

  private static LlmEmulator emulator() {
    return LastRun.target().emulator();
  }

  /**
   * llama.cpp's server: it closes each connection just after a streamed response, without
   * {@code Connection: close}, while the client is already sending its next request there.
   */
  @Test
  void aServerThatClosesAfterEachStreamCostsResendsNotFailures() throws Exception {
    List<RequestResult> rows = run("close-after-stream", "emulator.close.after.stream.ms", "5");
    long dropped = emulator().droppedRequests();
    assertTrue(resends(rows) > 0, "the race was met and survived by re-sending: " + rows);
    assertTrue(resends(rows) >= dropped,
        "every request the server dropped unread was sent again: " + dropped + " dropped, " + resends(rows) + " re-sent");
    assertTrue(rows.stream().allMatch(r -> r.resends() <= 1), "at most one re-send per request");
  }

  /** A server that serves 2 requests per connection and says so: the client never sends it a third. */
  @Test
  void theKeepAliveMaximumIsHonoured() throws Exception {
    List<RequestResult> rows = run("keepalive-max", "emulator.keepalive.max", "2");
    assertEquals(0, resends(rows), "no request was written to a connection past its maximum");
    assertEquals(0, emulator().droppedRequests());
    assertTrue(emulator().connectionsAccepted() >= (rows.size() + 1) / 2,
        emulator().connectionsAccepted() + " connections for " + rows.size() + " streams, at most 2 each");
  }

  /** Requests further apart than the server's idle timeout: each finds its connection gone, none fails. */
  @Test
  void anIdleTimeoutShorterThanTheGapsBetweenRequests() throws Exception {
    List<RequestResult> rows = run("keepalive-timeout", "emulator.keepalive.timeout.ms", "200",
        "num.prompts", Integer.toString(PROMPTS), "max.concurrency", "1", "request.rate", "4");
    assertEquals(0, emulator().droppedRequests(), "no request reached a connection being closed");
    assertEquals(0, resends(rows), "an idle connection past the advertised timeout is not reused");
  }

  /** {@code -Dhttp.keepalive=false}: one connection per request, as bench_serving, and nothing to re-send. */
  @Test
  void withoutKeepAliveEachRequestHasItsOwnConnection() throws Exception {
    List<RequestResult> rows = run("no-keepalive", "http.keepalive", "false", "emulator.close.after.stream.ms", "5");
    assertEquals(0, resends(rows));
    assertEquals(0, emulator().droppedRequests(), "no request was written to a connection the server was closing");
    assertTrue(emulator().connectionsAccepted() >= rows.size(),
        emulator().connectionsAccepted() + " connections for " + rows.size() + " streams");
  }

  /**
   * A server that holds a request on a connection it is closing, and drops it only 1.5 s after the
   * previous stream's end: a request sent right after that stream waited longer than the re-send
   * window (StreamConnection.RESEND_WINDOW_NANOS), so the server had it and its failure is the
   * server's, counted as a failure, not hidden by a re-send.
   */
  @Test
  void aRequestTheServerHeldPastTheResendWindowFailsAndIsNotResent() throws Exception {
    GatlingRun.Outcome outcome = GatlingRun.run(ServingSimulation.class, randomLoad(PROMPTS, 64, 16, 3,
        "emulator.close.after.stream.ms", "1500"), results.resolve("held-then-closed"));
    List<RequestResult> rows = outcome.requests();
    long dropped = emulator().droppedRequests();
    List<RequestResult> failed = rows.stream().filter(r -> !r.ok()).toList();
    assertTrue(dropped > 0, "requests reached a connection the server was closing");
    // A request sent less than a second before the close (the first after the warm-up's pause, say)
    // is re-sent; one that came right after the previous stream waited 1.5 s and failed.
    assertTrue(failed.size() > 0, "requests held past the window failed: " + rows);
    assertEquals(dropped, failed.size() + resends(rows),
        "each dropped request either failed (held past the window) or was re-sent (within it): " + rows);
    assertTrue(failed.stream().allMatch(r -> r.error().startsWith("connection closed by the server after 0 content")),
        failed.toString());
    assertTrue(outcome.exitCode() != 0, "the failed streams fail the run's assertion");
  }
}
