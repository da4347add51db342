package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.BenchConfig;
import dev.llmbench.llm.Llm;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Phase;
import dev.llmbench.llm.PromptSizer;
import dev.llmbench.llm.Target;
import dev.llmbench.llm.Workloads;
import dev.llmbench.llm.stream.StreamActionBuilder;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * The ISL/OSL matrix of bench_full.py: core configurations (and extended ones at full size), one
 * stream at a time, for each 2 warm-ups then 3 measured runs at temperature 0. Configurations whose
 * ISL + OSL exceed the server's max model length ({@code -Dmax.model.len}, else read from
 * {@code /v1/models}) are skipped with a note.
 */
public class MatrixSimulation extends LlmSimulation {
  // Instance fields, not static: Gatling makes a new simulation per run, and several runs can share
  // one JVM (the tests do), each with its own properties.

  // Load parameters (README: "Properties"); -Dsize=smoke runs the core set at 1/8 of the lengths
  private final BenchConfig config = explained(BenchConfig::get);

  // The server: -Dtarget.url, or the embedded emulator; waits until it is healthy
  private final Target target = explained(() -> Target.ready(config));

  // How prompts of N tokens are made N tokens of the served model (-Dtokenizer, the server's /tokenize, ...)
  private final PromptSizer.Sizing sizing = explained(() -> PromptSizer.size(config, target, target.model(config)));

  // Every configuration that fits, in order: warm-ups then measured runs
  private final Workloads.Plan plan = explained(() -> Workloads.matrix(config,
      config.maxModelLen() != null ? config.maxModelLen() : target.maxModelLen(), sizing.prompts()));

  // One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private final StreamActionBuilder stream = Llm.stream(config);

  // Every run must succeed
  private final Assertion noFailures = forAll().failedRequests().count().is(0L);

  {
    announce("matrix", config, target, plan, sizing);
    setUp(Phase.inSequence(plan.phases(), stream))
        .assertions(noFailures)
        .maxDuration(Duration.ofHours(24));
  }
}
