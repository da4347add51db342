package dev.llmbench.llm;

import dev.llmbench.llm.run.RunCheck;
import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.workload.PoolingRequest;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The scoring runbook's sweep as Gatling populations: for each cell (batch size × label count) its
 * warm-up runs, then its measured runs, {@code max.concurrency} at a time (one by default, as the
 * runbook's script sends them), each cell a Gatling group, one after another.
 */
public final class Scoring {
  private Scoring() {}

  /** One cell of the sweep: its group name, warm-up requests and measured requests. */
  public record Cell(String name, int batchSize, int labels, List<PoolingRequest> warmups,
      List<PoolingRequest> measured) {}

  /** The sweep's cells, in order, and how many requests of a cell are in flight at once. */
  public record Plan(ScoreConfig config, List<Cell> cells) {}

  /**
   * The run fails when a cell measured nothing: every one of its requests failed (a server without the
   * API answers 404, one out of memory 500 to every batch of that size). One line per such cell, with
   * its most frequent error and, for a 404, the APIs {@code -Dbackend} can choose instead.
   */
  static RunCheck everyCellAnswered(ScoreConfig config) {
    return (runFolder, resultFolder, rows) -> {
      Map<String, List<RequestResult>> cells = new LinkedHashMap<>();
      for (RequestResult r : rows) {
        if (!r.warmup()) {
          cells.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
        }
      }
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, List<RequestResult>> cell : cells.entrySet()) {
        List<RequestResult> rs = cell.getValue();
        if (rs.stream().anyMatch(RequestResult::ok)) {
          continue;
        }
        Map<String, Long> errors = rs.stream().collect(Collectors.groupingBy(
            r -> r.error() == null ? "HTTP " + r.httpStatus() : r.error(), Collectors.counting()));
        String top = errors.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        boolean missing = rs.stream().allMatch(r -> r.httpStatus() == 404);
        lines.add("llm-serving-bench: ERROR cell " + cell.getKey() + ": every request failed (" + rs.size()
            + "), most often: " + top + (missing ? "; the server has no " + config.api().path() + ": give -Dbackend="
            + "sglang (SGLang's /v1/score), vllm (vLLM's /v1/score), rerank (/v1/rerank) or embeddings "
            + "(/v1/embeddings) for the API it serves" : ""));
      }
      return new RunCheck.Result(lines, !lines.isEmpty(), lines.size() + " cell(s) measured nothing: every request "
          + "failed");
    };
  }

  /** Every cell of {@code plan}, each phase starting once the one before is done. */
  public static PopulationBuilder sweep(Plan plan, PoolingActionBuilder pooling) {
    List<PoolingPhase> phases = new ArrayList<>();
    int workers = plan.config().maxConcurrency();
    for (Cell cell : plan.cells()) {
      if (!cell.warmups().isEmpty()) {
        phases.add(new PoolingPhase(cell.name() + " warm-up", cell.warmups(), workers));
      }
      phases.add(new PoolingPhase(cell.name(), cell.measured(), workers));
    }
    PopulationBuilder chain = null;
    for (int i = phases.size() - 1; i >= 0; i--) {
      PopulationBuilder p = phases.get(i).population(pooling);
      chain = chain == null ? p : p.andThen(chain);
    }
    return chain;
  }
}
