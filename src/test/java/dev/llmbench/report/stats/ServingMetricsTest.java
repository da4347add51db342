package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.requests.RequestResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The group metrics on a hand-made group whose expected values are worked out in the comments. */
class ServingMetricsTest {
  private static final double EPS = 1e-9;
  private static final long S = 1_000_000_000L; // one second in nanoseconds

  static RequestResult row(String id, String group, boolean warmup, boolean ok, String error, long sentNanos,
      int prompt, int promptPlanned, int output, long ttftMicros, long e2eMicros, long[] itl, int[] chunkTokens) {
    double tpot = output > 1 && ttftMicros >= 0 ? (double) (e2eMicros - ttftMicros) / (output - 1) : Double.NaN;
    return new RequestResult(id, group, warmup, ok, error, ok ? 200 : 500, sentNanos == 0 ? 0 : 1_700_000_000_000_000L
        + sentNanos / 1_000, sentNanos, prompt, promptPlanned, 64, output, "usage", ttftMicros, e2eMicros, tpot, itl,
        chunkTokens);
  }

  /**
   * Group "g", sends at 1.0, 1.2, 1.5, 1.6 and 1.1 s:
   * r1 ok   prompt 10 (planned 12), 4 tokens in 4 chunks, TTFT 100 ms, E2E 400 ms, ITL 100 50 150, TPOT 300/3 = 100
   * r2 ok   prompt 20, 5 tokens in chunks of 1, 3, 1, TTFT 200, E2E 600, ITL 300 100, TPOT 400/4 = 100
   * r3 ok   prompt 30, 1 token, TTFT 50, E2E 50 (no TPOT, no ITL)
   * r4 fail "HTTP 500", sent 1.6 s, E2E 900 ms: ends at 2.5 s, the group's last end
   * r5 fail "connection refused", never sent (does not bound the duration)
   * r6 fail "HTTP 500", sent 1.1 s, E2E 10 ms
   * w0 a warm-up at 0 s lasting 5 s, left out of everything
   */
  static List<RequestResult> group() {
    return List.of(
        row("w0", "g", true, true, null, S / 10, 999, 999, 999, 1_000, 5_000_000, new long[] {1}, null),
        row("r1", "g", false, true, null, S, 10, 12, 4, 100_000, 400_000, new long[] {100_000, 50_000, 150_000},
            null),
        row("r2", "g", false, true, null, 12 * S / 10, 20, 20, 5, 200_000, 600_000, new long[] {300_000, 100_000},
            new int[] {1, 3, 1}),
        row("r3", "g", false, true, null, 15 * S / 10, 30, 30, 1, 50_000, 50_000, new long[0], null),
        row("r4", "g", false, false, "HTTP 500", 16 * S / 10, 40, 40, 0, -1, 900_000, new long[0], null),
        row("r5", "g", false, false, "connection refused", 0, 50, 50, 0, -1, 123_456_789, new long[0], null),
        row("r6", "g", false, false, "HTTP 500", 11 * S / 10, 60, 60, 0, -1, 10_000, new long[0], null));
  }

  @Test
  void clientQueueTimeAndE2eIncludingItOverCompletedRequestsThatHaveOne() {
    // r1 queued 250 ms (E2E 400), r2 0 ms (E2E 600), r3 unknown, r4 failed after queueing 1 s: left out.
    List<RequestResult> rows = group().stream().map(r -> switch (r.requestId()) {
      case "r1" -> r.withQueueMicros(250_000);
      case "r2" -> r.withQueueMicros(0);
      case "r4", "w0" -> r.withQueueMicros(1_000_000);
      default -> r;
    }).toList();
    GroupMetrics scheduled = ServingMetrics.of("g", rows, null, true);
    Distribution queue = scheduled.clientQueueTimeMs();
    assertEquals(2, queue.count());
    assertEquals(125, queue.mean(), EPS);
    assertEquals(250, queue.max(), EPS);
    Distribution withQueue = scheduled.e2elIncludingClientQueueMs();
    assertEquals(2, withQueue.count());
    assertEquals((400 + 250 + 600 + 0) / 2.0, withQueue.mean(), EPS, "E2E + queue, request by request");
    assertEquals(650, withQueue.max(), EPS);
    // Arrivals all at once (request.rate=inf): the queue time, not E2E from an arrival that is the start.
    GroupMetrics allAtOnce = ServingMetrics.of("g", rows, null, false);
    assertEquals(queue, allAtOnce.clientQueueTimeMs());
    assertNull(allAtOnce.e2elIncludingClientQueueMs());
    // No row with a queue time (no schedule, no concurrency limit): neither.
    GroupMetrics none = ServingMetrics.of("g", group(), null, true);
    assertNull(none.clientQueueTimeMs());
    assertNull(none.e2elIncludingClientQueueMs());
  }

