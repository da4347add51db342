package dev.llmbench.report.stats;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.SteadyState;
import dev.llmbench.report.model.TimeSlice;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a group's figures move over its run: its time slices and its steady-state window. Post-run
 * analysis of the side file's rows only. Times are taken on the monotonic clock ({@code sentNanos},
 * a request's end is {@code sentNanos + e2e}), from the group's first send, as
 * {@link ServingMetrics}' duration is; a measured request never sent ({@code sentEpochMicros == 0})
 * has no time, so it is in no slice and no window (the group's figures count it as failed).
 *
 * <p><b>Time slices</b> ({@code -Dslice.sec}): slice {@code i} covers {@code [i * len, (i + 1) * len)}
 * seconds from the group's first send, and a request belongs to the slice its send falls in, as AIPerf
 * assigns a record to a slice by its {@code request_start_ns} ({@code TimesliceMetricResultsProcessor.
 * get_timeslice_index}: {@code int(request_start_ns / slice_duration_ns)}); its latencies count there
 * even when it ends in a later slice. So every sent measured request is in exactly one slice. Unlike
 * AIPerf, which lists only slices that hold a record, an empty slice between two others is listed
 * (with zeros) so a slice's index is its place in time. A slice's throughputs are its completed requests
 * and their output tokens over its span, from its first send to its last end (AIPerf derives a slice's
 * throughput from its own records' first request and last response likewise), by
 * {@link ServingFormulas#throughputs}. Its in-flight average counts every request of the group over
 * the part of {@code [send, end]} that falls in the slice, over the slice's length (the last slice ends
 * at the group's last end).
 *
 * <p><b>Steady state</b> (always): the requests in flight form a step function of time (each request
 * from its send to its end). The <i>plateau</i> is 90 % of the median of the in-flight count seen at
 * each send (the count just after that send), rounded up, at least 1. The window starts at the first send
 * at which the in-flight count reaches the plateau (the ramp-up before it is left out) and ends at the
 * group's last send (the drain after it, when no request replaces one that ends, is left out). The window
 * holds the measured requests sent within it; their TTFT, TPOT and E2E are the window's latencies. Its
 * throughputs are the requests (and their output tokens) that completed within the window, whichever
 * request they were, over the window's length; 0 when the window has no length (one send). The rule is
 * deterministic (no fitted threshold, no random bootstrap) and needs no property; AIPerf's steady-state
 * analyzer instead detects the window with CUSUM and MSER-5 on its concurrency sweep line and keeps
 * the records wholly inside it, which a short smoke run gives too few points for. For a closed-model run
 * (N requests, C at once) the window is from about the C-th send to the last send, while C are in flight;
 * for an open-model run, from when arrivals have filled the server to their end.
 */
public final class TimeSlices {

  /** Most slices of one group: more would make summary.json a time series, not a summary. */
  static final int MAX_SLICES = 100_000;

  /** Share of the median in-flight count from which concurrency is on its plateau. */
  static final double PLATEAU_SHARE = 0.9;

  private TimeSlices() {}

  /**
   * The slice length a run's load parameters record ({@code sliceSec}), in seconds; null when none.
   *
   * @throws IllegalArgumentException when the recorded value is not a positive number
   */
  public static Double sliceSec(RunMetadata metadata) {
    String recorded = metadata.parameters().get("sliceSec");
    if (recorded == null) {
      return null;
    }
    double s;
    try {
      s = Double.parseDouble(recorded);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("llm-run.json: sliceSec \"" + recorded + "\" is not a number; "
          + "record a slice length in seconds such as 1.0", e);
    }
    if (!(s > 0)) {
      throw new IllegalArgumentException("llm-run.json: sliceSec must be > 0, but was " + recorded);
    }
    return s;
  }

  /**
   * A group's timeline.
   *
   * @param results the group's rows (warm-ups are left out)
   * @param sliceSec the slice length in seconds; null for no slices
   */
  public static GroupTimeline of(String group, List<RequestResult> results, Double sliceSec) {
    List<Timed> timed = timed(results);
    return new GroupTimeline(group, steadyState(timed),
        sliceSec == null ? List.of() : slices(timed, sliceSec));
  }

  /** Each group's timeline, in the groups' order. */
  public static List<GroupTimeline> byGroup(List<String> groups, List<RequestResult> results, Double sliceSec) {
    List<GroupTimeline> out = new ArrayList<>();
    for (String g : groups) {
      out.add(of(g, results.stream().filter(r -> r.group().equals(g)).toList(), sliceSec));
    }
    return out;
  }

  /** A sent measured request with its send and end in ns from the group's first send. */
  record Timed(RequestResult r, long start, long end) {}

  static List<Timed> timed(List<RequestResult> results) {
    List<RequestResult> sent = results.stream().filter(r -> !r.warmup() && r.sentEpochMicros() != 0).toList();
    if (sent.isEmpty()) {
      return List.of();
    }
    long first = sent.get(0).sentNanos();
    for (RequestResult r : sent) {
      // nanoTime values are compared by difference: they may wrap.
      first = r.sentNanos() - first < 0 ? r.sentNanos() : first;
    }
    List<Timed> out = new ArrayList<>();
    for (RequestResult r : sent) {
      long start = r.sentNanos() - first;
      out.add(new Timed(r, start, start + r.e2eMicros() * 1_000));
    }
    out.sort((a, b) -> Long.compare(a.start, b.start));
    return out;
  }

  private static List<TimeSlice> slices(List<Timed> timed, double sliceSec) {
    if (timed.isEmpty()) {
      return List.of();
    }
    long len = Math.max(1, Math.round(sliceSec * 1e9));
    long lastEnd = 0;
    for (Timed t : timed) {
      lastEnd = Math.max(lastEnd, t.end);
    }
    long slices = timed.get(timed.size() - 1).start / len + 1;
    if (slices > MAX_SLICES) {
      double sends = timed.get(timed.size() - 1).start / 1e9;
      throw new IllegalArgumentException("slice.sec " + sliceSec + " cuts a group's " + sends + " s of sends into "
          + slices + " slices, more than " + MAX_SLICES + "; give a longer -Dslice.sec");
    }
    int count = (int) slices;
    List<List<Timed>> members = new ArrayList<>();
    double[] inFlightNs = new double[count];
    for (int i = 0; i < count; i++) {
      members.add(new ArrayList<>());
    }
    long[] sliceEnd = new long[count];
    for (int i = 0; i < count; i++) {
      sliceEnd[i] = i == count - 1 ? Math.min(lastEnd, (long) (i + 1) * len) : (long) (i + 1) * len;
    }
    for (Timed t : timed) {
      members.get((int) (t.start / len)).add(t);
      for (int i = (int) (t.start / len); i < count && (long) i * len < t.end; i++) {
        inFlightNs[i] += Math.min(t.end, sliceEnd[i]) - Math.max(t.start, (long) i * len);
      }
    }
    List<TimeSlice> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GroupMetrics f = figures(members.get(i));
      long from = (long) i * len;
      long span = 0;
      if (!members.get(i).isEmpty()) {
        long last = 0;
        for (Timed t : members.get(i)) {
          last = Math.max(last, t.end);
        }
        span = last - members.get(i).get(0).start;
      }
      ServingFormulas.Throughputs tp = ServingFormulas.throughputs(f.completed(), f.totalInputTokens(),
          f.totalOutputTokens(), span / 1e9);
      long length = sliceEnd[i] - from;
      out.add(new TimeSlice(i, from / 1e9, sliceEnd[i] / 1e9, members.get(i).size(), f.completed(), f.failed(),
          tp.requests(), tp.output(), f.ttftMs(), f.tpotMs(), f.itlMs(), f.e2eMs(),
          length > 0 ? inFlightNs[i] / length : 0));
    }
    return out;
  }

  private static SteadyState steadyState(List<Timed> timed) {
    if (timed.isEmpty()) {
      return null;
    }
    int[] atSend = inFlightAtSends(timed);
    double[] sorted = Arrays.stream(atSend).asDoubleStream().sorted().toArray();
    int plateau = Math.max(1, (int) Math.ceil(PLATEAU_SHARE * Numpy.median(sorted) - 1e-9));
    long from = timed.get(timed.size() - 1).start;
    for (int i = 0; i < timed.size(); i++) {
      if (atSend[i] >= plateau) {
        from = timed.get(i).start;
        break;
      }
    }
    long to = timed.get(timed.size() - 1).start;
    List<Timed> held = new ArrayList<>();
    long endedOk = 0;
    long endedOutput = 0;
    for (Timed t : timed) {
      if (t.start >= from && t.start <= to) {
        held.add(t);
      }
      if (t.r.ok() && t.end >= from && t.end <= to) {
        endedOk++;
        endedOutput += t.r.outputTokens();
      }
    }
    GroupMetrics f = ServingMetrics.withoutChunks(group(held), rows(held)); // it reports no ITL
    double seconds = (to - from) / 1e9;
    ServingFormulas.Throughputs tp = ServingFormulas.throughputs(endedOk, 0, endedOutput, seconds);
    return new SteadyState(from / 1e9, to / 1e9, plateau, held.size(), f.completed(), tp.requests(), tp.output(),
        f.ttftMs(), f.tpotMs(), f.e2eMs());
  }

  /**
   * The in-flight count just after each send (in send order): the requests sent so far that have not
   * ended. A request that ends at the very instant of a send is no longer in flight then.
   */
  static int[] inFlightAtSends(List<Timed> timed) {
    long[] ends = timed.stream().mapToLong(Timed::end).sorted().toArray();
    int[] out = new int[timed.size()];
    int ended = 0;
    for (int i = 0; i < timed.size(); i++) {
      while (ended < ends.length && ends[ended] <= timed.get(i).start) {
        ended++;
      }
      out[i] = i + 1 - ended;
    }
    return out;
  }

  /** Counts, tokens and latencies of some of a group's requests, by the group's rules ({@link ServingMetrics#of}). */
  private static GroupMetrics figures(List<Timed> timed) {
    return ServingMetrics.of(group(timed), rows(timed));
  }

  private static String group(List<Timed> timed) {
    return timed.isEmpty() ? "" : timed.get(0).r().group();
  }

  private static List<RequestResult> rows(List<Timed> timed) {
    return timed.stream().map(Timed::r).toList();
  }
}
