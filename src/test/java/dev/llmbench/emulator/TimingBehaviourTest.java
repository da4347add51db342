package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The continuous-batching timing model, observed through ground truth and compared as ratios within
 * one run (never against absolute wall-clock limits): TTFT grows with the prompt, the inter-token
 * gap with the batch, and requests beyond the running limit wait.
 */
class TimingBehaviourTest {
  private static final String CHAT = "/v1/chat/completions";

  private static LlmEmulator start(double prefillTokensPerSecond, double stepMicros, double perSequenceMicros,
      int maxRunning) {
    TimingModel timing = new TimingModel(prefillTokensPerSecond, stepMicros, perSequenceMicros, maxRunning,
        1L << 20, 8_192, 1, 64);
    return EmulatorHttp.start(EmulatorHttp.fastConfig().timing(timing));
  }

  @Test
  void ttftGrowsWithPromptLength() {
    // 50k prompt tokens/s: 200 tokens prefill in 4 ms, 8000 in 160 ms.
    try (LlmEmulator emulator = start(50_000, 1_000, 10, 256)) {
      EmulatorHttp http = warmedUp(emulator);
      long[] shortTtft = new long[3];
      long[] longTtft = new long[3];
      for (int i = 0; i < 3; i++) {
        shortTtft[i] = streamedTrace(http, EmulatorHttp.chat(200, 3, true)).ttftNanos();
        longTtft[i] = streamedTrace(http, EmulatorHttp.chat(8_000, 3, true)).ttftNanos();
      }
      long shortMedian = median(shortTtft);
      long longMedian = median(longTtft);
      assertTrue(longMedian > 4 * shortMedian, "median ground-truth TTFT of 8000-token prompts (" + longMedian
          + " ns) vs 200-token prompts (" + shortMedian + " ns)");
    }
  }

  @Test
  void interChunkGapGrowsWithConcurrency() throws Exception {
    // A step costs 1 ms + 0.5 ms per decoding sequence: 1.5 ms alone, ~17 ms with 32 streams.
    try (LlmEmulator emulator = start(200_000, 1_000, 500, 256)) {
      EmulatorHttp http = warmedUp(emulator);
      long alone = median(streamedTrace(http, EmulatorHttp.chat(20, 30, true)).interChunkNanos());

      List<RequestTrace> traces = concurrentTraces(http, 32, 30);
      long[] medians = traces.stream().mapToLong(t -> median(t.interChunkNanos())).toArray();
      long together = median(medians);
      assertTrue(together > 4 * alone, "median ground-truth inter-chunk gap with 32 streams (" + together
          + " ns) vs 1 stream (" + alone + " ns)");
    }
  }

