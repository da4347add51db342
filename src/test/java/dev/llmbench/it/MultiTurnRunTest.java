package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.llm.Sessions;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import simulations.MultiTurnSimulation;

/**
 * Multi-turn sessions on the embedded emulator, checked against its ground truth: every request carries its
 * session's {@code X-Session-ID}, each session sends its turns in order, and each turn's prompt (as the server
 * counted it) is longer than the turn before it and that turn's answer together: the history is resent, the
 * server's answers included. Each turn number is its own group in the results.
 */
class MultiTurnRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachTurnResendsTheGrowingHistoryWithItsSessionHeader() throws IOException {
    int sessions = 3;
    int turns = 4;
    Map<String, String> props = new HashMap<>(Map.of(
        "session.count", Integer.toString(sessions),
        "session.turns", Integer.toString(turns),
        "session.user.len", "20",
        "session.output.len", "12",
        "session.system.len", "8",
        "session.think.ms", "5",
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"));
    GatlingRun.Outcome o = GatlingRun.run(MultiTurnSimulation.class, props, results.resolve("multi-turn"));
    assertEquals(0, o.exitCode());
    List<RequestResult> rows = o.measured();
    assertEquals(sessions * turns, rows.size());
    assertTrue(rows.stream().allMatch(RequestResult::ok), rows.toString());

    List<RequestTrace> truth = o.target().emulator().groundTruth().all();
    assertEquals(sessions * turns, truth.size());
    assertTrue(truth.stream().allMatch(t -> t.sessionId() != null), "every request carries X-Session-ID: " + truth);
    Map<String, List<RequestTrace>> bySession = truth.stream().collect(Collectors.groupingBy(RequestTrace::sessionId,
        TreeMap::new, Collectors.toList()));
    assertEquals(sessions, bySession.size(), bySession.keySet().toString());
    for (Map.Entry<String, List<RequestTrace>> e : bySession.entrySet()) {
      List<RequestTrace> session = e.getValue().stream().sorted(Comparator.comparingLong(RequestTrace::arrivalNanos))
          .toList();
      assertEquals(turns, session.size(), e.getKey());
      for (int k = 1; k < session.size(); k++) {
        RequestTrace before = session.get(k - 1);
        RequestTrace now = session.get(k);
        assertTrue(now.arrivalNanos() - before.finishNanos() >= 0, "turn " + (k + 1) + " of " + e.getKey()
            + " after the answer to turn " + k);
        assertTrue(now.promptTokens() > before.promptTokens() + before.completionTokens(), "turn " + (k + 1) + " of "
            + e.getKey() + ": prompt " + now.promptTokens() + ", turn " + k + "'s prompt " + before.promptTokens()
            + " and answer " + before.completionTokens());
      }
    }

    // Each request is in its turn's group, and each turn number is a group of the result (TTFT, E2E per turn).
    for (int k = 1; k <= turns; k++) {
      String group = Sessions.group(k);
      assertEquals(sessions, rows.stream().filter(r -> r.group().equals(group)).count(), group);
    }
    JsonNode summary = JSON.readTree(resultFolder("multi-turn").resolve("summary.json").toFile());
    for (int k = 1; k <= turns; k++) {
      JsonNode g = group(summary, Sessions.group(k));
      assertNotNull(g, "summary.json has " + Sessions.group(k) + ": " + summary.get("groups"));
      assertEquals(sessions, g.get("completed").asInt(), g.toString());
      assertTrue(g.has("median_ttft_ms") && g.has("median_e2e_latency_ms"), g.toString());
    }
    JsonNode run = JSON.readTree(o.runFolder().resolve("llm-run.json").toFile());
    assertTrue(run.path("sessions").asText().contains("turns=" + turns), run.toString());
  }

  private static JsonNode group(JsonNode summary, String name) {
    for (JsonNode g : summary.get("groups")) {
      if (name.equals(g.path("group").asText(g.path("name").asText()))) {
        return g;
      }
    }
    return null;
  }
}
