package dev.llmbench.emulator;

import java.time.Duration;

/**
 * The emulator's uptime, which its run-wide faults grow with (latency drift, memory growth). A test
 * can move it forward ({@link #advance}) instead of waiting minutes.
 */
final class Uptime {
  private static final double NANOS_PER_MINUTE = 60e9;

  private volatile long startNanos = System.nanoTime();

  /** Minutes since the start, moved by every {@link #advance}. */
  double minutes() {
    return (System.nanoTime() - startNanos) / NANOS_PER_MINUTE;
  }

  /** From now on, reads as if the emulator had started {@code by} earlier. */
  synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("uptime only moves forward, but was asked to move by " + by);
    }
    startNanos -= by.toNanos();
  }
}
