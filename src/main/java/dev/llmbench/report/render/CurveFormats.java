package dev.llmbench.report.render;

import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.stats.LatencyThroughput;
import dev.llmbench.report.stats.LatencyThroughput.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency–throughput curve of a request-rate sweep ({@link LatencyThroughput}) as the result folder
 * gives it: {@code latency-throughput.png}, two charts side by side (output throughput against TTFT, and
 * against TPOT, each with p50, p99 and the p99's Pareto frontier), and on the result page the same image
 * inline with a table of the points.
 */
public final class CurveFormats {
  /** The file of a sweep's result folder. */
  public static final String FILE_NAME = "latency-throughput.png";

  /** The image's width in pixels: two charts of half of it each. */
  public static final int WIDTH = 900;

  /** The image's height in pixels. */
  public static final int HEIGHT = 500;

  /** The table's columns as the page heads them. */
  static final List<String> HEADER = List.of("Group", "Rate (req/s)", "Output (tok/s)", "TTFT p50 (ms)",
      "TTFT p99 (ms)", "TPOT p50 (ms)", "TPOT p99 (ms)", "Pareto (TTFT p99)", "Pareto (TPOT p99)");

  /** The columns' heads of the run's curve: its load's is the rate's or, for concurrency steps, the streams'. */
  static List<String> header(RunSummary s) {
    List<Point> points = LatencyThroughput.of(s);
    if (points.isEmpty() || !points.get(0).concurrency()) {
      return HEADER;
    }
    List<String> h = new ArrayList<>(HEADER);
    h.set(1, "Concurrency");
    return List.copyOf(h);
  }

  static {
    // The charts are drawn into an image, never a window: a report on a machine whose DISPLAY is set but
    // unreachable (ssh -X gone) must not fail. A user's own choice of the property stands.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private CurveFormats() {}

  /** Whether the run has a curve: two or more rate groups with a measured TTFT. */
  public static boolean applies(RunSummary s) {
    return LatencyThroughput.of(s).size() >= 2;
  }

  /** Writes {@link #FILE_NAME}'s image, {@link #WIDTH} by {@link #HEIGHT} pixels, to {@code file}. */
  public static void png(RunSummary s, Path file) throws IOException {
    Files.write(file, pngBytes(s));
  }

  /** The image as PNG bytes. */
  static byte[] pngBytes(RunSummary s) throws IOException {
    List<Point> points = LatencyThroughput.of(s);
    BufferedImage left = BitmapEncoder.getBufferedImage(chart(points, "TTFT", Point::ttftP50Ms, Point::ttftP99Ms,
        Point::ttftPareto));
    BufferedImage right = BitmapEncoder.getBufferedImage(chart(points, "TPOT", Point::tpotP50Ms, Point::tpotP99Ms,
        Point::tpotPareto));
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.drawImage(left, 0, 0, null);
      g.drawImage(right, WIDTH / 2, 0, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer in this JVM (javax.imageio); " + FILE_NAME + " cannot be written");
    }
    return out.toByteArray();
  }

  /** The image as the page's {@code <img src>}: a data URI, so the page stays one self-contained file. */
  static String dataUri(RunSummary s) throws IOException {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(pngBytes(s));
  }

  /** The table's cells, one list per point, in {@link LatencyThroughput#ORDER}. */
  static List<List<String>> cells(RunSummary s) {
    List<List<String>> rows = new ArrayList<>();
    for (Point p : LatencyThroughput.of(s)) {
      rows.add(List.of(p.group(), Double.isInfinite(p.rate()) ? "inf" : p.concurrency() ? fixed(p.rate(), 0)
          : fixed(p.rate(), 2),
          fixed(p.outputThroughput(), 1), fixed(p.ttftP50Ms(), 1), fixed(p.ttftP99Ms(), 1), fixed(p.tpotP50Ms(), 2),
          fixed(p.tpotP99Ms(), 2), p.ttftPareto() ? "yes" : "no", p.tpotPareto() ? "yes" : "no"));
    }
    return rows;
  }

  /** One half of the image: output throughput (x) against a latency's p50 and p99 (y), the p99's frontier marked. */
  private static XYChart chart(List<Point> points, String metric, ToDoubleFunction<Point> p50,
      ToDoubleFunction<Point> p99, Predicate<Point> pareto) {
    XYChart chart = new XYChartBuilder().width(WIDTH / 2).height(HEIGHT)
        .title(metric + " against output throughput").xAxisTitle("Output throughput (tok/s)")
        .yAxisTitle(metric + " (ms)").build();
    chart.getStyler().setLocale(Locale.ROOT); // axis labels independent of the machine's locale
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(8);
    // The points joined in rate order: the path the server takes as the load grows.
    double[] x = points.stream().mapToDouble(Point::outputThroughput).toArray();
    chart.addSeries(metric + " p50", x, points.stream().mapToDouble(p50).toArray())
        .setMarker(SeriesMarkers.CIRCLE);
    chart.addSeries(metric + " p99", x, points.stream().mapToDouble(p99).toArray())
        .setMarker(SeriesMarkers.SQUARE);
    List<Point> front = points.stream().filter(pareto)
        .sorted((a, b) -> Double.compare(a.outputThroughput(), b.outputThroughput())).toList();
    XYSeries frontier = chart.addSeries("Pareto frontier (p99)",
        front.stream().mapToDouble(Point::outputThroughput).toArray(), front.stream().mapToDouble(p99).toArray());
    frontier.setMarker(SeriesMarkers.DIAMOND);
    frontier.setMarkerColor(Color.RED);
    frontier.setLineColor(Color.RED);
    frontier.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
        new float[] {6f, 4f}, 0f));
    return chart;
  }

  private static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
