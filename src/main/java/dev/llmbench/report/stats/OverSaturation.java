package dev.llmbench.report.stats;

import dev.llmbench.metrics.LinearFit;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Over-saturation of an open-model group, judged after the run: did the server fall behind the
 * arrivals, and since when? Post-run analysis of the side file's rows; times are taken as
 * {@link TimeSlices} takes them, in seconds from the group's first send.
 *
 * <p><b>The rule.</b> Two series, each point at a request's send: the in-flight count just after the
 * send (requests sent and not yet ended, as the steady state counts them) and, for each completed
 * generation request, its TTFT. The sends are cut into sliding windows of width {@code w = max(10 % of
 * the span from first to last send, the span / n * 5)} ({@link #WINDOW_SHARE}, {@link #MIN_POINTS}:
 * at least 5 requests a window on average), starting every {@code w / 2}, the last one ending at the
 * last send. In each window an ordinary least-squares line is fitted to each series against send time
 * ({@link LinearFit}); a window <i>rises</i> when it holds at least 5 points of each series and both
 * slopes are positive with their 95 % confidence interval above 0 ({@link LinearFit#ci95()}). The group
 * is <b>saturated</b> when its last {@link #MIN_RISING_WINDOWS} windows or more all rise, and it is so
 * from the start of the first window of that run of rising windows. The slopes reported are fitted on
 * all the points from then to the last send (when not saturated: on the last window). A group of fewer
 * than 10 sent requests, or whose sends all happen at once, is not judged. The rule is {@link #judge}, on
 * plain point series: {@link #of} gives it a finished group's rows, {@code llm.run.SaturationWatch} the
 * points of a phase as it runs.
 *
 * <p><b>Against GuideLLM.</b> GuideLLM stops a benchmark on over-saturation
 * ({@code guidellm/scheduler/constraints/over_saturation.py}, {@code OverSaturationDetector}): it fits
 * the in-flight count at each request's start and each finished request's TTFT against time with OLS over
 * a sliding window (at most 120 s and 75 % of the requests), and alerts when both slopes are positive with a
 * relative margin of error {@code t(0.975) * SE / slope} below its threshold ({@code SlopeChecker}, at least
 * 5 points). We follow it in the two series, OLS with a Student-t interval and the 5-point minimum; our
 * "interval above 0" is its margin of error below 1 (its detector's default threshold is 2, which lets the
 * interval reach below 0). We depart where a post-run verdict allows better or GuideLLM's gates assume a
 * long run on a real GPU: the windows are a share of the group, not 120 s (a smoke run lasts seconds);
 * both series are placed at the send (so TTFT rises with the send time of the requests that waited, and
 * the start time is an arrival time); the degrees of freedom are the points' (GuideLLM caps them at the
 * elapsed seconds and waits 30 s); there is no absolute TTFT gate (it requires half the TTFTs above 2.5 s).
 * Instead of those gates, the rise must last to the group's end over at least three overlapping windows,
 * so a ramp-up or a burst that the server absorbs is not flagged. A group with a concurrency limit
 * ({@code -Dmax.concurrency}) that its arrivals outrun keeps at most that many in flight, and its backlog
 * waits in the load generator, not in the server: the in-flight count cannot rise, so it is not flagged.
 */
public final class OverSaturation {

  /** The windows' width as a share of the span of sends. */
  static final double WINDOW_SHARE = 0.1;

  /** Fewest points of each series a window needs (GuideLLM's {@code minimum_window_size}). */
  static final int MIN_POINTS = 5;

  /** Fewest windows that must rise, one after another to the group's end. */
  static final int MIN_RISING_WINDOWS = 3;

  private OverSaturation() {}

  /**
   * Whether the run's arrivals were scheduled for this group (open model): a finite recorded request
   * rate. A run that records one rate gives it to every group; a run of several names each group
   * {@code <name>@rate=<rate>}. False when the run recorded no rate (a simulation with its own
   * injection, a pooling run), for {@code inf} (every request due at once) and for an unknown group.
   */
  public static boolean openModel(RunMetadata metadata, String group) {
    String recorded = metadata.parameters().get("requestRates");
    if (recorded == null) {
      return false;
    }
    List<String> rates = new ArrayList<>();
    for (String part : recorded.replaceAll("[\\[\\]\"]", "").split(",")) {
      if (!part.isBlank()) {
        rates.add(part.trim());
      }
    }
    String rate;
    if (rates.size() == 1) {
      rate = rates.get(0);
    } else {
      int at = group.lastIndexOf("@rate=");
      if (at < 0) {
        return false;
      }
      rate = group.substring(at + "@rate=".length());
    }
    try {
      double r = Double.parseDouble(rate);
      return Double.isFinite(r) && r > 0;
    } catch (NumberFormatException e) {
      return false; // "inf", or not a rate
    }
  }

  /**
   * The verdict on a group's rows (warm-ups and unsent requests left out); null when not judged (fewer
   * than 10 sent requests, or all sent at once).
   */
  public static Saturation of(List<RequestResult> results) {
    List<TimeSlices.Timed> timed = TimeSlices.timed(results);
    int n = timed.size();
    if (n < 2 * MIN_POINTS) {
      return null;
    }
    int[] inFlight = TimeSlices.inFlightAtSends(timed);
    double[] sendX = new double[n];
    double[] inFlightY = new double[n];
    List<double[]> ttft = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TimeSlices.Timed t = timed.get(i);
      sendX[i] = t.start() / 1e9;
      inFlightY[i] = inFlight[i];
      RequestResult r = t.r();
      if (r.ok() && r.items() == 0 && r.ttftMicros() >= 0) {
        ttft.add(new double[] {sendX[i], r.ttftMicros() / 1_000.0});
      }
    }
    return judge(sendX, inFlightY, ttft.stream().mapToDouble(p -> p[0]).toArray(),
        ttft.stream().mapToDouble(p -> p[1]).toArray());
  }

  /**
   * The rule (the class comment's) on plain point series: the post-run verdict ({@link #of}) and the
   * live one ({@code llm.run.SaturationWatch}) both call it. Null when not judged: fewer than
   * {@code 2 * MIN_POINTS} sends, or all at one time.
   *
   * @param sendX each send's time in seconds from the first send, sorted (so {@code sendX[0]} is 0)
   * @param inFlightY the in-flight count just after each send
   * @param ttftX the send time of each request with a TTFT, on the same clock, any order
   * @param ttftY its TTFT in ms
   */
  public static Saturation judge(double[] sendX, double[] inFlightY, double[] ttftX, double[] ttftY) {
    int n = sendX.length;
    if (inFlightY.length != n || ttftX.length != ttftY.length) {
      throw new IllegalArgumentException("series of unequal lengths: " + n + " sends and " + inFlightY.length
          + " in-flight counts, " + ttftX.length + " TTFT times and " + ttftY.length + " TTFTs");
    }
    if (n < 2 * MIN_POINTS) {
      return null;
    }
    double span = sendX[n - 1];
    if (!(span > 0)) {
      return null;
    }
    double width = span * Math.max(WINDOW_SHARE, (double) MIN_POINTS / n);
    double step = width / 2;
    int windows = Math.max(1, (int) Math.ceil((span - width) / step - 1e-9) + 1);
    boolean[] rising = new boolean[windows];
    double[] starts = new double[windows];
    for (int k = 0; k < windows; k++) {
      starts[k] = Math.min(k * step, span - width);
      double from = starts[k];
      double to = from + width;
      Saturation.Slope a = fit(sendX, inFlightY, from, to);
      Saturation.Slope b = fit(ttftX, ttftY, from, to);
      rising[k] = a.points() >= MIN_POINTS && b.points() >= MIN_POINTS && a.rising() && b.rising();
    }
    int first = windows;
    while (first > 0 && rising[first - 1]) {
      first--;
    }
    int risingRun = windows - first;
    boolean saturated = risingRun >= MIN_RISING_WINDOWS;
    double from = saturated ? starts[first] : starts[windows - 1];
    return new Saturation(saturated, saturated ? from : null, width, windows, risingRun, from, span,
        fit(sendX, inFlightY, from, span), fit(ttftX, ttftY, from, span));
  }

  /**
   * The OLS slope of the points whose x is in {@code [from, to]} (a little slack for rounding). On primitive
   * arrays: the live watch fits each window of a growing run every second.
   */
  private static Saturation.Slope fit(double[] x, double[] y, double from, double to) {
    double slack = 1e-9 * Math.max(1, to);
    double lo = from - slack;
    double hi = to + slack;
    int count = 0;
    for (double v : x) {
      if (v >= lo && v <= hi) {
        count++;
      }
    }
    double[] xs = new double[count];
    double[] ys = new double[count];
    for (int i = 0, j = 0; i < x.length; i++) {
      if (x[i] >= lo && x[i] <= hi) {
        xs[j] = x[i];
        ys[j++] = y[i];
      }
    }
    LinearFit f = LinearFit.of(xs, ys);
    LinearFit.Interval ci = f.ci95();
    return new Saturation.Slope(f.slope(), ci.low(), ci.high(), xs.length);
  }
}
