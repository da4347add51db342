package dev.llmbench.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-request serving metrics on hand-made timestamps. */
class ServingFormulasTest {

  @Test
  void ttftIsSentToFirstContent() {
    assertEquals(250, ServingFormulas.ttft(1_000, 1_250));
    assertEquals(0, ServingFormulas.ttft(7, 7));
  }

  @Test
  void e2eIsSentToLastEvent() {
    assertEquals(9_000, ServingFormulas.e2e(1_000, 10_000));
  }

  @Test
  void clientQueueIsSendMinusScheduledArrivalAtLeastZero() {
    long arrival = 1_000;
    long sent = 4_500;
    long end = 10_000;
    long queue = ServingFormulas.clientQueue(arrival, sent);
    assertEquals(sent - arrival, queue);
    assertEquals(0, ServingFormulas.clientQueue(arrival, arrival), "sent on time: no queue");
    assertEquals(0, ServingFormulas.clientQueue(arrival, arrival - 3), "sent a hair early: no queue, not less");
    // E2E including the queue is the end minus the scheduled arrival.
    assertEquals(end - arrival,
        ServingFormulas.e2eIncludingClientQueue(ServingFormulas.e2e(sent, end), queue));
    // nanoTime stamps may wrap: the difference still holds.
    assertEquals(5, ServingFormulas.clientQueue(Long.MAX_VALUE - 2, Long.MIN_VALUE + 2));
  }

  @Test
  void tpotIsTimeAfterTheFirstTokenPerRemainingToken() {
    // e2e 1000, ttft 100: 900 over 9 further tokens.
    assertEquals(100.0, ServingFormulas.tpot(1_000, 100, 10));
    assertEquals(450.0, ServingFormulas.tpot(1_000, 100, 3));
    assertEquals(900.0, ServingFormulas.tpot(1_000, 100, 2));
    assertEquals(1.0 / 3, ServingFormulas.tpot(11, 10, 4), 1e-12, "fractional result is not truncated");
  }

  @Test
  void tpotIsNaNForAtMostOneToken() {
    assertTrue(Double.isNaN(ServingFormulas.tpot(1_000, 100, 1)));
    assertTrue(Double.isNaN(ServingFormulas.tpot(1_000, 100, 0)));
    assertTrue(Double.isNaN(ServingFormulas.tpot(1_000, 100, -1)));
  }

  @Test
  void itlPerChunkIsOneGapPerEventAfterTheFirst() {
    long[] times = {100, 130, 190, 200, 999};
    assertArrayEquals(new long[] {30, 60, 10}, ServingFormulas.itlPerChunk(times, 4), "only the first n are read");
    assertArrayEquals(new long[0], ServingFormulas.itlPerChunk(times, 1));
    assertArrayEquals(new long[0], ServingFormulas.itlPerChunk(new long[0], 0));
  }

  @Test
  void itlPerTokenSplitsAChunksGapOverItsTokens() {
    long[] times = {100, 130, 190, 200};
    int[] tokens = {5, 1, 3, 2}; // the first chunk's count does not matter: it has no gap
    double[] gaps = ServingFormulas.itlPerToken(times, tokens, 4);
    assertArrayEquals(new double[] {30, 20, 20, 20, 5, 5}, gaps, 0.0);
  }

  @Test
  void itlPerTokenEqualsItlPerChunkWhenEveryChunkHasOneToken() {
    Random random = new Random(7);
    long[] times = new long[50];
    int[] ones = new int[50];
    for (int i = 1; i < times.length; i++) {
      times[i] = times[i - 1] + random.nextInt(10_000);
      ones[i] = 1;
    }
    double[] perToken = ServingFormulas.itlPerToken(times, ones, 50);
    double[] perChunk = Arrays.stream(ServingFormulas.itlPerChunk(times, 50)).asDoubleStream().toArray();
    assertArrayEquals(perChunk, perToken, 0.0);
  }

