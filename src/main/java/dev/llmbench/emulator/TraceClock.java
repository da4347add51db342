package dev.llmbench.emulator;

import java.time.Instant;

/**
 * Converts {@link System#nanoTime()} stamps to wall-clock microseconds. Ground truth is stamped with
 * {@code nanoTime} (monotonic and, on Linux, shared by every process on the machine, so a client in
 * another JVM can compare with it directly); the epoch figure is for humans and other tools.
 */
final class TraceClock {
  private static final long EPOCH_MICROS_AT_ORIGIN;
  private static final long NANOS_AT_ORIGIN;

  static {
    NANOS_AT_ORIGIN = System.nanoTime();
    Instant now = Instant.now();
    EPOCH_MICROS_AT_ORIGIN = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private TraceClock() {}

  static long epochMicros(long nanoTime) {
    return EPOCH_MICROS_AT_ORIGIN + (nanoTime - NANOS_AT_ORIGIN) / 1_000;
  }
}
