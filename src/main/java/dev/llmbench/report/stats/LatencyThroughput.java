package dev.llmbench.report.stats;

import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The latency–throughput curve of a request-rate sweep: one point per rate group ({@code <name>@rate=<rate>},
 * the names a run of several rates gives its groups, as {@link OverSaturation#openModel} reads them), with
 * its output throughput and its TTFT and TPOT (median and p99), and whether the point is on the Pareto
 * frontier: no other point has at least its throughput and at most its p99 latency, and is better in one
 * of the two. The frontier is judged on p99 because that is the latency an SLO bounds; TTFT and TPOT each
 * have their own. A run without two rate groups but with concurrency groups ({@code <name>@concurrency=<c>},
 * a concurrency search's steps) gets the curve of those instead, one point per concurrency.
 */
public final class LatencyThroughput {
  /** Rate groups in the order of their rates, {@code inf} last; then by name (two scenarios at one rate). */
  public static final Comparator<Point> ORDER =
      Comparator.comparingDouble(Point::rate).thenComparing(Point::group);

  private static final String RATE_TAG = "@rate=";
  private static final String CONCURRENCY_TAG = "@concurrency=";

  private LatencyThroughput() {}

  /**
   * One point of the curve.
   *
   * @param group the group's name
   * @param rate the group's request rate, requests per second ({@code Infinity} for {@code inf}); for a
   *     point of a concurrency group, its streams in flight ({@link #concurrency})
   * @param outputThroughput output tokens per second ({@link GroupMetrics#outputThroughput})
   * @param ttftP50Ms median TTFT, ms
   * @param ttftP99Ms p99 TTFT, ms
   * @param tpotP50Ms median TPOT, ms
   * @param tpotP99Ms p99 TPOT, ms
   * @param ttftPareto on the frontier of output throughput against p99 TTFT
   * @param tpotPareto on the frontier of output throughput against p99 TPOT
   */
  public record Point(String group, double rate, double outputThroughput, double ttftP50Ms, double ttftP99Ms,
      double tpotP50Ms, double tpotP99Ms, boolean ttftPareto, boolean tpotPareto) {
    public Point {
      Objects.requireNonNull(group, "group");
    }

    /** Whether the point is a concurrency group's: its {@link #rate} is then streams in flight. */
    public boolean concurrency() {
      return LatencyThroughput.rate(group) == null;
    }
  }

  /**
   * The curve's points of {@code s}, in {@link #ORDER}: its groups named {@code ...@rate=R} that measured a
   * TTFT (a group with no completed streamed request has no latency to place). Empty when there are none.
   */
  public static List<Point> of(RunSummary s) {
    List<Point> byRate = of(s, LatencyThroughput::rate);
    if (byRate.size() >= 2) {
      return byRate;
    }
    List<Point> byConcurrency = of(s, LatencyThroughput::concurrency);
    return byConcurrency.size() >= 2 ? byConcurrency : byRate;
  }

  private static List<Point> of(RunSummary s, java.util.function.Function<String, Double> load) {
    List<GroupMetrics> groups = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    for (GroupMetrics g : s.groups()) {
      Double rate = load.apply(g.group());
      if (rate != null && g.ttftMs().count() > 0) {
        groups.add(g);
        rates.add(rate);
      }
    }
    int n = groups.size();
    double[] throughput = new double[n];
    double[] ttft = new double[n];
    double[] tpot = new double[n];
    for (int i = 0; i < n; i++) {
      throughput[i] = groups.get(i).outputThroughput();
      ttft[i] = groups.get(i).ttftMs().p99();
      tpot[i] = groups.get(i).tpotMs().p99();
    }
    boolean[] ttftFront = frontier(throughput, ttft);
    boolean[] tpotFront = frontier(throughput, tpot);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GroupMetrics g = groups.get(i);
      points.add(new Point(g.group(), rates.get(i), g.outputThroughput(), g.ttftMs().median(), g.ttftMs().p99(),
          g.tpotMs().median(), g.tpotMs().p99(), ttftFront[i], tpotFront[i]));
    }
    points.sort(ORDER);
    return List.copyOf(points);
  }

  /**
   * The streams in flight a concurrency group's name carries ({@code <name>@concurrency=<c>}); null when
   * the name carries none, or one that is not a positive whole number.
   */
  public static Double concurrency(String group) {
    int at = group.lastIndexOf(CONCURRENCY_TAG);
    if (at < 0) {
      return null;
    }
    try {
      int c = Integer.parseInt(group.substring(at + CONCURRENCY_TAG.length()).trim());
      return c > 0 ? (double) c : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The rate a group's name carries ({@code <name>@rate=<rate>}): requests per second, {@code Infinity} for
   * {@code inf}; null when the name carries none, or one that is not a positive number.
   */
  public static Double rate(String group) {
    int at = group.lastIndexOf(RATE_TAG);
    if (at < 0) {
      return null;
    }
    String text = group.substring(at + RATE_TAG.length()).trim();
    if (text.equalsIgnoreCase("inf")) {
      return Double.POSITIVE_INFINITY; // bench_serving's "every request at once": the curve's far end
    }
    try {
      double r = Double.parseDouble(text);
      return r > 0 && !Double.isNaN(r) ? r : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Which points are on the Pareto frontier of throughput (higher is better) against latency (lower is
   * better): point {@code i} is on it unless some point has {@code throughput >= throughput[i]} and
   * {@code latency <= latency[i]}, one of the two strictly. Equal points are all on it.
   *
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public static boolean[] frontier(double[] throughput, double[] latency) {
    if (throughput.length != latency.length) {
      throw new IllegalArgumentException("throughput and latency need one value per point, but had "
          + throughput.length + " and " + latency.length);
    }
    int n = throughput.length;
    boolean[] on = new boolean[n];
    for (int i = 0; i < n; i++) {
      on[i] = true;
      for (int j = 0; j < n && on[i]; j++) {
        boolean noWorse = throughput[j] >= throughput[i] && latency[j] <= latency[i];
        boolean better = throughput[j] > throughput[i] || latency[j] < latency[i];
        if (noWorse && better) {
          on[i] = false;
        }
      }
    }
    return on;
  }
}
