package dev.llmbench.report.stats;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.metrics.Slo;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.Goodput;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.Histogram;
import dev.llmbench.report.model.RequestRow;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The serving metrics of one group (profile/config) of a run, as SGLang {@code bench_serving.py}'s
 * {@code calculate_metrics} defines them; pure aggregation of side-file rows ({@link RequestResult}),
 * no I/O. Warm-up requests are left out of everything. The per-request values (TTFT, TPOT, ITL, E2E)
 * are the side file's, computed by {@link ServingFormulas}; this class only aggregates them.
 *
 * <ul>
 *   <li><b>completed</b>: measured requests with {@code ok}; <b>failed</b>: the others.
 *   <li><b>total_input_tokens</b>: sum of {@code promptTokens} of completed requests (the server's usage
 *       figure when it sent one, else the planned length; bench_serving sums its dataset's nominal
 *       length, which is {@code total_input_tokens_planned} here). <b>total_output_tokens</b>: sum of
 *       {@code outputTokens} of completed requests (failed requests count 0, as in bench_serving).
 *   <li><b>duration</b>: from the first send to the last end (send + E2E) among the group's measured
 *       requests that were sent (failed ones included), in seconds, on the monotonic clock
 *       ({@code sentNanos}). bench_serving times the whole benchmark from after its warm-up to the last
 *       response, which for one group is the same span up to its scheduling slack. A request never sent
 *       ({@code sentEpochMicros == 0}) is counted as failed but does not bound the duration.
 *   <li><b>request/input/output/total throughput</b>: completed, total input, total output, and input
 *       plus output tokens, each divided by the duration; 0 when the duration is 0.
 *   <li><b>TTFT, E2E</b>: one value per completed request. <b>TPOT</b>: completed requests with more
 *       than one output token ({@code (e2e - ttft) / (output - 1)}). <b>ITL</b>: every gap between
 *       content chunks of completed requests, one per chunk whatever its token count (bench_serving's
 *       OpenAI clients). All in ms; mean, median, std, p90, p95, p99, max (see {@link Numpy}).
 *   <li><b>concurrency</b>: sum of completed requests' E2E over the duration.
 *   <li><b>Pooling requests</b> (SGLang's and vLLM's {@code /v1/score}, {@code /v1/rerank},
 *       {@code /v1/embeddings}: {@code items > 0}) have one answer and no stream: only E2E (the
 *       request's latency), and <b>items per second</b> (IPS, the scoring runbook's throughput): the
 *       completed requests' items over the duration. They add nothing to TTFT, TPOT, ITL or chunks.
 *   <li>Beyond bench_serving: <b>ITL per token</b> (a chunk of k tokens contributes gap / k, k times,
 *       {@link ServingFormulas#itlPerToken}; bench_serving's view for SGLang's native API), <b>tokens per
 *       chunk</b> (each content chunk of completed requests), <b>error rate</b> (failed / measured, 0
 *       when nothing was measured) and <b>errors by message</b>. Tokens per chunk are known when the
 *       side file lists them ({@code chunkTokens}: SGLang's native API says them), or when the output
 *       tokens equal the chunks (one token each). A request whose chunks carried more tokens than that
 *       without saying how many each (OpenAI-style streams of merged tokens: usage says 32 tokens in 9
 *       chunks) is left out of both and counted in {@code chunkTokensUnknown}, rather than be taken as
 *       one token per chunk, which would make ITL per token equal ITL.
 *   <li><b>Goodput</b>, only when the run had service-level objectives ({@code -Dslo}, recorded as
 *       {@code slo} among the load parameters), as vLLM's {@code --goodput} defines it: a completed
 *       request is good when every objective {@code s} given holds {@code s >= r} for its TTFT, TPOT
 *       (0 for a request of at most one output token: {@link ServingFormulas#goodputTpot}) and E2E
 *       latency ({@link ServingFormulas#goodRequest}). <b>request_goodput</b>: good requests over the
 *       duration; <b>output_token_goodput</b>: their output tokens over the duration; <b>slo_attainment</b>:
 *       good over measured requests (a failed request is never good). A pooling request has no first
 *       token: only an E2E objective applies to it, and a pooling group without one has no goodput.
 *   <li><b>Client queue time</b>, as vLLM's {@code bench serve} reports it under {@code --max-concurrency}
 *       ({@code client_queue_time}): per completed request whose scheduled arrival is known (its
 *       {@code queueMicros}, a phase with a schedule or a concurrency limit), its send minus its arrival
 *       ({@link ServingFormulas#clientQueue}); null when no completed request has one. <b>E2E including
 *       client queue</b> ({@code e2el_including_client_queue}): E2E plus that queue time
 *       ({@link ServingFormulas#e2eIncludingClientQueue}), of the same requests, only for a group whose
 *       arrivals were scheduled at a finite rate ({@link OverSaturation#openModel}, from the run's recorded
 *       request rate); with {@code request.rate=inf} every request arrives at the start, and E2E from
 *       there says only how long the run had lasted, so vLLM leaves it out too.
 * </ul>
 */
public final class ServingMetrics {
  /** Message under which a failed request without an error message is counted. */
  public static final String NO_MESSAGE = "(no error message)";

  private ServingMetrics() {}

  /**
   * The metrics of one group.
   *
   * @param group the group's name
   * @param results the group's rows, warm-ups included or not (they are left out)
   * @throws IllegalArgumentException if a measured row belongs to another group
   */
  public static GroupMetrics of(String group, List<RequestResult> results) {
    return of(group, results, null);
  }

  /**
   * The metrics of one group, with its goodput against these objectives.
   *
   * @param slo the run's service-level objectives; null for none (no goodput)
   */
  public static GroupMetrics of(String group, List<RequestResult> results, Slo slo) {
    return of(group, results, slo, false);
  }

  /**
   * The metrics of one group, with its goodput against these objectives, and E2E including the client
   * queue when its arrivals were scheduled at a finite rate.
   *
   * @param scheduled whether the group's arrivals were scheduled at a finite rate ({@link OverSaturation#openModel})
   */
  public static GroupMetrics of(String group, List<RequestResult> results, Slo slo, boolean scheduled) {
    return of(group, results, slo, scheduled, true);
  }

  /**
   * {@link #of(String, List)} without the per-chunk figures: ITL, ITL per token and tokens per chunk are
   * empty. For a window of a group that reports none of them (the steady state,
   * {@link TimeSlices}): they are most of the values, and of the work.
   */
  static GroupMetrics withoutChunks(String group, List<RequestResult> results) {
    return of(group, results, null, false, false);
  }

  private static GroupMetrics of(String group, List<RequestResult> results, Slo slo, boolean scheduled,
      boolean chunks) {
    return of(group, results, slo, scheduled, chunks, null);
  }

  /** As above; {@code samples}, when not null, receives the group's sorted samples. */
  private static GroupMetrics of(String group, List<RequestResult> results, Slo slo, boolean scheduled,
      boolean chunks, Map<String, SortedSamples> samples) {
    List<RequestResult> measured = measured(group, results);
    Tally t = new Tally(slo, chunks);
    measured.forEach(t::add);
    if (samples != null) {
      samples.put(group, new SortedSamples(t.ttft.sorted(), t.tpot.sorted(), t.itl.sorted()));
    }
    double duration = durationSeconds(measured);
    ServingFormulas.Throughputs throughputs = ServingFormulas.throughputs(t.completed, t.input, t.output, duration);
    return new GroupMetrics(group, t.completed, t.failed, t.input, t.inputPlanned, t.output, duration,
        throughputs.requests(), throughputs.input(), throughputs.output(), throughputs.total(),
        ServingFormulas.perSecond(t.e2eSumMs / 1_000, duration), ServingFormulas.errorRate(t.failed, measured.size()),
        t.ttft.distribution(), t.tpot.distribution(), t.itl.distribution(), t.e2e.distribution(),
        t.itlPerToken().distribution(), t.chunkTokens.distribution(), t.errorCounts(), t.ttft.histogram(),
        t.tpot.histogram(), t.itl.histogram(), t.chunkTokensUnknown, t.items, ServingFormulas.perSecond(t.items, duration),
        goodput(slo, t, measured.size(), duration), t.queue.isEmpty() ? null : t.queue.distribution(),
        t.queue.isEmpty() || !scheduled ? null : t.e2eWithQueue.distribution());
  }

  /** The group's goodput; null without objectives, or for a pooling group without an E2E objective. */
  private static Goodput goodput(Slo slo, Tally t, long measured, double duration) {
    if (slo == null || t.items > 0 && slo.forPooling() == null) {
      return null;
    }
    return new Goodput(t.good, ServingFormulas.perSecond(t.good, duration),
        ServingFormulas.perSecond(t.goodOutput, duration), measured == 0 ? 0 : (double) t.good / measured);
  }

  /**
   * Whether a request is good against these objectives ({@link ServingFormulas#goodRequest}): completed,
   * and meeting every objective that applies to it (E2E alone for a pooling request; none applies to one
   * when the objectives have no E2E, and it is then not good). Shared with the baseline's bootstrap.
   */
  public static boolean good(RequestResult r, Slo slo) {
    if (!r.ok()) {
      return false;
    }
    if (r.items() > 0) {
      Slo pooling = slo.forPooling();
      return pooling != null && ServingFormulas.goodRequest(pooling, Double.NaN, Double.NaN, ms(r.e2eMicros()));
    }
    return ServingFormulas.goodRequest(slo, ms(r.ttftMicros()),
        ServingFormulas.goodputTpot(r.outputTokens(), r.tpotMicros()) / 1_000, ms(r.e2eMicros()));
  }

  /**
   * The objectives a run's load parameters record ({@code slo}, canonical); null when it has none.
   *
   * @throws IllegalArgumentException when the recorded value is not a valid SLO
   */
  public static Slo slo(RunMetadata metadata) {
    String recorded = metadata.parameters().get("slo");
    if (recorded == null) {
      return null;
    }
    try {
      return Slo.parse(recorded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("llm-run.json: slo \"" + recorded + "\" " + e.getMessage()
          + "; give objectives in ms such as ttft:200,tpot:50,e2el:20000", e);
    }
  }

  /** The group's rows without warm-ups; a measured row of another group is a caller's mistake. */
  private static List<RequestResult> measured(String group, List<RequestResult> results) {
    List<RequestResult> measured = new ArrayList<>();
    for (RequestResult r : results) {
      if (r.warmup()) {
        continue;
      }
      if (!r.group().equals(group)) {
        throw new IllegalArgumentException("request " + r.requestId() + " is in group '" + r.group()
            + "', not in '" + group + "'");
      }
      measured.add(r);
    }
    return measured;
  }

  /**
   * The {@code p}-th percentile ({@link Numpy#percentile}) of the group's TTFT, TPOT and E2E, in ms,
   * keyed as the objectives are ({@code ttft}, {@code tpot}, {@code e2el}), over the same requests as
   * their distributions (completed; TPOT those with more than one output token); NaN where there are
   * none. What a capacity search compares with its objectives.
   */
  public static Map<String, Double> percentiles(String group, List<RequestResult> results, double p) {
    Tally t = new Tally(null, false);
    measured(group, results).forEach(t::add);
    Map<String, Double> at = new LinkedHashMap<>();
    at.put("ttft", t.ttft.percentile(p));
    at.put("tpot", t.tpot.percentile(p));
    at.put("e2el", t.e2e.percentile(p));
    return at;
  }

  /** The counts, token sums and pooled per-request values of a group's measured rows, in their order. */
  private static final class Tally {
    final Slo slo;
    long completed;
    long good;
    long goodOutput;
    long failed;
    long input;
    long inputPlanned;
    long output;
    long chunkTokensUnknown;
    long items;
    double e2eSumMs;
    final Values ttft = new Values();
    final Values tpot = new Values();
    final Values e2e = new Values();
    final Values itl = new Values();
    /** ITL per token of the requests whose chunks were not all of one token; see {@link #itlPerToken()}. */
    private final Values itlPerToken = new Values();
    /**
     * Whether every request so far had one token per chunk (no list of tokens per chunk, and as many
     * output tokens as chunks): its ITL per token is then its ITL, value for
     * value, so {@link #itlPerToken()} is {@link #itl} and the half million values are neither copied
     * nor sorted twice.
     */
    private boolean itlPerTokenIsItl = true;
    /** The requests counted while {@link #itlPerTokenIsItl}, for when a later one ends it. */
    private final List<RequestResult> oneTokenRequests = new ArrayList<>();
    final Values chunkTokens = new Values();
    final Values queue = new Values();
    final Values e2eWithQueue = new Values();
    final Map<String, Long> errors = new TreeMap<>();

    /** Whether ITL, ITL per token and tokens per chunk are tallied. */
    final boolean chunks;

    Tally(Slo slo, boolean chunks) {
      this.slo = slo;
      this.chunks = chunks;
    }

    void add(RequestResult r) {
      if (!r.ok()) {
        failed++;
        errors.merge(r.error() == null || r.error().isBlank() ? NO_MESSAGE : r.error(), 1L, Long::sum);
        return;
      }
      completed++;
      if (slo != null && good(r, slo)) {
        good++;
        goodOutput += r.outputTokens();
      }
      input += r.promptTokens();
      inputPlanned += r.promptTokensPlanned();
      output += r.outputTokens();
      items += r.items();
      if (r.hasQueueTime()) {
        queue.add(ms(r.queueMicros()));
        e2eWithQueue.add(ms(ServingFormulas.e2eIncludingClientQueue(r.e2eMicros(), r.queueMicros())));
      }
      if (r.items() > 0) {
        // A pooling request: one answer, no tokens streamed, so no TTFT, TPOT, ITL or chunks.
        e2e.add(ms(r.e2eMicros()));
        e2eSumMs += ms(r.e2eMicros());
        return;
      }
      ttft.add(ms(r.ttftMicros()));
      e2e.add(ms(r.e2eMicros()));
      e2eSumMs += ms(r.e2eMicros());
      if (ServingFormulas.countsTowardTpot(r.outputTokens(), r.tpotMicros())) {
        tpot.add(r.tpotMicros() / 1_000);
      }
      if (!chunks) {
        return;
      }
      for (long gap : r.itlMicros()) {
        itl.add(ms(gap));
      }
      addChunks(r);
    }

    /** Tokens per chunk and ITL per token, when the chunks' tokens are known ({@link #tokensPerChunk}). */
    private void addChunks(RequestResult r) {
      int chunks = r.itlMicros().length + 1;
      int[] tokens = tokensPerChunk(r, chunks);
      boolean oneTokenEach = tokens != null && r.chunkTokens() == null;
      if (itlPerTokenIsItl && !oneTokenEach) {
        itlPerTokenIsItl = false;
        itlPerTokenOfOneTokenChunks();
      }
      if (tokens == null) {
        chunkTokensUnknown++;
        return;
      }
      for (int t : tokens) {
        chunkTokens.add((double) t);
      }
      if (itlPerTokenIsItl) {
        oneTokenRequests.add(r); // each gap over one token is the gap: ITL per token is ITL so far
      } else {
        addItlPerToken(r, tokens, chunks);
      }
    }

    private void addItlPerToken(RequestResult r, int[] tokens, int chunks) {
      long[] times = new long[chunks];
      for (int i = 1; i < chunks; i++) {
        times[i] = times[i - 1] + r.itlMicros()[i - 1];
      }
      for (double gap : ServingFormulas.itlPerToken(times, tokens, chunks)) {
        itlPerToken.add(gap / 1_000);
      }
    }

    /**
     * The first request with a list of tokens per chunk, or of unknown tokens per chunk: the requests
     * before it, of one token per chunk, are added now, as {@link ServingFormulas#itlPerToken} would have made them.
     */
    private void itlPerTokenOfOneTokenChunks() {
      for (RequestResult done : oneTokenRequests) {
        int chunks = done.itlMicros().length + 1;
        addItlPerToken(done, tokensPerChunk(done, chunks), chunks);
      }
      oneTokenRequests.clear();
    }

    /** ITL per token ({@link ServingFormulas#itlPerToken}) of the requests whose chunks' tokens are known. */
    Values itlPerToken() {
      return itlPerTokenIsItl ? itl : itlPerToken;
    }

    List<ErrorCount> errorCounts() {
      List<ErrorCount> counts = new ArrayList<>();
      errors.forEach((message, count) -> counts.add(new ErrorCount(message, count)));
      return counts;
    }
  }

  /**
   * {@value Histogram#BINS} equal bins from the minimum to the 99th percentile (numpy's), and the
   * count above it, of an ascending sample.
   */
  static Histogram histogramOfSorted(double[] sorted) {
    if (sorted.length == 0) {
      return Histogram.EMPTY;
    }
    double lower = sorted[0];
    double upper = Numpy.percentile(sorted, 99);
    long[] counts = new long[Histogram.BINS];
    long above = 0;
    double width = (upper - lower) / Histogram.BINS;
    for (double v : sorted) {
      if (v > upper) {
        above++;
      } else if (width == 0) {
        counts[0]++;
      } else {
        counts[Math.min(Histogram.BINS - 1, (int) ((v - lower) / width))]++;
      }
    }
    return new Histogram(lower, width, counts, above);
  }

  /**
   * The metrics of every group among the rows, in the order the run measured them (of each group's
   * first row): the matrix in its configurations' order, rate steps in their rates' (by name,
   * {@code @rate=16} came before {@code @rate=2}).
   */
  public static List<GroupMetrics> byGroup(List<RequestResult> results) {
    return byGroup(results, null);
  }

  /** As {@link #byGroup(List)}, each group with its goodput against these objectives (null: none). */
  public static List<GroupMetrics> byGroup(List<RequestResult> results, Slo slo) {
    return byGroup(results, slo, group -> false);
  }

  /**
   * As {@link #byGroup(List, Slo)}, with E2E including the client queue for the groups whose arrivals
   * were scheduled at a finite rate ({@code scheduled}).
   */
  public static List<GroupMetrics> byGroup(List<RequestResult> results, Slo slo, Predicate<String> scheduled) {
    return byGroup(results, slo, scheduled, null);
  }

  private static List<GroupMetrics> byGroup(List<RequestResult> results, Slo slo, Predicate<String> scheduled,
      Map<String, SortedSamples> samples) {
    Map<String, List<RequestResult>> groups = new LinkedHashMap<>();
    for (RequestResult r : results) {
      if (!r.warmup()) {
        groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
      }
    }
    List<GroupMetrics> metrics = new ArrayList<>();
    groups.forEach((group, rows) -> metrics.add(of(group, rows, slo, scheduled.test(group), true, samples)));
    return metrics;
  }

  /**
   * A run's summary: its metadata, the metrics of each group (with goodput when the metadata's load
   * parameters record objectives, {@link #slo}; with E2E including the client queue when they record a
   * finite request rate for it, {@link OverSaturation#openModel}), each group's steady state and time slices (when they
   * record a slice length: {@link TimeSlices}), for an open-model group whether the server fell behind
   * ({@link OverSaturation}), and one row per request.
   */
  public static RunSummary summarize(RunMetadata metadata, List<RequestResult> results) {
    return summarizeWithSamples(metadata, results).summary();
  }

  /**
   * One group's measured TTFT, TPOT and ITL in ms, each in ascending order: the values its distributions were
   * taken of (successful streaming requests; TPOT where it is defined). Shared arrays, not to be changed.
   */
  public record SortedSamples(double[] ttftMs, double[] tpotMs, double[] itlMs) {}

  /** A run's summary and each group's sorted samples, in the order of its groups. */
  public record Summarized(RunSummary summary, Map<String, SortedSamples> samples) {}

  /**
   * {@link #summarize}, with each group's samples as its distributions sorted them: a chart of every value
   * (the result page's CDFs) takes them from here instead of sorting the half million ITL values again.
   */
  public static Summarized summarizeWithSamples(RunMetadata metadata, List<RequestResult> results) {
    Map<String, SortedSamples> samples = new LinkedHashMap<>();
    List<GroupMetrics> groups = byGroup(results, slo(metadata), group -> OverSaturation.openModel(metadata, group),
        samples);
    List<GroupTimeline> timelines = new ArrayList<>();
    for (GroupTimeline t : TimeSlices.byGroup(groups.stream().map(GroupMetrics::group).toList(), results,
        TimeSlices.sliceSec(metadata))) {
      timelines.add(OverSaturation.openModel(metadata, t.group())
          ? t.withSaturation(OverSaturation.of(results.stream().filter(r -> r.group().equals(t.group())).toList()))
          : t);
    }
    // The offline sweep's table needs every token's stamp, which only the side file's rows carry.
    return new Summarized(new RunSummary(metadata, groups, results.stream().map(RequestRow::of).toList())
        .withTimelines(timelines).withOffline(OfflineTable.of(results)), samples);
  }

  /**
   * First send to last end of the measured requests that were sent, in seconds; 0 when none was.
   * The span is taken on the monotonic clock: {@code sentNanos} to {@code sentNanos + e2e}.
   */
  static double durationSeconds(List<RequestResult> measured) {
    boolean any = false;
    long first = 0;
    long last = 0;
    for (RequestResult r : measured) {
      if (r.warmup() || r.sentEpochMicros() == 0) {
        continue;
      }
      long start = r.sentNanos();
      long end = r.sentNanos() + r.e2eMicros() * 1_000;
      if (!any) {
        first = start;
        last = end;
        any = true;
      } else {
        // nanoTime values are compared by difference: they may wrap.
        first = start - first < 0 ? start : first;
        last = end - last > 0 ? end : last;
      }
    }
    return any ? (last - first) / 1e9 : 0;
  }

  /**
   * Tokens of each content chunk: the side file's list; 1 each when it has none and the output tokens
   * equal the chunks; null (unknown) when the chunks carried more (or fewer) tokens without a list.
   */
  static int[] tokensPerChunk(RequestResult r, int chunks) {
    if (r.chunkTokens() != null) {
      if (r.chunkTokens().length != chunks) {
        throw new IllegalArgumentException("request " + r.requestId() + ": chunkTokens has " + r.chunkTokens().length
            + " entries, expected one per content chunk (" + chunks + ")");
      }
      return r.chunkTokens();
    }
    if (r.outputTokens() != chunks) {
      return null;
    }
    int[] ones = new int[chunks];
    Arrays.fill(ones, 1);
    return ones;
  }

  private static double ms(long micros) {
    return micros / 1_000.0;
  }

}
