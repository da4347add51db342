package dev.llmbench.emulator;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * The emulated continuously-batching engine: one thread that runs steps as {@link TimingModel}
 * describes and hands each step's output to the channels' event loops, one task per event loop per
 * step, so that writes cost the engine thread almost nothing.
 */
final class Engine implements Runnable {

  /** What one step produced for one sequence: tokens [from, to) and whether the sequence ended. */
  record Emit(Sequence seq, int from, int to, boolean finished, long plannedNanos) {}

  /** Receives a step's output on the sequence's event loop. */
  interface Sink {
    void emit(Emit emit);
  }

  private final TimingModel timing;
  /** Factor on every step's duration (latency drift); null for none. */
  private final DoubleSupplier stepFactor;
  private final Sink sink;
  private final ConcurrentLinkedQueue<Sequence> incoming = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
  private final ArrayList<Sequence> running = new ArrayList<>();
  private final Thread thread;
  private final AtomicInteger pendingWrites = new AtomicInteger();
  private volatile boolean stopped;
  private long kvUsed;
  /** The automatic prefix cache ({@code emulator.prefix.cache}), or null when off. */
  private final PrefixCache prefixCache;
  /** Prompt and cached tokens of the sequences admitted this step, for SGLang's per-batch hit rate. */
  private long stepQueried;
  private long stepHit;

  // Published for /metrics.
  volatile int runningCount;
  volatile int waitingCount;
  volatile long kvUsedTokens;
  final LongAdder promptTokensTotal = new LongAdder();
  final LongAdder generationTokensTotal = new LongAdder();
  final LongAdder stepsTotal = new LongAdder();
  /** vLLM's {@code prefix_cache_queries}: prompt tokens of the requests looked up in the prefix cache. */
  final LongAdder prefixQueriedTokens = new LongAdder();
  /** vLLM's {@code prefix_cache_hits}: prompt tokens those requests found in the cache. */
  final LongAdder prefixHitTokens = new LongAdder();
  /** SGLang's {@code cache_hit_rate}: hit tokens over prompt tokens of the last step that admitted any. */
  volatile double lastBatchHitRate;

  /** An engine whose steps last {@code stepFactor} (null: 1) times what the timing model says, read at each step. */
  Engine(TimingModel timing, DoubleSupplier stepFactor, Sink sink) {
    this(timing, stepFactor, sink, 0);
  }

  /** As above, with a prefix cache of {@code prefixBlockTokens}-token blocks (0: no prefix cache). */
  Engine(TimingModel timing, DoubleSupplier stepFactor, Sink sink, int prefixBlockTokens) {
    this.timing = timing;
    this.prefixCache = prefixBlockTokens > 0 ? new PrefixCache(prefixBlockTokens) : null;
    this.stepFactor = stepFactor;
    this.sink = sink;
    this.thread = new Thread(this, "emulator-engine");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void submit(Sequence seq) {
    incoming.add(seq);
    LockSupport.unpark(thread);
  }

  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    long stepStart = System.nanoTime();
    while (!stopped) {
      drainIncoming();
      if (running.isEmpty() && waiting.isEmpty()) {
        publishGauges();
        LockSupport.park(this);
        stepStart = System.nanoTime();
        continue;
      }
      admit();
      long deadline = stepStart + planStep(stepStart);
      sleepUntil(deadline);
      awaitWrites();
      if (stopped) {
        return;
      }
      finishStep(deadline);
      stepsTotal.increment();
      publishGauges();
      // Never try to catch up on a late step by running the next ones short: a real GPU doesn't.
      stepStart = Math.max(deadline, System.nanoTime());
    }
  }

  private void drainIncoming() {
    Sequence s;
    while ((s = incoming.poll()) != null) {
      waiting.add(s);
    }
  }

  /** FCFS admission while the batch and the KV cache have room; the head of the queue blocks the rest. */
  private void admit() {
    while (!waiting.isEmpty() && running.size() < timing.maxRunningSequences()) {
      Sequence s = waiting.peek();
      if (s.cancelled) {
        waiting.poll();
        continue;
      }
      long need = (long) s.promptTokens + s.outputTokens;
      if (kvUsed + need > timing.kvCacheTokens() && !running.isEmpty()) {
        break;
      }
      waiting.poll();
      s.kvReserved = need;
      kvUsed += need;
      if (prefixCache != null && s.blockHashes != null) {
        lookUpPrefix(s);
      }
      running.add(s);
    }
    if (stepQueried > 0) {
      lastBatchHitRate = (double) stepHit / stepQueried;
      stepQueried = 0;
      stepHit = 0;
    }
  }

  /**
   * At admission, as vLLM's scheduler does: the cached leading blocks are not prefilled (so TTFT drops by
   * their prefill time under the timing model), and the cache gives up what the new reservation needs.
   */
  private void lookUpPrefix(Sequence s) {
    long cached = prefixCache.lookup(s.blockHashes, s.promptTokens);
    s.cachedTokens = (int) cached;
    s.prefillRemaining = Math.max(1, s.promptTokens - cached);
    prefixQueriedTokens.add(s.promptTokens);
    prefixHitTokens.add(cached);
    stepQueried += s.promptTokens;
    stepHit += cached;
    prefixCache.shrinkTo(timing.kvCacheTokens() - kvUsed);
  }

