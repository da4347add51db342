package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.emulator.GroundTruth;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * bench_serving's generated shared prefix against the emulator's prefix cache: one stream at a time (closed
 * model, so every request of a group after its first finds the group's system prompt computed), no warm-up
 * (bench_serving's reuses the first prompt and would cache one group before the load). The expected hit rate
 * comes from the workload's structure: of each group's {@value #PER_GROUP} prompts the first misses its system
 * prompt and the others hit its full blocks; TTFT of hits against misses is checked as a ratio against the
 * emulator's own ground truth.
 */
class SharedPrefixRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GROUPS = 4;
  private static final int PER_GROUP = 4;
  private static final int SYSTEM = 1000;
  private static final int QUESTION = 40;
  private static final int BLOCK = 16;

  private static GatlingRun.Outcome outcome;
  private static Path result;
  private static List<RequestTrace> truth;
  private static String metrics;

  @BeforeAll
  static void run() throws Exception {
    Map<String, String> props = with(new java.util.HashMap<>(), "dataset.name", "generated-shared-prefix",
        "gsp.num.groups", Integer.toString(GROUPS), "gsp.prompts.per.group", Integer.toString(PER_GROUP),
        "gsp.system.prompt.len", Integer.toString(SYSTEM), "gsp.question.len", Integer.toString(QUESTION),
        "gsp.output.len", "8", "max.concurrency", "1", "warmup.requests", "0",
        "emulator.prefix.cache", "true", "emulator.prefix.cache.block", Integer.toString(BLOCK),
        "emulator.decode.step.base.us", "1000", "emulator.prefill.tps", "100000", "metrics.interval.ms", "100",
        "baseline.compare", "false");
    outcome = GatlingRun.run(ServingSimulation.class, props, results.resolve("gsp"));
    assertEquals(0, outcome.exitCode());
    result = resultFolder("gsp");
    GroundTruth gt = LastRun.target().emulator().groundTruth();
    truth = gt.all();
    List<String> lines = java.nio.file.Files.readAllLines(result.resolve("server-metrics.csv"));
    metrics = String.join("\n", lines.get(0), lines.get(lines.size() - 1));
  }

  /** Hit tokens of a request that finds its group's system prompt: its full blocks. */
  private static int hitTokens() {
    return SYSTEM / BLOCK * BLOCK;
  }

  @Test
  void groundTruthHitsAreTheWorkloadsStructure() {
    assertEquals(GROUPS * PER_GROUP, truth.size());
    long hits = truth.stream().filter(t -> t.cachedTokens() > 0).count();
    assertEquals(GROUPS * (PER_GROUP - 1), hits, "all but each group's first prompt hit");
    for (RequestTrace t : truth) {
      assertEquals(SYSTEM + QUESTION, t.promptTokens(), "token-exact prompts");
      assertTrue(t.cachedTokens() == 0 || t.cachedTokens() == hitTokens(), t.toString());
    }
    long queried = truth.stream().mapToLong(RequestTrace::promptTokens).sum();
    long hit = truth.stream().mapToLong(RequestTrace::cachedTokens).sum();
    double expected = (double) GROUPS * (PER_GROUP - 1) * hitTokens() / ((long) GROUPS * PER_GROUP * (SYSTEM + QUESTION));
    assertEquals(expected, (double) hit / queried, 1e-12);
    // /metrics counts the same tokens (vLLM's counters, in tokens), as the last scrape after the load read them.
    String[] header = metrics.lines().findFirst().orElseThrow().split(",");
    String[] last = metrics.lines().skip(1).findFirst().orElseThrow().split(",");
    int q = List.of(header).indexOf("prefix_cache_queries");
    int h = List.of(header).indexOf("prefix_cache_hits");
    assertTrue(q >= 0 && h >= 0, metrics);
    assertEquals(queried, Double.parseDouble(last[q]), 0.0, metrics);
    assertEquals(hit, Double.parseDouble(last[h]), 0.0, metrics);
  }

  @Test
  void hitsHaveALowerTtftThanMisses() {
    double hitTtft = truth.stream().filter(t -> t.cachedTokens() > 0).mapToLong(RequestTrace::ttftNanos)
        .average().orElseThrow();
    double missTtft = truth.stream().filter(t -> t.cachedTokens() == 0).mapToLong(RequestTrace::ttftNanos)
        .average().orElseThrow();
    // A miss prefills SYSTEM + QUESTION tokens, a hit only the rest: the prefill alone is that ratio; the
    // step's fixed cost makes hits relatively slower, so half that ratio is a safe floor.
    double prefillRatio = (double) (SYSTEM + QUESTION) / (SYSTEM + QUESTION - hitTokens());
    System.out.printf(java.util.Locale.ROOT, "shared prefix: TTFT hits %.2f ms, misses %.2f ms%n", hitTtft / 1e6,
        missTtft / 1e6);
    assertTrue(missTtft / hitTtft > prefillRatio / 2 || missTtft / hitTtft > 2,
        "misses " + missTtft + " ns, hits " + hitTtft + " ns");
  }

  @Test
  void clientSeesCachedTokensAndTheReportHasTheHitRate() throws IOException {
    List<RequestResult> measured = outcome.requests().stream().filter(r -> !r.warmup()).toList();
    assertEquals(GROUPS * PER_GROUP, measured.size());
    for (RequestResult r : measured) {
      RequestTrace t = truth.stream().filter(x -> r.requestId().equals(x.clientRequestId())).findFirst().orElseThrow();
      assertEquals(t.cachedTokens(), r.cachedTokens(), r.requestId());
    }
    JsonNode summary = JSON.readTree(result.resolve("summary.json").toFile());
    long queried = truth.stream().mapToLong(RequestTrace::promptTokens).sum();
    long hit = truth.stream().mapToLong(RequestTrace::cachedTokens).sum();
    JsonNode server = summary.path("server");
    assertEquals((double) hit / queried, server.path("prefixCacheHitRate").asDouble(-1), 1e-6, server.toString());
    JsonNode client = summary.path("prefixCache");
    assertEquals(GROUPS * (PER_GROUP - 1), client.path("hits").asInt(), client.toString());
    assertEquals(GROUPS, client.path("misses").asInt(), client.toString());
    assertEquals((double) hit / queried, client.path("cachedTokenShare").asDouble(-1), 1e-6, client.toString());
    assertTrue(client.path("ttftMsMeanHits").asDouble() < client.path("ttftMsMeanMisses").asDouble(), client.toString());
    Stream.of("hits", "misses").forEach(k -> assertTrue(client.has(k)));
    String page = java.nio.file.Files.readString(result.resolve("index.html"));
    assertTrue(page.contains("Prefix cache") && page.contains(GROUPS * (PER_GROUP - 1) + " hits, " + GROUPS + " misses"),
        "the page's line on the prefix cache");
  }
}
