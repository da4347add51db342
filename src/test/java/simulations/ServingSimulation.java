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
 * A bench_serving serving profile: {@code -Dprofile=random-1024-1024} (default), {@code random-256-256},
 * {@code random-4096-1024}, or {@code -Dprompt.file=prompts.jsonl}; {@code -Dsize=smoke|full}.
 * Closed model with {@code -Dmax.concurrency}, open model with {@code -Drequest.rate} (Poisson, seeded;
 * a list runs one step after another), both together as in bench_serving.
 */
public class ServingSimulation extends LlmSimulation {
  // Instance fields, not static: Gatling makes a new simulation per run, and several runs can share
  // one JVM (the tests do), each with its own properties.

  // Load parameters, mirroring bench_serving's flags (README: "Properties")
  private final BenchConfig config = explained(BenchConfig::get);

  // The server: -Dtarget.url, or the embedded emulator; waits until it is healthy
  private final Target target = explained(() -> Target.ready(config));

  // How prompts of N tokens are made N tokens of the served model (-Dtokenizer, the server's /tokenize, ...)
  private final PromptSizer.Sizing sizing = explained(() -> PromptSizer.size(config, target, target.model(config)));

  // Warm-up then measured requests, for each request rate
  private final Workloads.Plan plan = explained(() -> Workloads.serving(config, sizing.prompts()));

  // One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private final StreamActionBuilder stream = Llm.stream(config);

  // At most 1% of the streams may fail (the rows of failed streams are E2E KOs)
  private final Assertion fewFailures = forAll().failedRequests().percent().lte(1.0);

  {
    announce(config.promptFile() != null ? plan.phases().get(plan.phases().size() - 1).name() : config.profile(),
        config, target, plan, sizing);
    setUp(Phase.inSequence(plan.phases(), stream))
        .assertions(fewFailures)
        .maxDuration(Duration.ofHours(12));
  }
}
