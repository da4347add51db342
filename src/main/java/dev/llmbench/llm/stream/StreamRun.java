package dev.llmbench.llm.stream;

import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.requests.RequestLogWriter;
import java.util.function.Supplier;

/**
 * What the streaming actions of one run share: the loops that carry their streams, the side file
 * their requests go to, the run's monitor (breaker, progress line, self-monitor), its request ids, and
 * whether each token gap is also a row of simulation.log ({@code -Dgatling.itl.rows}).
 */
public record StreamRun(StreamLoops loops, RequestLogWriter requests, RunMonitor monitor, Supplier<String> requestIds,
    boolean itlRows) {}