  @Test
  void e2eIncludingClientQueueOnlyForAFiniteRecordedRate() {
    List<RequestResult> rows = group().stream().map(r -> r.withQueueMicros(1_000)).toList();
    RunSummary finite = ServingMetrics.summarize(metadata(Map.of("requestRates", "[\"4.0\"]")), rows);
    RunSummary infinite = ServingMetrics.summarize(metadata(Map.of("requestRates", "[\"inf\"]")), rows);
    assertEquals(3, finite.groups().get(0).e2elIncludingClientQueueMs().count());
    assertEquals(3, infinite.groups().get(0).clientQueueTimeMs().count());
    assertNull(infinite.groups().get(0).e2elIncludingClientQueueMs());
  }

  private static RunMetadata metadata(Map<String, String> parameters) {
    return RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
        "http://127.0.0.1:8000", "", parameters);
  }

  @Test
  void countsTokensAndDuration() {
    GroupMetrics m = ServingMetrics.of("g", group());
    assertEquals("g", m.group());
    assertEquals(3, m.completed());
    assertEquals(3, m.failed());
    assertEquals(60, m.totalInputTokens()); // 10 + 20 + 30, completed only
    assertEquals(62, m.totalInputTokensPlanned()); // 12 + 20 + 30
    assertEquals(10, m.totalOutputTokens()); // 4 + 5 + 1
    assertEquals(1.5, m.durationSeconds(), EPS); // first send 1.0 s, last end 1.6 + 0.9 = 2.5 s
  }

  @Test
  void throughputsAreAmountsOverTheDuration() {
    GroupMetrics m = ServingMetrics.of("g", group());
    assertEquals(3 / 1.5, m.requestThroughput(), EPS);
    assertEquals(60 / 1.5, m.inputThroughput(), EPS);
    assertEquals(10 / 1.5, m.outputThroughput(), EPS);
    assertEquals(70 / 1.5, m.totalThroughput(), EPS);
  }

  @Test
  void concurrencyIsTheSumOfE2eOverTheDuration() {
    // (0.4 + 0.6 + 0.05) s / 1.5 s
    assertEquals(1.05 / 1.5, ServingMetrics.of("g", group()).concurrency(), EPS);
  }

  @Test
  void ttftOfCompletedRequests() {
    // 100 200 50: mean 350/3; median 100; squared deviations 2500/9 + 62500/9 + 40000/9 = 105000/9, /3, sqrt;
    // sorted 50 100 200, index 2p/100: p90 -> 1.8 -> 180, p95 -> 190, p99 -> 198
    assertDistribution(ServingMetrics.of("g", group()).ttftMs(), 3, 350.0 / 3, 100, Math.sqrt(105000.0 / 27), 180,
        190, 198, 200);
  }

  @Test
  void tpotOnlyOfRequestsWithMoreThanOneToken() {
    assertDistribution(ServingMetrics.of("g", group()).tpotMs(), 2, 100, 100, 0, 100, 100, 100, 100);
  }

  @Test
  void itlIsOneGapPerChunk() {
    // 100 50 150 300 100: mean 140; sorted 50 100 100 150 300; index 4p/100: p90 3.6 -> 150 + 150 * 0.6 = 240,
    // p95 3.8 -> 270, p99 3.96 -> 294; squared deviations 1600 8100 100 25600 1600 = 37000, / 5 = 7400
    assertDistribution(ServingMetrics.of("g", group()).itlMs(), 5, 140, 100, Math.sqrt(7400), 240, 270, 294, 300);
  }

  @Test
  void e2eOfCompletedRequests() {
    // 400 600 50: mean 350, median 400, p90 index 1.8 -> 400 + 200 * 0.8 = 560, p95 580, p99 596;
    // squared deviations 2500 62500 90000 = 155000, / 3
    assertDistribution(ServingMetrics.of("g", group()).e2eMs(), 3, 350, 400, Math.sqrt(155000.0 / 3), 560, 580, 596,
        600);
  }

  @Test
  void itlPerTokenSpreadsAChunksGapOverItsTokens() {
    // r1: 100 50 150; r2: 300 ms over 3 tokens -> 100 100 100, then 100 over 1: mean 700/7 = 100;
    // sorted 50 100 100 100 100 100 150, index 6p/100: p90 5.4 -> 100 + 50 * 0.4 = 120, p95 135, p99 147;
    // squared deviations 2500 + 2500 = 5000, / 7
    assertDistribution(ServingMetrics.of("g", group()).itlPerTokenMs(), 7, 100, 100, Math.sqrt(5000.0 / 7), 120,
        135, 147, 150);
  }

  @Test
  void itlPerTokenIsTheSameWhateverOrderTheOneTokenAndMergedChunksCameIn() {
    // ITL per token shares ITL's values while every request so far had one token per chunk, and is made
    // from those requests when the first with a list of tokens per chunk (r2) or of unknown ones (u) comes.
    List<RequestResult> rows = new java.util.ArrayList<>(group());
    rows.add(row("u", "g", false, true, null, 13 * S / 10, 5, 5, 7, 100_000, 500_000, new long[] {250_000, 150_000},
        null));
    GroupMetrics inOrder = ServingMetrics.of("g", rows);
    for (int shift = 1; shift < rows.size(); shift++) {
      List<RequestResult> rotated = new java.util.ArrayList<>(rows);
      java.util.Collections.rotate(rotated, shift);
      GroupMetrics m = ServingMetrics.of("g", rotated);
      assertEquals(inOrder.itlPerTokenMs(), m.itlPerTokenMs(), "rotated by " + shift);
      assertEquals(inOrder.tokensPerChunk(), m.tokensPerChunk(), "rotated by " + shift);
      assertEquals(inOrder.itlMs(), m.itlMs(), "rotated by " + shift);
    }
  }

  @Test
  void withOneTokenPerChunkItlPerTokenIsItl() {
    // r1 alone: 4 tokens in 4 chunks, no list: each gap is one token's.
    List<RequestResult> rows = group().stream().filter(r -> r.requestId().equals("r1")).toList();
    GroupMetrics m = ServingMetrics.of("g", rows);
    assertEquals(3, m.itlPerTokenMs().count());
    assertEquals(m.itlMs(), m.itlPerTokenMs());
  }

  @Test
  void tokensPerChunkOfCompletedRequests() {
    // r1: 1 1 1 1, r2: 1 3 1, r3: 1 -> 8 chunks, 10 tokens; mean 1.25; sorted index 7p/100: p90 6.3 -> 1 + 2 * 0.3
    // = 1.6, p95 6.65 -> 2.3, p99 6.93 -> 2.86; squared deviations 7 * 0.0625 + 3.0625 = 3.5, / 8
    assertDistribution(ServingMetrics.of("g", group()).tokensPerChunk(), 8, 1.25, 1, Math.sqrt(3.5 / 8), 1.6, 2.3,
        2.86, 3);
  }

  @Test
  void mergedChunksWithoutTokenCountsAreLeftOutOfThePerTokenViewOnly() {
    // u: usage says 7 tokens in 3 chunks, and no list of which chunk carried how many.
    List<RequestResult> rows = new java.util.ArrayList<>(group());
    rows.add(row("u", "g", false, true, null, 13 * S / 10, 5, 5, 7, 100_000, 500_000, new long[] {250_000, 150_000},
        null));
    GroupMetrics m = ServingMetrics.of("g", rows);
    GroupMetrics without = ServingMetrics.of("g", group());
    assertEquals(1, m.chunkTokensUnknown());
    assertEquals(0, without.chunkTokensUnknown());
    assertEquals(without.itlPerTokenMs(), m.itlPerTokenMs(), "u's gaps are not taken as one token each");
    assertEquals(without.tokensPerChunk(), m.tokensPerChunk());
    assertEquals(without.itlMs().count() + 2, m.itlMs().count(), "the per-chunk view keeps every gap");
    assertEquals(without.completed() + 1, m.completed());
  }

  @Test
  void errorsByMessageMostFrequentFirst() {
    GroupMetrics m = ServingMetrics.of("g", group());
    assertEquals(List.of(new ErrorCount("HTTP 500", 2), new ErrorCount("connection refused", 1)), m.errors());
    assertEquals(0.5, m.errorRate(), EPS); // 3 failed of 6 measured
  }

  @Test
  void aFailureWithoutMessageIsCountedUnderNoMessage() {
    GroupMetrics m = ServingMetrics.of("g", List.of(
        row("a", "g", false, false, null, S, 1, 1, 0, -1, 5, new long[0], null),
        row("b", "g", false, false, " ", S, 1, 1, 0, -1, 5, new long[0], null)));
    assertEquals(List.of(new ErrorCount(ServingMetrics.NO_MESSAGE, 2)), m.errors());
    assertEquals(1.0, m.errorRate(), 0.0);
  }

  @Test
  void anEmptyGroupIsAllZeros() {
    GroupMetrics m = ServingMetrics.of("g", List.of(group().get(0))); // only a warm-up
    assertEquals(0, m.completed() + m.failed());
    assertEquals(0.0, m.durationSeconds(), 0.0);
    assertEquals(0.0, m.requestThroughput(), 0.0);
    assertEquals(0.0, m.concurrency(), 0.0);
    assertEquals(0.0, m.errorRate(), 0.0);
    assertEquals(Distribution.EMPTY, m.ttftMs());
    assertEquals(Distribution.EMPTY, m.itlMs());
  }

  @Test
  void aRowOfAnotherGroupIsRejected() {
    List<RequestResult> rows = List.of(row("x", "other", false, true, null, S, 1, 1, 2, 1, 2, new long[] {1}, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServingMetrics.of("g", rows));
    assertEquals("request x is in group 'other', not in 'g'", e.getMessage());
  }

  @Test
  void chunkTokensMustHaveOneEntryPerChunk() {
    List<RequestResult> rows = List.of(row("x", "g", false, true, null, S, 1, 1, 2, 1, 2, new long[] {1},
        new int[] {1, 1, 1}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServingMetrics.of("g", rows));
    assertEquals("request x: chunkTokens has 3 entries, expected one per content chunk (2)", e.getMessage());
  }

  @Test
  void summarizeKeepsTheGroupsInRunOrderAndEveryRequest() {
    List<RequestResult> rows = new java.util.ArrayList<>(group());
    rows.add(row("r10", "a", false, true, null, S, 1, 1, 2, 1_000, 3_000, new long[] {2_000}, null));
    RunSummary s = ServingMetrics.summarize(RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm",
        "vllm-chat", "m", "http://127.0.0.1:8000", "", Map.of()), rows);
    assertEquals(List.of("g", "a"), s.groups().stream().map(GroupMetrics::group).toList(), "as first measured");
    assertEquals(List.of("r1", "r2", "r3", "r4", "r5", "r6", "r10", "w0"),
        s.requests().stream().map(r -> r.requestId()).toList());
    assertEquals(1, s.groups().get(1).completed());
  }

  private static void assertDistribution(Distribution d, long count, double mean, double median, double std,
      double p90, double p95, double p99, double max) {
    assertEquals(count, d.count(), "count");
    assertEquals(mean, d.mean(), EPS, "mean");
    assertEquals(median, d.median(), EPS, "median");
    assertEquals(std, d.std(), EPS, "std");
    assertEquals(p90, d.p90(), EPS, "p90");
    assertEquals(p95, d.p95(), EPS, "p95");
    assertEquals(p99, d.p99(), EPS, "p99");
    assertEquals(max, d.max(), EPS, "max");
  }
}
