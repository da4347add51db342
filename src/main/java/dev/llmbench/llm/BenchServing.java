package dev.llmbench.llm;

import dev.llmbench.workload.Arrivals;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.List;

/**
 * bench_serving's load shapes as Gatling populations, beside Gatling's own injection profiles
 * ({@code rampUsersPerSec}, {@code constantConcurrentUsers}, ...): a fixed set of N requests with at
 * most C in flight ({@code --max-concurrency}), sent as Poisson or gamma arrivals at a rate
 * ({@code --request-rate}, {@code --burstiness}), a list of rates one after another. Gatling's
 * profiles inject users for a duration; these send each request once, as bench_serving does, so a
 * result compares with bench_serving's request for request. Each population is a {@link Phase}: C
 * virtual users that take the next request, wait for its arrival, stream it and go on.
 */
public final class BenchServing {
  private BenchServing() {}

  /**
   * Every phase of {@code plan}, each starting once the one before is done: per request rate its
   * warm-up then its measured requests ({@link LlmProtocolBuilder#serving()}), or the matrix's runs.
   */
  public static PopulationBuilder steps(Workloads.Plan plan, StreamActionBuilder stream) {
    PopulationBuilder chain = null;
    for (int i = plan.phases().size() - 1; i >= 0; i--) {
      PopulationBuilder p = plan.phases().get(i).population(stream);
      chain = chain == null ? p : p.andThen(chain);
    }
    return chain;
  }

  /**
   * {@code --max-concurrency c --request-rate inf}: every request due at once, at most {@code c} in
   * flight, the next sent as soon as a stream ends.
   */
  public static PopulationBuilder maxConcurrency(String name, List<Ticket> requests, int c, StreamActionBuilder stream) {
    return new Phase(name, requests, c).population(stream);
  }

  /**
   * {@code --request-rate rate --burstiness burstiness [--max-concurrency c]}: the requests arrive
   * as a Poisson process ({@code burstiness} 1) or with gamma gaps, seeded; with {@code maxConcurrency}
   * (null for none) a request that arrives while every stream is busy waits for one.
   */
  public static PopulationBuilder requestRate(String name, List<Ticket> requests, double rate, double burstiness,
      long seed, Integer maxConcurrency, StreamActionBuilder stream) {
    List<Ticket> scheduled = Arrivals.schedule(requests, rate, burstiness, seed, Arrivals.Schedule.BENCH_SERVING);
    return new Phase(name, scheduled, maxConcurrency == null ? scheduled.size() : maxConcurrency).population(stream);
  }
}
