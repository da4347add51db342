package dev.llmbench.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the run's periodic samplers ({@link MetricsScraper}, {@link GpuSampler}) share: a daemon thread
 * of their own that takes a sample every interval, and a JSON-lines file each sample is appended and
 * flushed to (a crash later still leaves every sample so far). A file that cannot be opened or written is
 * given up on, with the reason kept ({@link #problem()}); nothing here throws into the run.
 */
final class PeriodicLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ScheduledExecutorService executor;
  private final Object lock = new Object();
  private BufferedWriter out; // guarded by lock; null once closed or given up on
  private String problem; // guarded by lock
  private int written; // guarded by lock
  /** What a line is, for the reason a write failed ("scrapes", "samples"). */
  private final String lines;

  /**
   * Opens {@code file} (its folder made, what was there replaced) for a sampler whose thread is {@code thread}
   * and whose lines are {@code lines}.
   */
  PeriodicLines(String thread, Path file, String lines) {
    this.lines = lines;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, thread);
      t.setDaemon(true);
      return t;
    });
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      problem = "cannot write " + file + ": " + e;
    }
  }

  /** Runs {@code sample} after {@code firstDelay}, then every {@code interval} (at least 1 ms), on the sampler's thread. */
  void every(Duration firstDelay, Duration interval, Runnable sample) {
    long every = Math.max(1, interval.toMillis());
    executor.scheduleAtFixedRate(sample, firstDelay.toMillis(), every, TimeUnit.MILLISECONDS);
  }

  /** Appends one line; false when the file is closed or given up on (a failed write gives it up). */
  boolean append(ObjectNode line) {
    synchronized (lock) {
      if (out == null) {
        return false;
      }
      try {
        out.write(MAPPER.writeValueAsString(line));
        out.write('\n');
        out.flush();
        written++;
        return true;
      } catch (IOException e) {
        problem = "cannot write the " + lines + ": " + e;
        closeFile();
        return false;
      }
    }
  }

  /** Whether lines are still appended. */
  boolean open() {
    synchronized (lock) {
      return out != null;
    }
  }

  /** Lines appended so far. */
  int written() {
    synchronized (lock) {
      return written;
    }
  }

  /** Why the file was given up on, or null. */
  String problem() {
    synchronized (lock) {
      return problem;
    }
  }

  /** Stops sampling, waiting up to {@code wait} for a sample in flight. */
  void stop(Duration wait) {
    executor.shutdown();
    try {
      executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }

  /** Closes the file; a second call does nothing. */
  void close() {
    synchronized (lock) {
      closeFile();
    }
  }

  private void closeFile() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      // the file is given up on already
    }
    out = null;
  }
}
