package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.run.RunBreaker;
import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.llm.stream.Keys;
import dev.llmbench.workload.PoolingRequest;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A step of pooling requests, served in order by {@code workers} virtual users that each take the next
 * request, send it, and go on until none is left: the scoring runbook's runs of one cell, one at a
 * time with one worker. As {@link Phase} does for streams, a tripped circuit breaker ({@link RunBreaker})
 * stops the hand-out and counts the rest as not sent.
 */
public final class PoolingPhase {
  private final String name;
  private final ConcurrentLinkedQueue<PoolingRequest> requests;
  private final int workers;
  private final boolean measured;

  public PoolingPhase(String name, List<PoolingRequest> requests, int workers) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("phase " + name + " has no request");
    }
    this.name = name;
    this.requests = new ConcurrentLinkedQueue<>(requests);
    this.workers = Math.max(1, Math.min(workers, requests.size()));
    this.measured = requests.stream().anyMatch(r -> !r.ticket().warmup());
  }

  /** The virtual users of this phase, all started at once, each request sent with {@code pooling}. */
  public PopulationBuilder population(PoolingActionBuilder pooling) {
    RunMonitor run = pooling.run().monitor();
    ChainBuilder take = exec(session -> take(session, run));
    ChainBuilder send = group(s -> ((PoolingRequest) s.get(Keys.POOLING)).ticket().group()).on(exec(pooling));
    return scenario(name)
        .exec(take.asLongAs(s -> s.contains(Keys.POOLING)).on(send, take))
        .injectOpen(atOnceUsers(workers));
  }

  private Session take(Session session, RunMonitor run) {
    RunBreaker breaker = run.breaker();
    if (breaker.open()) {
      for (PoolingRequest left; (left = requests.poll()) != null; ) {
        breaker.notSent(left.ticket());
      }
    }
    PoolingRequest r = requests.poll();
    if (r == null) {
      return session.remove(Keys.POOLING);
    }
    if (measured) {
      run.monitor().restart(); // the judged window starts with the measured load
    }
    return session.set(Keys.POOLING, r);
  }
}
