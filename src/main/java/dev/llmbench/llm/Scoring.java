package dev.llmbench.llm;

import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.workload.PoolingRequest;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.ArrayList;
import java.util.List;

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
