package dev.llmbench.report.model;

import java.util.List;
import java.util.Map;

/**
 * What the run recorded of the server beside its own measurements, on the run's time axis: seconds from
 * its first send (the per-request rows' {@code sentNanos}, a {@link System#nanoTime()} stamp, and each
 * scrape's and GPU sample's stamp of the same clock in the same JVM; a scrape from before those stamps is
 * placed by its wall-clock time against the rows' {@code sentEpochMicros}).
 *
 * @param columns our names of the series the server gave (telemetry-names.json), in that file's order
 * @param points the scrapes that got a page, in time order
 * @param gpus the GPU samples, in time order
 * @param scrapes scrapes tried, answered or not
 */
public record ServerTelemetry(List<String> columns, List<Point> points, List<GpuSample> gpus, int scrapes) {
  public ServerTelemetry {
    columns = List.copyOf(columns);
    points = List.copyOf(points);
    gpus = List.copyOf(gpus);
  }

  /** One scrape: seconds from the first send (negative before it), our series' values (absent: not on the page). */
  public record Point(double timeSec, Map<String, Double> values) {
    public Point {
      values = Map.copyOf(values);
    }
  }

  /** One GPU sample (MiB, percent), all the machine's GPUs at one instant. */
  public record GpuSample(double timeSec, List<Gpu> gpus) {
    public GpuSample {
      gpus = List.copyOf(gpus);
    }
  }

  /** One GPU in a sample; NaN for a figure nvidia-smi could not give. */
  public record Gpu(int index, double memoryUsedMib, double memoryTotalMib, double utilizationPct) {}

  public boolean empty() {
    return points.isEmpty() && gpus.isEmpty();
  }
}
