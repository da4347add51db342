package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.Props;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Scoring;
import dev.llmbench.llm.run.ScoreConfig;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The {@code /v1/score} scoring runbook: {@code -Dprofile=smoke|standard|full} (cells and runs in
 * score-profiles.json), {@code -Dbatch.sizes=1,8,32,64}, {@code -Dnum.labels=2,4}, {@code -Dnum.runs},
 * {@code -Dwarmup.runs}, {@code -Dquiet=true}; {@code -Dbackend=vllm|rerank|embeddings} for vLLM's
 * score, rerank and embedding APIs. The runbook's table (IPS, p50/p95/p99, status against the baseline)
 * ends the run.
 */
public class ScoreSimulation extends LlmSimulation {
  // The runbook's flags, validated once; the run's server and model as for every simulation
  private final ScoreConfig score = explained(() -> ScoreConfig.from(Props.system()));
  private final LlmProtocolBuilder llm = llm(score.runProps(Props.system()));

  // For each batch size and label count: warm-up runs, then the measured runs, one request at a time
  private final PopulationBuilder sweep = Scoring.sweep(llm.scoring(score), llm.pooling("score").api(score.api()));

  {
    setUp(sweep)
        .protocols(llm)
        .maxDuration(Duration.ofHours(6));
  }
}
