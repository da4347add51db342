package dev.llmbench.report.input;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Parsing speed of {@link SimulationLogReader}: writes a synthetic Gatling 3.15.1 log of the shape
 * our runs produce (per request: TTFT, one ITL row per token, TPOT, E2E; users starting and ending;
 * some failures and errors; four groups), then reads it several times with a visitor that only
 * counts, and prints MB/s and the peak heap. Not a test. Run it on 2 cores with a small heap, to
 * show that memory does not grow with the log:
 *
 * <pre>
 * mvn -q test-compile exec:exec@log-reader-benchmark -Dbench.args="-Xmx32m -XX:ActiveProcessorCount=2" \
 *     -Dbench.main.args="[MB, default 256] [rounds, default 5] [gatling]"
 * </pre>
 * With {@code gatling} it also times Gatling's own {@code LogFileReader} on the same file, for
 * comparison (it computes its report statistics too; it needs
 * {@code --add-opens=java.base/java.lang=ALL-UNNAMED} and a bigger heap).
 */
public final class SimulationLogReaderBenchmark {
  private SimulationLogReaderBenchmark() {}

  public static void main(String[] args) throws IOException {
    long targetBytes = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path file = Files.createTempFile("synthetic-simulation", ".log");
    try {
      long t0 = System.nanoTime();
      long written = write(file, targetBytes);
      System.out.printf(Locale.ROOT, "wrote %,d bytes (%.0f MB) in %.1f s: %s%n", written, written / 1e6,
          (System.nanoTime() - t0) / 1e9, file);
      double[] mbPerSec = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        Counter counter = new Counter();
        long start = System.nanoTime();
        SimulationLogReader.Result result = SimulationLogReader.read(file, counter).requireComplete();
        double seconds = (System.nanoTime() - start) / 1e9;
        mbPerSec[i] = result.bytesRead() / 1e6 / seconds;
        System.out.printf(Locale.ROOT, "round %d: %,d records (%,d requests) in %.2f s = %.0f MB/s%n", i + 1,
            result.records(), counter.requests, seconds, mbPerSec[i]);
      }
      if (args.length > 2 && args[2].equals("gatling")) {
        var config = io.gatling.core.config.GatlingConfiguration.load();
        long start = System.nanoTime();
        new io.gatling.charts.stats.LogFileReader(file.toFile(), config).read();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "Gatling's LogFileReader (two passes, with its statistics): %.2f s = %.0f MB/s%n",
            seconds, written / 1e6 / seconds);
      }
      double[] sorted = mbPerSec.clone();
      Arrays.sort(sorted);
      long peakHeap = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peakHeap += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf(Locale.ROOT,
          "median %.0f MB/s, best %.0f MB/s; max heap %d MB, peak heap used (all pools, since start) %.1f MB;"
              + " %d processors%n",
          sorted[rounds / 2], sorted[rounds - 1], Runtime.getRuntime().maxMemory() >> 20, peakHeap / 1e6,
          Runtime.getRuntime().availableProcessors());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A visitor that does next to nothing, so the figure is the reader's. */
  private static final class Counter implements SimulationLogReader.Visitor {
    long requests;
    long checksum;

    @Override
    public void onRequest(RequestRecord request) {
      requests++;
      checksum += request.responseTimeMillis();
    }
  }

  private static long write(Path file, long targetBytes) throws IOException {
    Random random = new Random(42);
    List<List<String>> groups = List.of(List.of("random-256-256@rate=2"), List.of("random-256-256@rate=4"),
        List.of("random-1024-128@concurrency=64"), List.of("sharegpt@rate=8", "inner"));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      LogBytes log = new LogBytes(out);
      log.runHeader(SimulationLogReader.SUPPORTED_GATLING_VERSION, "simulations.ServingSimulation",
          1_795_528_517_538L, "", List.of("warm-up", "serving"));
      int t = 0;
      while (log.size() < targetBytes) {
        List<String> g = groups.get(random.nextInt(groups.size()));
        int sent = t;
        t += random.nextInt(5);
        log.user(1, true, sent);
        if (random.nextInt(50) == 0) {
          log.request(g, "E2E", sent, sent + random.nextInt(1000), false,
              "HTTP 500: " + random.nextInt(20) + " (server error)");
          log.error("j.n.ConnectException: Connection refused", sent);
        } else {
          int ttft = 20 + random.nextInt(200);
          log.request(g, "TTFT", sent, sent + ttft, true, "");
          int at = sent + ttft;
          int tokens = 64 + random.nextInt(192);
          for (int i = 1; i < tokens; i++) {
            int gap = random.nextInt(40);
            log.request(g, "ITL", at, at + gap, true, "");
            at += gap;
          }
          log.request(g, "TPOT", sent + ttft, sent + ttft + 20, true, "");
          log.request(g, "E2E", sent, at, true, "");
        }
        log.user(1, false, t);
        log.group(g, sent, t, t - sent, true);
      }
      log.flush();
      return log.size();
    }
  }
}
