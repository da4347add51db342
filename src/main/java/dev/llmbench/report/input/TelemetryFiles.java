package dev.llmbench.report.input;

import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.telemetry.GpuSampler;
import dev.llmbench.telemetry.MetricsScraper;
import dev.llmbench.telemetry.PrometheusText;
import dev.llmbench.telemetry.TelemetryNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a run recorded of the server into its run folder ({@value #SERVER_METRICS} of
 * {@link MetricsScraper}, {@value #GPU} of {@link GpuSampler}) and puts it on the run's time axis.
 *
 * <p>How the clocks are aligned: the axis is seconds from the run's first send, the smallest
 * {@code sentNanos} of its rows. Rows, scrapes and GPU samples are stamped with {@link System#nanoTime()}
 * in the same JVM, so a scrape's time is {@code (nanos - firstSentNanos) / 1e9}, immune to the wall clock
 * being stepped during the run. A scrape from a file without {@code nanos} falls back on the wall clock:
 * {@code (epochMillis * 1000 - firstSentEpochMicros) / 1e6}. A scrape's time is when it was sent: the page
 * describes the server within the scrape's own latency after it.
 */
public final class TelemetryFiles {
  /** The scraped pages, in the run folder. */
  public static final String SERVER_METRICS = "server-metrics.jsonl";
  /** The GPU samples, in the run folder. */
  public static final String GPU = "gpu.jsonl";

  private TelemetryFiles() {}

  /**
   * The run's telemetry, or null when it recorded none (no file: scraping off, or a run from before it).
   *
   * @param originNanos the first send's {@code sentNanos}
   * @param originEpochMicros the same send's {@code sentEpochMicros}
   */
  public static ServerTelemetry read(Path runFolder, long originNanos, long originEpochMicros) throws IOException {
    Path metrics = runFolder.resolve(SERVER_METRICS);
    Path gpu = runFolder.resolve(GPU);
    if (!Files.exists(metrics) && !Files.exists(gpu)) {
      return null;
    }
    TelemetryNames names = TelemetryNames.standard();
    List<ServerTelemetry.Point> points = new ArrayList<>();
    Set<String> present = new LinkedHashSet<>();
    int scrapes = 0;
    if (Files.exists(metrics)) {
      for (MetricsScraper.Scrape s : MetricsScraper.read(metrics)) {
        scrapes++;
        if (!s.ok()) {
          continue;
        }
        double t = s.nanos() != null ? (s.nanos() - originNanos) / 1e9
            : (s.epochMillis() * 1000.0 - originEpochMicros) / 1e6;
        Map<String, Double> values = names.map(PrometheusText.parse(s.text()));
        present.addAll(values.keySet());
        points.add(new ServerTelemetry.Point(t, values));
      }
    }
    List<String> columns = names.names().stream().filter(present::contains).toList();
    List<ServerTelemetry.GpuSample> gpus = new ArrayList<>();
    if (Files.exists(gpu)) {
      for (GpuSampler.Sample s : GpuSampler.read(gpu)) {
        if (s.error() != null || s.gpus().isEmpty()) {
          continue;
        }
        gpus.add(new ServerTelemetry.GpuSample((s.nanos() - originNanos) / 1e9, s.gpus().stream()
            .map(g -> new ServerTelemetry.Gpu(g.index(), g.memoryUsedMib(), g.memoryTotalMib(), g.utilizationPct()))
            .toList()));
      }
    }
    return new ServerTelemetry(columns, points, gpus, scrapes);
  }
}
