package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.BenchConfig;
import dev.llmbench.llm.Llm;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Phase;
import dev.llmbench.llm.Target;
import dev.llmbench.llm.Workloads;
import dev.llmbench.llm.stream.StreamActionBuilder;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * A bench_serving serving profile: {@code -Dprofile=random-1024-1024} (default), {@code random-256-256},
 * {@code random-4096-1024}, or {@code -Dprompt.file=prompts.jsonl}; {@code -Dsize=smoke|full}.
 * Closed model with {@code -Dmax.concurrency}, open model with {@code -Drequest.rate} (Poisson, seeded;
 * a list runs one step after another), both together as in bench_serving.
 */
public class ServingSimulation extends LlmSimulation {

  // Load parameters, mirroring bench_serving's flags (README: "Properties")
  private static final BenchConfig CONFIG = BenchConfig.get();

  // The server: -Dtarget.url, or the embedded emulator; waits until it is healthy
  private static final Target TARGET = Target.ready(CONFIG);

  // Warm-up then measured requests, for each request rate
  private static final Workloads.Plan PLAN = Workloads.serving(CONFIG);

  // One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private static final StreamActionBuilder STREAM = Llm.stream(CONFIG);

  // At most 1% of the streams may fail (the rows of failed streams are E2E KOs)
  private static final Assertion FEW_FAILURES = forAll().failedRequests().percent().lte(1.0);

  {
    announce(CONFIG.promptFile() != null ? PLAN.phases().get(PLAN.phases().size() - 1).name() : CONFIG.profile(),
        CONFIG, TARGET, PLAN);
    setUp(Phase.inSequence(PLAN.phases(), STREAM))
        .assertions(FEW_FAILURES)
        .maxDuration(Duration.ofHours(12));
  }
}
