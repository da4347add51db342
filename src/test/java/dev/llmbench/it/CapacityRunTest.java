package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.capacity.SearchResult;
import dev.llmbench.report.render.CapacityFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simulations.CapacitySimulation;

/**
 * A capacity search against an emulator whose timing model fixes its capacity. The emulator decodes
 * one token for every running sequence per step of {@code base + perSeq * n} µs (prefill is made
 * instantaneous), so with n streams decoding, each streams a token every {@code base + perSeq * n}:
 * a TPOT objective {@code T} holds for at most {@code n* = (T - base) / perSeq} streams. The searched
 * concurrency must be {@code floor(n*)} to within one stream (the median is the objective's percentile,
 * so a stall of the shared machine does not decide it). An open load at rate λ of requests of {@code O}
 * output tokens keeps {@code n = λ O (base + perSeq n)} streams (Little's law, a request living about O
 * steps), so the objective holds up to {@code λ* = n* / (O T)}; the searched rate must be within 15 %
 * of it (the law's approximation of a request's life, and the search's 5 % bracket).
 */
class CapacityRunTest extends EmulatorRuns {
  private static final double BASE_US = 1000;
  private static final double PER_SEQ_US = 1000;
  private static final double TPOT_MS = 8.5;
  private static final int OUTPUT_TOKENS = 64;

  /** The streams at which TPOT reaches the objective, from the timing model: 7.5. */
  private static final double STREAMS_AT_OBJECTIVE = (TPOT_MS * 1000 - BASE_US) / PER_SEQ_US;

  private static Map<String, String> load(String... more) {
    Map<String, String> props = new HashMap<>(Map.of(
        "profile", "random-256-256",
        "random.input.len", "32",
        "random.output.len", Integer.toString(OUTPUT_TOKENS),
        "random.range.ratio", "1.0",
        "emulator.decode.step.base.us", Double.toString(BASE_US),
        "emulator.decode.step.per.seq.us", Double.toString(PER_SEQ_US),
        "emulator.prefill.tps", "10000000",
        "slo", "tpot:" + TPOT_MS,
        "slo.percentile", "50",
        "baseline.compare", "false"));
    props.put("quiet", "true");
    return with(props, more);
  }

  @Test
  void aConcurrencySearchFindsTheStreamsTheTimingModelAllows() throws IOException {
    GatlingRun.Outcome o = GatlingRun.run(CapacitySimulation.class,
        load("search", "concurrency", "search.start", "2", "num.prompts", "24"), results.resolve("concurrency"));
    assertEquals(0, o.exitCode());
    JsonNode r = new ObjectMapper().readTree(resultFolder("concurrency").resolve(SearchResult.JSON_FILE).toFile());
    int expected = (int) Math.floor(STREAMS_AT_OBJECTIVE);
    assertEquals("converged", r.get("stop").asText(), r.toString());
    double answer = r.get("answer").asDouble();
    assertTrue(Math.abs(answer - expected) <= 1, "searched " + answer + " streams, the model allows " + expected);
    assertEquals(answer + 1, r.get("failedAt").asDouble(), "the bracket is one stream wide");
    assertTrue(r.get("steps").size() >= 3, "bracketing then bisection");
    assertTrue(Files.exists(resultFolder("concurrency").resolve(CapacityFormats.CSV_FILE)));
    assertEquals(r.get("steps").size() + 1, Files.readAllLines(resultFolder("concurrency")
        .resolve(CapacityFormats.CSV_FILE)).size(), "a header and a row per step");
    // Each step a concurrency group: the curve is drawn per concurrency.
    assertTrue(Files.exists(resultFolder("concurrency").resolve("latency-throughput.png")));
    assertTrue(Files.readString(resultFolder("concurrency").resolve("index.html")).contains(">Concurrency</th>"));
    assertTrue(r.get("headline").asText().startsWith("concurrency=" + (long) answer + " streams met the objectives"),
        r.get("headline").asText());
    inTheResult(resultFolder("concurrency"), r);
  }

  /** The search is part of the result: summary.json's capacity object and the page's section agree with its file. */
  private static void inTheResult(Path folder, JsonNode r) throws IOException {
    JsonNode capacity = new ObjectMapper().readTree(folder.resolve("summary.json").toFile()).get("capacity");
    assertNotNull(capacity, "summary.json has the search");
    assertEquals(r.get("answer").asDouble(), capacity.get("answer").asDouble());
    assertEquals(r.get("headline").asText(), capacity.get("headline").asText());
    assertEquals(r.get("steps").size(), capacity.get("steps").size());
    String page = Files.readString(folder.resolve("index.html"));
    assertTrue(page.contains("<h2>Capacity search</h2>"), "the page's section");
    assertTrue(page.contains("<strong>" + r.get("headline").asText().replace("'", "&#39;") + "</strong>"),
        "the headline in bold");
    int passed = 0;
    for (JsonNode step : r.get("steps")) {
      passed += step.get("passed").asBoolean() ? 1 : 0;
    }
    int at = 0;
    int rows = 0;
    while ((at = page.indexOf("<tr class=\"passed\">", at) + 1) > 0) {
      rows++;
    }
    assertEquals(passed, rows, "the passed steps' rows marked");
  }

  @Test
  void aRateSearchFindsTheRateTheTimingModelAllows() throws IOException {
    GatlingRun.Outcome o = GatlingRun.run(CapacitySimulation.class,
        load("search", "rate", "search.start", "8", "num.prompts", "40", "burstiness", "1000"), results.resolve("rate"));
    assertEquals(0, o.exitCode());
    Path folder = resultFolder("rate");
    JsonNode r = new ObjectMapper().readTree(folder.resolve(SearchResult.JSON_FILE).toFile());
    double capacity = STREAMS_AT_OBJECTIVE / (OUTPUT_TOKENS * TPOT_MS / 1000);
    assertEquals("converged", r.get("stop").asText(), r.toString());
    double answer = r.get("answer").asDouble();
    assertTrue(Math.abs(answer / capacity - 1) <= 0.15,
        "searched " + answer + " req/s, the timing model's capacity is " + capacity);
    assertNotNull(r.get("failedAt"));
    assertTrue(r.get("failedAt").asDouble() > answer);
    // Each step is a rate group of the result: its curve is drawn, and its over-saturation judged.
    assertTrue(Files.exists(folder.resolve("latency-throughput.png")), "the steps' latency-throughput curve");
    String summary = Files.readString(folder.resolve("summary.json"));
    assertTrue(summary.contains("@rate=" + r.get("steps").get(0).get("rate").asText().replace(".0", "")), summary);
    inTheResult(folder, r);
  }
}