  /** Decides this step's work and returns its duration. */
  private long planStep(long now) {
    long prefillBudget = timing.prefillChunkTokens();
    long prefillTokens = 0;
    int decoding = 0;
    for (int i = 0; i < running.size(); i++) {
      Sequence s = running.get(i);
      s.stepPrefill = 0;
      s.decodeThisStep = false;
      if (s.prefillRemaining > 0) {
        if (prefillBudget > 0) {
          s.stepPrefill = Math.min(prefillBudget, s.prefillRemaining);
          prefillBudget -= s.stepPrefill;
          prefillTokens += s.stepPrefill;
        }
      } else if (s.generated < s.outputTokens && !stalled(s, now)) {
        s.decodeThisStep = true;
        decoding++;
      }
    }
    long nanos = timing.stepNanos(decoding, prefillTokens);
    return stepFactor == null ? nanos : Math.round(nanos * stepFactor.getAsDouble());
  }

  /** The STALL fault: a sequence past its fault point sits out steps for the fault's duration. */
  private static boolean stalled(Sequence s, long now) {
    if (s.fault != Fault.STALL || s.stallDone || s.generated < s.faultAfterTokens) {
      return false;
    }
    if (s.stallUntilNanos == 0) {
      s.stallUntilNanos = now + s.faultMillis * 1_000_000L;
    }
    if (now < s.stallUntilNanos) {
      return true;
    }
    s.stallDone = true;
    return false;
  }

  /**
   * Applies the step's work and hands out chunks: the first token alone (so TTFT does not depend on
   * merging), then every {@code tokensPerChunk} tokens, and whatever is left when a sequence ends.
   */
  private void finishStep(long plannedNanos) {
    Map<EventLoop, List<Emit>> byLoop = new IdentityHashMap<>(4);
    int tokensPerChunk = timing.tokensPerChunk();
    int kept = 0;
    for (int i = 0; i < running.size(); i++) {
      Sequence s = running.get(i);
      if (s.cancelled) {
        release(s);
        continue;
      }
      int before = s.generated;
      if (s.stepPrefill > 0) {
        s.prefillRemaining -= s.stepPrefill;
        if (s.prefillRemaining == 0) {
          promptTokensTotal.add(s.promptTokens);
          if (prefixCache != null && s.blockHashes != null) {
            prefixCache.insert(s.blockHashes);
            prefixCache.shrinkTo(timing.kvCacheTokens() - kvUsed);
          }
          if (s.outputTokens > 0) {
            s.generated = 1; // the step that completes the prefill samples the first token
          }
        }
      } else if (s.decodeThisStep) {
        s.generated++;
      }
      generationTokensTotal.add(s.generated - before);
      boolean finished = s.prefillRemaining == 0 && s.generated >= s.outputTokens;
      int pending = s.generated - s.handedOut;
      if (finished || (pending > 0 && (s.generated == 1 || pending >= tokensPerChunk))) {
        byLoop.computeIfAbsent(s.channel.eventLoop(), k -> new ArrayList<>())
            .add(new Emit(s, s.handedOut, s.generated, finished, plannedNanos));
        s.handedOut = s.generated;
      }
      if (finished) {
        release(s);
      } else {
        running.set(kept++, s);
      }
    }
    running.subList(kept, running.size()).clear();
    for (Map.Entry<EventLoop, List<Emit>> e : byLoop.entrySet()) {
      List<Emit> emits = e.getValue();
      pendingWrites.incrementAndGet();
      e.getKey().execute(() -> {
        try {
          for (int i = 0; i < emits.size(); i++) {
            sink.emit(emits.get(i));
          }
        } finally {
          pendingWrites.decrementAndGet();
        }
      });
    }
  }

  private void release(Sequence s) {
    kvUsed -= s.kvReserved;
    s.kvReserved = 0;
  }

  /**
   * The gauges as vLLM's scheduler reports them at the end of a step: running is the batch (finished
   * sequences gone), waiting the queue admission left behind for want of a slot or KV cache. Requests
   * that arrived during the step are not counted as waiting: like those in vLLM's engine-core input queue,
   * the scheduler has not seen them yet, and the next step admits them at once when there is room.
   * Counting them showed, at 8 streams and 256 slots, a scrape of running 1 / waiting 7 after a round of
   * arrivals, though nothing ever waited for admission. They show as running after the step that takes them.
   */
  private void publishGauges() {
    runningCount = running.size();
    waitingCount = waiting.size();
    kvUsedTokens = kvUsed;
  }

  /**
   * Back-pressure: a step's tokens are not handed out before the previous step's are written. When
   * the HTTP side cannot keep up, steps take longer (and the lag shows it) instead of a backlog of
   * tokens growing without bound behind the timing model.
   */
  private void awaitWrites() {
    while (!stopped && pendingWrites.get() > 0) {
      LockSupport.parkNanos(this, 20_000);
    }
  }

  private void sleepUntil(long deadline) {
    long left;
    while (!stopped && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }
}
