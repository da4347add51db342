package dev.llmbench.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.Props;
import dev.llmbench.llm.run.RunCheck;
import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.requests.RequestResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring run's own check: a cell whose every request failed measured nothing, and fails the run. */
class ScoringTest {
  @TempDir
  Path run;

  private static RequestResult row(String group, boolean ok, int status, String error) {
    return new RequestResult("r", group, false, ok, error, status, 0, 0, 96, 96, 0, 0, "planned", -1, 1_000,
        Double.NaN, new long[0], null, 0, 0, 1, null, null);
  }

  private RunCheck.Result judge(RequestResult... rows) throws Exception {
    return Scoring.everyCellAnswered(ScoreConfig.from(Props.of(Map.of()))).judge(run, run, List.of(rows));
  }

  @Test
  void aServerWithoutTheApiIsToldWhichBackendsThereAre() throws Exception {
    RunCheck.Result r = judge(row("batch=1 labels=2", false, 404, "HTTP 404: File Not Found"),
        row("batch=1 labels=2", false, 404, "HTTP 404: File Not Found"));
    assertTrue(r.failed());
    assertEquals(1, r.lines().size());
    assertTrue(r.lines().get(0).startsWith("llm-serving-bench: ERROR cell batch=1 labels=2: every request failed (2), "
        + "most often: HTTP 404: File Not Found; the server has no /v1/score: give -Dbackend=sglang"), r.lines().get(0));
  }

  @Test
  void aCellWithOneAnswerMeasuredSomething() throws Exception {
    RunCheck.Result r = judge(row("batch=200 labels=2", false, 500, "HTTP 500: RESOURCE_EXHAUSTED"),
        row("batch=200 labels=2", true, 200, null));
    assertFalse(r.failed(), r.lines().toString());
    assertTrue(r.lines().isEmpty());
  }
}
