package dev.llmbench.report.model;

/**
 * What the load generator measured of itself over a run's load window (from the simulation's
 * {@code before()} hook, just before Gatling starts the virtual users, to the start of its
 * {@code after()} hook, before any post-run work): CPU, event-loop timer lag, read lag, send lag
 * and GC pauses ({@code dev.llmbench.monitor.SelfMonitor}). Written to {@code llm-run.json} as
 * {@code monitor} and to {@code summary.json} under {@code validity.monitor}; the field list and
 * units are in {@code dev.llmbench.report.input.ValidityJson}.
 *
 * @param wallNanos length of the load window, ns (monotonic clock)
 * @param processCpuNanos CPU time of the whole load-generator process over the window, ns (all
 *     threads: event loops, JIT, GC, and the embedded emulator when the run used it)
 * @param availableProcessors cores the JVM may use
 * @param machineCpuLoad busy share of the whole machine over the window, 0..1, NaN when unknown
 * @param loopTickMicros period of the tick handed to each watched event loop, µs
 * @param eventLoops event loops that ran virtual users and were watched (the stream loops in use)
 * @param loopLagSamples ticks (the lines call them firings) measured, all loops together
 * @param loopLagP50Micros median time a loop took to run its tick once handed it, µs
 * @param loopLagP99Micros 99th percentile of that lag, µs
 * @param loopLagMaxMicros largest lag, µs
 * @param readLagSamples reads of streams measured on the stream loops, all loops together; 0 when the
 *     run read no stream there
 * @param readLagP50Micros median lag of a read behind the first read of the same I/O pass of its loop
 *     (both stamps taken as the reads reach the stream's handler), µs
 * @param readLagP99Micros 99th percentile of that lag, µs
 * @param readLagMaxMicros largest read lag, µs
 * @param sendLagSamples requests that waited for a scheduled arrival (open model) and were measured
 * @param sendLagP50Micros median of (ready to send − scheduled arrival), µs
 * @param sendLagP99Micros 99th percentile of the send lag, µs
 * @param sendLagMaxMicros largest send lag, µs
 * @param gcPauses stop-the-world GC pauses reported by GC notifications
 * @param gcPauseTotalMs sum of those pauses, ms (the JVM reports whole milliseconds)
 * @param gcPauseMaxMs longest single pause, ms
 * @param gcCollections collections counted by the GC MXBeans (concurrent cycles included)
 * @param gcCollectorTimeMs collection time accumulated by the GC MXBeans, ms
 */
public record MonitorFigures(
    long wallNanos,
    long processCpuNanos,
    int availableProcessors,
    double machineCpuLoad,
    long loopTickMicros,
    int eventLoops,
    long loopLagSamples,
    long loopLagP50Micros,
    long loopLagP99Micros,
    long loopLagMaxMicros,
    long readLagSamples,
    long readLagP50Micros,
    long readLagP99Micros,
    long readLagMaxMicros,
    long sendLagSamples,
    long sendLagP50Micros,
    long sendLagP99Micros,
    long sendLagMaxMicros,
    long gcPauses,
    long gcPauseTotalMs,
    long gcPauseMaxMs,
    long gcCollections,
    long gcCollectorTimeMs) {

  public MonitorFigures {
    nonNegative("wallNanos", wallNanos);
    nonNegative("processCpuNanos", processCpuNanos);
    if (availableProcessors < 1) {
      throw new IllegalArgumentException("availableProcessors must be >= 1, but was " + availableProcessors);
    }
    if (!Double.isNaN(machineCpuLoad) && !(machineCpuLoad >= 0 && machineCpuLoad <= 1)) {
      throw new IllegalArgumentException("machineCpuLoad must be in [0, 1] or NaN (unknown), but was " + machineCpuLoad);
    }
    nonNegative("loopTickMicros", loopTickMicros);
    nonNegative("eventLoops", eventLoops);
    ordered("loopLag", loopLagSamples, loopLagP50Micros, loopLagP99Micros, loopLagMaxMicros);
    ordered("readLag", readLagSamples, readLagP50Micros, readLagP99Micros, readLagMaxMicros);
    ordered("sendLag", sendLagSamples, sendLagP50Micros, sendLagP99Micros, sendLagMaxMicros);
    nonNegative("gcPauses", gcPauses);
    nonNegative("gcPauseTotalMs", gcPauseTotalMs);
    nonNegative("gcPauseMaxMs", gcPauseMaxMs);
    if (gcPauseMaxMs > gcPauseTotalMs) {
      throw new IllegalArgumentException("gcPauseMaxMs (" + gcPauseMaxMs + ") must not exceed gcPauseTotalMs ("
          + gcPauseTotalMs + ")");
    }
    nonNegative("gcCollections", gcCollections);
    nonNegative("gcCollectorTimeMs", gcCollectorTimeMs);
  }

  /**
   * The process's CPU time over the window as a share of what all cores could give in it (0..1 for a
   * process that stays within its cores; 0 for an empty window).
   */
  public double processCpuShare() {
    return wallNanos == 0 ? 0 : (double) processCpuNanos / ((double) wallNanos * availableProcessors);
  }

  private static void nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
  }

  private static void ordered(String name, long samples, long p50, long p99, long max) {
    nonNegative(name + "Samples", samples);
    if (p50 < 0 || p50 > p99 || p99 > max) {
      throw new IllegalArgumentException(name + " figures must satisfy 0 <= p50 <= p99 <= max, but were " + p50
          + ", " + p99 + ", " + max + " µs");
    }
    if (samples == 0 && max != 0) {
      throw new IllegalArgumentException(name + " has no samples but a max of " + max + " µs");
    }
  }
}