  @Test
  void requestsBeyondTheRunningLimitWait() throws Exception {
    // Two run at a time, each ~100 steps of 2 ms: the other four wait in the queue.
    try (LlmEmulator emulator = start(200_000, 2_000, 10, 2)) {
      EmulatorHttp http = warmedUp(emulator);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<String> ids = new ArrayList<>();
        List<Future<EmulatorHttp.Stream>> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String rid = EmulatorHttp.newRequestId("queue");
          ids.add(rid);
          streams.add(pool.submit(() -> http.stream(CHAT, EmulatorHttp.chat(20, 100, true), "X-Request-Id", rid)));
        }
        int maxWaiting = 0;
        int maxRunning = 0;
        while (!streams.stream().allMatch(Future::isDone)) {
          // Observation only: the requests' completion is what the loop waits for.
          maxWaiting = Math.max(maxWaiting, emulator.waitingRequests());
          maxRunning = Math.max(maxRunning, emulator.runningSequences());
          LockSupport.parkNanos(200_000);
        }
        for (Future<EmulatorHttp.Stream> f : streams) {
          assertTrue(f.get().done(), "every queued request completes");
        }
        long[] ttft = ids.stream().map(http::trace).mapToLong(RequestTrace::ttftNanos).sorted().toArray();

        assertTrue(maxWaiting > 0, "requests waited for admission (max waiting seen " + maxWaiting + ")");
        assertTrue(maxRunning <= 2, "never more than maxRunningSequences in the batch: " + maxRunning);
        long firstTwo = (ttft[0] + ttft[1]) / 2;
        long lastTwo = (ttft[4] + ttft[5]) / 2;
        assertTrue(lastTwo > 5 * firstTwo, "mean ground-truth TTFT of the last two admitted (" + lastTwo
            + " ns) vs the first two (" + firstTwo + " ns); all: " + Arrays.toString(ttft));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void fewerStreamsThanSlotsRunAndNeverShowAsWaiting() throws Exception {
    // 8 closed-loop streams, 256 slots, a KV cache far larger than their tokens: nothing ever waits for
    // admission, so every /metrics scrape must say waiting 0, and the batch holds the streams (a stream's
    // next request is out of it only between its arrival and the next step).
    int streams = 8;
    int requestsEach = 4;
    try (LlmEmulator emulator = start(200_000, 2_000, 10, 256)) {
      EmulatorHttp http = warmedUp(emulator);
      ExecutorService pool = Executors.newFixedThreadPool(streams);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger looping = new java.util.concurrent.atomic.AtomicInteger(streams);
      try {
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
          loops.add(pool.submit(() -> {
            go.await();
            for (int r = 0; r < requestsEach; r++) {
              assertTrue(http.stream(CHAT, EmulatorHttp.chat(20, 100, true)).done());
            }
            looping.decrementAndGet();
            return null;
          }));
        }
        go.countDown(); // a round of arrivals at once, the case that showed waiting 7 / running 1
        List<Integer> steady = new ArrayList<>();
        int maxWaiting = 0;
        int maxRunning = 0;
        while (!loops.stream().allMatch(Future::isDone)) {
          // Observation only: the streams' completion is what the loop waits for.
          boolean allLooping = looping.get() == streams;
          String page = http.metrics();
          int running = (int) EmulatorHttp.sample(page, "vllm:num_requests_running");
          int waiting = (int) EmulatorHttp.sample(page, "vllm:num_requests_waiting");
          maxWaiting = Math.max(maxWaiting, waiting);
          maxRunning = Math.max(maxRunning, running);
          if (allLooping && running > 0) {
            steady.add(running);
          }
          LockSupport.parkNanos(500_000);
        }
        for (Future<?> f : loops) {
          f.get();
        }
        assertEquals(0, maxWaiting, "no request ever waits for admission with " + streams + " streams and 256 slots");
        assertEquals(streams, maxRunning, "the batch holds every stream");
        int[] sorted = steady.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertTrue(sorted.length > 0 && sorted[sorted.length / 2] >= streams - 1,
            "steady-state scrapes show about " + streams + " running: " + Arrays.toString(sorted));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * A client whose first request has been made: a cold JVM delivers its first chunks late and in a
   * bunch (class loading, JIT), which would distort the first measured request.
   */
  private static EmulatorHttp warmedUp(LlmEmulator emulator) {
    EmulatorHttp http = new EmulatorHttp(emulator);
    streamedTrace(http, EmulatorHttp.chat(20, 30, true));
    return http;
  }

  private static RequestTrace streamedTrace(EmulatorHttp http, Object body) {
    String rid = EmulatorHttp.newRequestId("timing");
    EmulatorHttp.Stream s = http.stream(CHAT, body, "X-Request-Id", rid);
    assertEquals(200, s.status(), s.errorBody());
    assertTrue(s.done());
    return http.trace(rid);
  }

  private static List<RequestTrace> concurrentTraces(EmulatorHttp http, int streams, int maxTokens) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      List<Future<RequestTrace>> futures = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        futures.add(pool.submit(() -> streamedTrace(http, EmulatorHttp.chat(20, maxTokens, true))));
      }
      List<RequestTrace> traces = new ArrayList<>();
      for (Future<RequestTrace> f : futures) {
        traces.add(f.get(EmulatorHttp.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
      return traces;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long median(long[] values) {
    assertTrue(values.length > 0, "no values");
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
