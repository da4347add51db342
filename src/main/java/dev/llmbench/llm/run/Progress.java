package dev.llmbench.llm.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The console line printed every {@value #PERIOD_SECONDS} s while a run goes: requests done and in
 * flight, output tokens per second, and the median TTFT and TPOT of the requests that ended in the
 * last period. It takes the place of Gatling's console writer, which gatling.conf turns off: that
 * writer builds a string key for every stats row, one per token event (docs/injector-efficiency.md, "What made the difference").
 * Here a request costs a few adds and two histogram records, whatever its length.
 */
public final class Progress {
  static final int PERIOD_SECONDS = 5;

  private final LongAdder sent = new LongAdder();
  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder outputTokens = new LongAdder();
  private final Recorder ttftMicros = new Recorder(3);
  private final Recorder tpotMicros = new Recorder(3);
  private final LongAdder items = new LongAdder();
  private final Recorder latencyMicros = new Recorder(3);
  private long lastItems;
  private Histogram latencyInterval;
  private final PrintStream out;
  private ScheduledExecutorService timer;
  private long startNanos;
  private long lastNanos;
  private long lastTokens;
  private Histogram ttftInterval;
  private Histogram tpotInterval;

  Progress(PrintStream out) {
    this(out, System.nanoTime());
  }

  Progress(PrintStream out, long startNanos) {
    this.out = out;
    this.startNanos = this.lastNanos = startNanos;
  }

  /** A request handed to the connection. */
  public void sent() {
    sent.increment();
  }

  /**
   * A request that ended; warm-up requests count as done but not in the figures.
   *
   * @param tpotMicros NaN when undefined
   */
  public void ended(boolean ok, boolean warmup, int tokens, long ttftMicros, double tpotMicros) {
    done.increment();
    if (!ok) {
      failed.increment();
      return;
    }
    if (warmup) {
      return;
    }
    outputTokens.add(tokens);
    this.ttftMicros.recordValue(Math.max(0, ttftMicros));
    if (!Double.isNaN(tpotMicros)) {
      this.tpotMicros.recordValue(Math.max(0, Math.round(tpotMicros)));
    }
  }

  /** A pooling request that ended (items scored, ranked or embedded in one answer); warm-ups as {@link #ended}. */
  public void endedPooling(boolean ok, boolean warmup, int items, long latencyMicros) {
    done.increment();
    if (!ok) {
      failed.increment();
      return;
    }
    if (!warmup) {
      this.items.add(items);
      this.latencyMicros.recordValue(Math.max(0, latencyMicros));
    }
  }

  public synchronized void start() {
    if (timer != null) {
      return;
    }
    startNanos = lastNanos = System.nanoTime();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "llmb-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private synchronized void print() {
    out.println(line(System.nanoTime()));
  }

  /** The line for the period ending at {@code now}. */
  synchronized String line(long now) {
    ttftInterval = ttftMicros.getIntervalHistogram(ttftInterval);
    tpotInterval = tpotMicros.getIntervalHistogram(tpotInterval);
    long tokens = outputTokens.sum();
    double seconds = (now - lastNanos) / 1e9;
    double tokensPerSecond = seconds > 0 ? (tokens - lastTokens) / seconds : 0;
    lastNanos = now;
    lastTokens = tokens;
    long ended = done.sum();
    long elapsed = TimeUnit.NANOSECONDS.toSeconds(now - startNanos);
    StringBuilder b = new StringBuilder("llm-serving-bench: ")
        .append(String.format(Locale.ROOT, "%d:%02d", elapsed / 60, elapsed % 60))
        .append(String.format(Locale.ROOT, " | %,d done", ended));
    long ko = failed.sum();
    if (ko > 0) {
      b.append(String.format(Locale.ROOT, " (%,d failed)", ko));
    }
    b.append(String.format(Locale.ROOT, ", %,d in flight", sent.sum() - ended));
    // A run of pooling requests alone streams no token: its rate is the items' below.
    if (tokens > 0 || items.sum() == 0) {
      b.append(String.format(Locale.ROOT, " | %,.0f output tok/s", tokensPerSecond));
    }
    if (ttftInterval.getTotalCount() > 0) {
      b.append(String.format(Locale.ROOT, " | last %ds: TTFT p50 %s", PERIOD_SECONDS,
          millis(ttftInterval.getValueAtPercentile(50))));
    }
    if (tpotInterval.getTotalCount() > 0) {
      b.append(", TPOT p50 ").append(millis(tpotInterval.getValueAtPercentile(50)));
    }
    latencyInterval = latencyMicros.getIntervalHistogram(latencyInterval);
    long itemsNow = items.sum();
    if (latencyInterval.getTotalCount() > 0) {
      b.append(String.format(Locale.ROOT, " | %,.0f items/s, latency p50 %s", seconds > 0
          ? (itemsNow - lastItems) / seconds : 0, millis(latencyInterval.getValueAtPercentile(50))));
    }
    lastItems = itemsNow;
    return b.toString();
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
