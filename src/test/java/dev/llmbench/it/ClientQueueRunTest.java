package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * Client queue time (vLLM's {@code client_queue_time}) on real runs against the embedded emulator, its
 * decode step 1 ms: a run whose arrivals outrun its concurrency limit queues its requests in the load
 * generator, more and more; one whose limit never binds does not. Judged against the run's own E2E
 * latencies, never against wall-clock figures.
 */
class ClientQueueRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(List<RequestResult> rows, JsonNode group) {}

  private static Run run(String name, int prompts, int outputLen, int concurrency, String rate) throws IOException {
    Path dir = results.resolve(name);
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class,
        randomLoad(prompts, 16, outputLen, concurrency, "request.rate", rate), dir);
    assertEquals(0, o.exitCode());
    try (Stream<Path> s = Files.list(dir.resolve("reports").resolve("emulator"))) {
      List<Path> folders = s.filter(Files::isDirectory).toList();
      assertEquals(1, folders.size(), folders.toString());
      JsonNode group = JSON.readTree(folders.get(0).resolve("summary.json").toFile()).get("groups").get(0);
      return new Run(o.measured(), group);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  @Test
  void arrivalsThatOutrunTheLimitQueueMoreAndMore() throws IOException {
    // One stream, about 40 ms a request, asked for at 200 a second: each request waits for all before it.
    Run r = run("outrun", 16, 32, 1, "200");
    List<RequestResult> rows = r.rows().stream().sorted(Comparator.comparingLong(RequestResult::sentNanos)).toList();
    assertTrue(rows.stream().allMatch(x -> x.ok() && x.hasQueueTime()), rows.toString());
    double medianE2e = median(rows.stream().map(x -> (double) x.e2eMicros()).toList());
    double medianQueue = median(rows.stream().map(x -> (double) x.queueMicros()).toList());
    assertTrue(medianQueue > medianE2e, "median queue " + medianQueue + " µs, median E2E " + medianE2e);
    RequestResult last = rows.get(rows.size() - 1);
    assertTrue(last.queueMicros() > 5 * medianE2e, "the last request waited for those before it: " + last.queueMicros()
        + " µs, median E2E " + medianE2e);
    // Growing: the later half waited longer than the earlier half.
    int half = rows.size() / 2;
    double early = rows.subList(0, half).stream().mapToLong(RequestResult::queueMicros).average().orElseThrow();
    double late = rows.subList(half, rows.size()).stream().mapToLong(RequestResult::queueMicros).average().orElseThrow();
    assertTrue(late > early + medianE2e, "early " + early + " µs, late " + late + " µs");

    JsonNode g = r.group();
    assertTrue(g.get("median_client_queue_time_ms").asDouble() > g.get("median_e2e_latency_ms").asDouble(), g.toString());
    // E2E including the queue is E2E plus the queue, request by request, so their means add up.
    assertEquals(g.get("mean_e2e_latency_ms").asDouble() + g.get("mean_client_queue_time_ms").asDouble(),
        g.get("mean_e2el_including_client_queue_ms").asDouble(), 0.01, g.toString());
    assertTrue(g.get("p99_e2el_including_client_queue_ms").asDouble() > g.get("p99_e2e_latency_ms").asDouble());
  }

  @Test
  void arrivalsTheLimitKeepsUpWithDoNotQueue() throws IOException {
    // Eight streams for requests of about 300 ms that arrive 4 a second: a stream is always free. What
    // queue time remains is the client's own: its pause's wake-up and a new connection's connect.
    Run r = run("keeps-up", 8, 256, 8, "4");
    List<RequestResult> rows = r.rows();
    assertTrue(rows.stream().allMatch(x -> x.ok() && x.hasQueueTime()), rows.toString());
    JsonNode g = r.group();
    double p99Queue = g.get("p99_client_queue_time_ms").asDouble();
    double medianE2e = g.get("median_e2e_latency_ms").asDouble();
    assertTrue(p99Queue < 0.05 * medianE2e, "p99 queue " + p99Queue + " ms, median E2E " + medianE2e + " ms");
    assertTrue(g.has("mean_e2el_including_client_queue_ms"), "a finite rate: E2E including the queue " + g);
  }

  @Test
  void allAtOnceUnderALimitQueuesButHasNoE2eFromArrival() throws IOException {
    // request.rate=inf: every request arrives at the start; two streams serve eight.
    Run r = run("all-at-once", 8, 32, 2, "inf");
    assertTrue(r.rows().stream().allMatch(RequestResult::hasQueueTime), r.rows().toString());
    JsonNode g = r.group();
    assertTrue(g.get("median_client_queue_time_ms").asDouble() > 0, g.toString());
    assertFalse(g.has("mean_e2el_including_client_queue_ms"), "vLLM leaves it out for an infinite rate: " + g);
  }

  @Test
  void noLimitAndNoScheduleHasNoQueueTime() throws IOException {
    Run r = run("unlimited", 4, 16, 4, "inf");
    assertTrue(r.rows().stream().noneMatch(RequestResult::hasQueueTime), r.rows().toString());
    assertFalse(r.group().has("mean_client_queue_time_ms"), r.group().toString());
  }
}
