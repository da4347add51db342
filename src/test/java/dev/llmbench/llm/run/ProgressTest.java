package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theLineCountsRequestsAndGivesThePeriodsRateAndMedians() {
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), 0);
    for (int i = 0; i < 5; i++) {
      progress.sent();
    }
    progress.ended(true, true, 32, 9_000, 1_000); // warm-up: done, left out of the figures
    progress.ended(true, false, 100, 40_000, 5_000);
    progress.ended(true, false, 100, 60_000, 7_000);
    progress.ended(false, false, 0, -1, Double.NaN);
    // 200 measured tokens over 4 s; TTFT median of 40 and 60 ms as HdrHistogram gives it (the lower).
    assertEquals("llm-serving-bench: 0:04 | 4 done (1 failed), 1 in flight | 50 output tok/s"
        + " | last 5s: TTFT p50 40.0 ms, TPOT p50 5.0 ms", progress.line(4 * SECOND));

    // The next period starts empty: no request ended, so no medians and no tokens.
    assertEquals("llm-serving-bench: 1:09 | 4 done (1 failed), 1 in flight | 0 output tok/s",
        progress.line(69 * SECOND));
  }

  @Test
  void aPoolingRunsLineGivesItemsPerSecondAndLatencyNotTokens() {
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), 0);
    progress.sent();
    progress.sent();
    progress.endedPooling(true, true, 8, 90_000); // warm-up: done, left out of the figures
    progress.endedPooling(true, false, 8, 20_000);
    // 8 items over 2 s; the latency median of one request.
    assertEquals("llm-serving-bench: 0:02 | 2 done, 0 in flight | 4 items/s, latency p50 20.0 ms",
        progress.line(2 * SECOND));
  }
}