  @Test
  void itlPerTokenPreservesTotalTimeAfterTheFirstChunk() {
    Random random = new Random(11);
    long[] times = new long[40];
    int[] tokens = new int[40];
    int total = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = i == 0 ? 1_000 : times[i - 1] + 1 + random.nextInt(5_000);
      tokens[i] = 1 + random.nextInt(4);
      total += i == 0 ? 0 : tokens[i];
    }
    double[] gaps = ServingFormulas.itlPerToken(times, tokens, 40);
    assertEquals(total, gaps.length);
    assertEquals(times[39] - times[0], Arrays.stream(gaps).sum(), 1e-6);
  }

  @Test
  void decodeThroughputIsAllOutputTokensOverTheTimeAfterTheFirst() {
    // bench_full.py: 100 tokens, first at 200 ms, last at 2,200 ms: 100 / 2 s = 50 tok/s, where TPOT
    // is 2,000 / 99 ms.
    assertEquals(50.0, ServingFormulas.decodeThroughput(2_200.0, 200.0, 100, 1e3), 1e-9);
    assertEquals(2_000.0 / 99, ServingFormulas.tpot(2_200, 200, 100), 1e-9);
    assertEquals(50.0, ServingFormulas.decodeThroughput(2_200_000.0, 200_000.0, 100, 1e6), 1e-9);
    assertTrue(Double.isNaN(ServingFormulas.decodeThroughput(300.0, 300.0, 5, 1e3)), "whole answer in one event");
    assertTrue(Double.isNaN(ServingFormulas.decodeThroughput(300.0, 100.0, 0, 1e3)), "no output");
  }

  @Test
  void e2eThroughputCountsThePrefillToo() {
    assertEquals(100.0 / 2.2, ServingFormulas.e2eThroughput(2_200.0, 100, 1e3), 1e-9);
    assertTrue(ServingFormulas.e2eThroughput(2_200.0, 100, 1e3)
        < ServingFormulas.decodeThroughput(2_200.0, 200.0, 100, 1e3));
    assertTrue(Double.isNaN(ServingFormulas.e2eThroughput(0.0, 10, 1e3)));
    assertTrue(Double.isNaN(ServingFormulas.e2eThroughput(10.0, 0, 1e3)));
  }

  @Test
  void tpotCountsOnlyRequestsOfMoreThanOneOutputToken() {
    assertTrue(ServingFormulas.countsTowardTpot(2, 5.0));
    assertFalse(ServingFormulas.countsTowardTpot(1, 5.0), "one token: no time per further token");
    assertFalse(ServingFormulas.countsTowardTpot(0, Double.NaN));
    assertFalse(ServingFormulas.countsTowardTpot(4, Double.NaN), "no content arrived");
  }

  @Test
  void throughputsAreCompletedAndTokensOverTheDuration() {
    ServingFormulas.Throughputs t = ServingFormulas.throughputs(10, 1_280, 640, 4.0);
    assertEquals(2.5, t.requests());
    assertEquals(320.0, t.input());
    assertEquals(160.0, t.output());
    assertEquals(480.0, t.total(), "input and output tokens together");
    assertEquals(new ServingFormulas.Throughputs(0, 0, 0, 0), ServingFormulas.throughputs(10, 1_280, 640, 0),
        "a zero duration measured nothing");
    assertEquals(0.5, ServingFormulas.perSecond(1.5, 3.0));
  }

  @Test
  void errorRateIsFailedOverMeasuredAndZeroForNothing() {
    assertEquals(0.25, ServingFormulas.errorRate(1, 4));
    assertEquals(0.0, ServingFormulas.errorRate(0, 0));
  }

  @Test
  void goodRequestMeetsEveryObjectiveGivenAndAnEqualValueMeetsIt() {
    Slo slo = Slo.parse("ttft:200,tpot:50,e2el:20000");
    assertTrue(ServingFormulas.goodRequest(slo, 150, 40, 10_000));
    assertTrue(ServingFormulas.goodRequest(slo, 200, 50, 20_000), "vLLM: good when s >= r, so s == r is good");
    assertFalse(ServingFormulas.goodRequest(slo, 200.001, 50, 20_000), "one objective missed is enough");
    assertFalse(ServingFormulas.goodRequest(slo, 200, 50.001, 20_000));
    assertFalse(ServingFormulas.goodRequest(slo, 200, 50, 20_000.001));
    assertFalse(ServingFormulas.goodRequest(slo, Double.NaN, 50, 20_000), "an unknown value meets no objective");
  }

  @Test
  void goodRequestIgnoresObjectivesNotGiven() {
    Slo ttftOnly = Slo.parse("ttft:200");
    assertTrue(ServingFormulas.goodRequest(ttftOnly, 100, 1e9, 1e12));
    assertFalse(ServingFormulas.goodRequest(ttftOnly, 201, 0, 0));
  }

  @Test
  void goodputTpotIsZeroForAtMostOneTokenAsVllmCountsIt() {
    // vLLM: "if output_len <= 1, we regard tpot as 0 for goodput": a TPOT objective never fails them.
    assertEquals(0.0, ServingFormulas.goodputTpot(1, Double.NaN));
    assertEquals(0.0, ServingFormulas.goodputTpot(0, Double.NaN));
    assertEquals(12.5, ServingFormulas.goodputTpot(2, 12.5));
    double tpot = ServingFormulas.tpot(1_000, 100, 1);
    assertTrue(ServingFormulas.goodRequest(Slo.parse("tpot:0.000001"), 100, ServingFormulas.goodputTpot(1, tpot),
        1_000), "one token: good against any TPOT objective");
    assertFalse(ServingFormulas.countsTowardTpot(1, tpot), "while the TPOT distribution still leaves it out");
  }

  @Test
  void aBatchIsTimedAtItsLastRequest() {
    long release = 1_000;
    // Three requests of three tokens: the second is the last to its first token, the third to the others.
    long[][] tokens = {
        {1_300, 1_350, 1_420},
        {1_400, 1_450, 1_500},
        {1_250, 1_480, 1_600}};
    ServingFormulas.BatchLatencies l = ServingFormulas.batch(release, tokens);
    assertEquals(400, l.prefill(), "release to the last first token");
    // Step 1: the last token 1 (1_480) minus the last token 0 (1_400); step 2: 1_600 - 1_480.
    assertArrayEquals(new long[] {80, 120}, l.decodeSteps());
    assertEquals(600, l.e2e(), "release to the last token");
    // One request: its own gaps.
    ServingFormulas.BatchLatencies one = ServingFormulas.batch(0, new long[][] {{10, 15, 25}});
    assertEquals(10, one.prefill());
    assertArrayEquals(new long[] {5, 10}, one.decodeSteps());
    assertEquals(25, one.e2e());
  }

  @Test
  void aBatchStepsOverTheTokensEveryRequestGotAndEndsAtTheLastToken() {
    ServingFormulas.BatchLatencies l = ServingFormulas.batch(0, new long[][] {{10, 20, 30, 40}, {12, 22}});
    assertArrayEquals(new long[] {10}, l.decodeSteps(), "steps only where every request has the token");
    assertEquals(40, l.e2e());
    assertEquals(0, ServingFormulas.batch(0, new long[][] {{7}}).decodeSteps().length);
  }

  @Test
  void bench_one_batchThroughputsAreTokensOfTheWholeBatchOverItsLatency() {
    int input = 1024;
    int output = 128;
    int batch = 8;
    assertEquals(input * batch / 0.5, ServingFormulas.prefillThroughput(input, batch, 0.5), 1e-9);
    assertEquals(batch / 0.02, ServingFormulas.decodeStepThroughput(batch, 0.02), 1e-9);
    assertEquals((input + output) * batch / 3.0, ServingFormulas.batchTotalThroughput(input, output, batch, 3.0), 1e-9);
    assertTrue(Double.isNaN(ServingFormulas.prefillThroughput(input, batch, 0)));
    assertTrue(Double.isNaN(ServingFormulas.decodeStepThroughput(batch, Double.NaN)));
    assertTrue(Double.isNaN(ServingFormulas.batchTotalThroughput(input, output, batch, 0)));
  }
}
