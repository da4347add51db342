package dev.llmbench.llm.stream;

import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.requests.RequestLogWriter;
import java.util.function.Supplier;

/**
 * What the streaming actions of one run share: the loops that carry their streams, the side file
 * their requests go to, the run's monitor (breaker, progress line, self-monitor) and its request ids.
 */
public record StreamRun(StreamLoops loops, RequestLogWriter requests, RunMonitor monitor, Supplier<String> requestIds) {}
