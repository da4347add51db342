package dev.llmbench.report.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The serving metrics of one group (profile/config) of a run, warm-ups excluded, with the meanings of
 * SGLang {@code bench_serving.py}'s result (computed by {@code report.stats.ServingMetrics}, where each
 * definition is documented).
 *
 * @param group the group's name, "" when the run had none
 * @param completed measured requests that succeeded
 * @param failed measured requests that failed
 * @param totalInputTokens prompt tokens of the completed requests
 * @param totalInputTokensPlanned prompt tokens of the completed requests as the load generator planned them
 * @param totalOutputTokens output tokens of the completed requests
 * @param durationSeconds first send to last end of the group's measured requests, seconds
 * @param requestThroughput completed requests per second
 * @param inputThroughput input tokens per second
 * @param outputThroughput output tokens per second
 * @param totalThroughput input plus output tokens per second
 * @param concurrency sum of completed requests' E2E latencies over the duration
 * @param errorRate failed over measured requests, 0 when there were none
 * @param ttftMs time to first token, ms
 * @param tpotMs time per output token after the first, ms (requests with more than one output token)
 * @param itlMs inter-token latency, one gap per content chunk after the first, ms
 * @param e2eMs end-to-end latency, ms
 * @param itlPerTokenMs inter-token latency per token (a chunk of k tokens counts its gap / k, k times), ms,
 *     of the completed requests whose tokens per chunk are known
 * @param tokensPerChunk output tokens carried by each content chunk, of the same requests
 * @param errors failed requests grouped by message, in {@link ErrorCount#ORDER}
 * @param ttftHistogram the shape of the TTFT distribution, for charts
 * @param tpotHistogram the shape of the TPOT distribution, for charts
 * @param itlHistogram the shape of the ITL distribution, for charts
 * @param chunkTokensUnknown completed requests left out of ITL per token and tokens per chunk: their
 *     chunks carried more tokens than one each, but the API did not say how many each (OpenAI-style
 *     streams with merged tokens)
 * @param totalItems items of the completed pooling requests (scored, ranked or embedded; 0 for generation)
 * @param itemThroughput items per second (IPS in the scoring runbook's table): total items over the duration
 * @param goodput goodput and SLO attainment against the run's objectives ({@code -Dslo}); null when the
 *     run had none, or none that applies to the group (a pooling group has only E2E latency to judge)
 * @param clientQueueTimeMs client queue time (vLLM's {@code client_queue_time}), ms: how long completed
 *     requests waited in the load generator after their scheduled arrival before being sent, of those
 *     whose arrival is known (a phase with a schedule or a concurrency limit); null when none is
 * @param e2elIncludingClientQueueMs E2E latency plus client queue time (vLLM's
 *     {@code e2el_including_client_queue}), ms, of the same requests; null unless the group's arrivals
 *     were scheduled at a finite rate (with {@code request.rate=inf} every request "arrives" at the start)
 */
public record GroupMetrics(
    String group,
    long completed,
    long failed,
    long totalInputTokens,
    long totalInputTokensPlanned,
    long totalOutputTokens,
    double durationSeconds,
    double requestThroughput,
    double inputThroughput,
    double outputThroughput,
    double totalThroughput,
    double concurrency,
    double errorRate,
    Distribution ttftMs,
    Distribution tpotMs,
    Distribution itlMs,
    Distribution e2eMs,
    Distribution itlPerTokenMs,
    Distribution tokensPerChunk,
    List<ErrorCount> errors,
    Histogram ttftHistogram,
    Histogram tpotHistogram,
    Histogram itlHistogram,
    long chunkTokensUnknown,
    long totalItems,
    double itemThroughput,
    Goodput goodput,
    Distribution clientQueueTimeMs,
    Distribution e2elIncludingClientQueueMs) {

  public GroupMetrics {
    Objects.requireNonNull(group, "group");
    String where = "group '" + group + "': ";
    nonNegative(where + "completed", completed);
    nonNegative(where + "failed", failed);
    nonNegative(where + "totalInputTokens", totalInputTokens);
    nonNegative(where + "totalInputTokensPlanned", totalInputTokensPlanned);
    nonNegative(where + "totalOutputTokens", totalOutputTokens);
    nonNegative(where + "durationSeconds", durationSeconds);
    nonNegative(where + "requestThroughput", requestThroughput);
    nonNegative(where + "inputThroughput", inputThroughput);
    nonNegative(where + "outputThroughput", outputThroughput);
    nonNegative(where + "totalThroughput", totalThroughput);
    nonNegative(where + "concurrency", concurrency);
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException(where + "errorRate must be in [0, 1], but was " + errorRate);
    }
    for (Distribution d : new Distribution[] {ttftMs, tpotMs, itlMs, e2eMs, itlPerTokenMs, tokensPerChunk}) {
      Objects.requireNonNull(d, where + "a distribution is null");
    }
    List<ErrorCount> sorted = new ArrayList<>(Objects.requireNonNull(errors, where + "errors"));
    sorted.sort(ErrorCount.ORDER);
    long errorTotal = sorted.stream().mapToLong(ErrorCount::count).sum();
    if (errorTotal != failed) {
      throw new IllegalArgumentException(where + "errors must add up to failed = " + failed + ", but add up to "
          + errorTotal);
    }
    if (sorted.stream().map(ErrorCount::message).distinct().count() != sorted.size()) {
      throw new IllegalArgumentException(where + "each error message must appear once, but errors were " + sorted);
    }
    // A pooling request (scoring, embedding) has one answer and no first token: no TTFT.
    if (ttftMs.count() > completed || e2eMs.count() != completed) {
      throw new IllegalArgumentException(where + "E2E must have one value per completed request (" + completed
          + ") and TTFT at most one, but had " + e2eMs.count() + " and " + ttftMs.count());
    }
    nonNegative(where + "totalItems", totalItems);
    nonNegative(where + "itemThroughput", itemThroughput);
    errors = List.copyOf(sorted);
    Objects.requireNonNull(ttftHistogram, "ttftHistogram");
    Objects.requireNonNull(tpotHistogram, "tpotHistogram");
    Objects.requireNonNull(itlHistogram, "itlHistogram");
    if (chunkTokensUnknown < 0 || chunkTokensUnknown > completed) {
      throw new IllegalArgumentException(where + "chunkTokensUnknown must be in [0, completed = " + completed
          + "], but was " + chunkTokensUnknown);
    }
    if (goodput != null && goodput.goodRequests() > completed) {
      throw new IllegalArgumentException(where + "good requests must be at most completed = " + completed
          + ", but were " + goodput.goodRequests());
    }
    if (clientQueueTimeMs != null && clientQueueTimeMs.count() > completed) {
      throw new IllegalArgumentException(where + "client queue time must have at most one value per completed request ("
          + completed + "), but had " + clientQueueTimeMs.count());
    }
    if (e2elIncludingClientQueueMs != null
        && (clientQueueTimeMs == null || e2elIncludingClientQueueMs.count() != clientQueueTimeMs.count())) {
      throw new IllegalArgumentException(where + "E2E including client queue must have one value per client queue time ("
          + (clientQueueTimeMs == null ? "none" : clientQueueTimeMs.count()) + "), but had "
          + e2elIncludingClientQueueMs.count());
    }
  }

  /** Metrics without client queue times (a run without arrivals: no schedule, no concurrency limit). */
  public GroupMetrics(String group, long completed, long failed, long totalInputTokens, long totalInputTokensPlanned,
      long totalOutputTokens, double durationSeconds, double requestThroughput, double inputThroughput,
      double outputThroughput, double totalThroughput, double concurrency, double errorRate, Distribution ttftMs,
      Distribution tpotMs, Distribution itlMs, Distribution e2eMs, Distribution itlPerTokenMs,
      Distribution tokensPerChunk, List<ErrorCount> errors, Histogram ttftHistogram, Histogram tpotHistogram,
      Histogram itlHistogram, long chunkTokensUnknown, long totalItems, double itemThroughput, Goodput goodput) {
    this(group, completed, failed, totalInputTokens, totalInputTokensPlanned, totalOutputTokens, durationSeconds,
        requestThroughput, inputThroughput, outputThroughput, totalThroughput, concurrency, errorRate, ttftMs, tpotMs,
        itlMs, e2eMs, itlPerTokenMs, tokensPerChunk, errors, ttftHistogram, tpotHistogram, itlHistogram,
        chunkTokensUnknown, totalItems, itemThroughput, goodput, null, null);
  }

  /** Metrics without service-level objectives (no goodput). */
  public GroupMetrics(String group, long completed, long failed, long totalInputTokens, long totalInputTokensPlanned,
      long totalOutputTokens, double durationSeconds, double requestThroughput, double inputThroughput,
      double outputThroughput, double totalThroughput, double concurrency, double errorRate, Distribution ttftMs,
      Distribution tpotMs, Distribution itlMs, Distribution e2eMs, Distribution itlPerTokenMs,
      Distribution tokensPerChunk, List<ErrorCount> errors, Histogram ttftHistogram, Histogram tpotHistogram,
      Histogram itlHistogram, long chunkTokensUnknown, long totalItems, double itemThroughput) {
    this(group, completed, failed, totalInputTokens, totalInputTokensPlanned, totalOutputTokens, durationSeconds,
        requestThroughput, inputThroughput, outputThroughput, totalThroughput, concurrency, errorRate, ttftMs, tpotMs,
        itlMs, e2eMs, itlPerTokenMs, tokensPerChunk, errors, ttftHistogram, tpotHistogram, itlHistogram,
        chunkTokensUnknown, totalItems, itemThroughput, null);
  }

  /** Metrics in which every completed request's tokens per chunk are known. */
  public GroupMetrics(String group, long completed, long failed, long totalInputTokens, long totalInputTokensPlanned,
      long totalOutputTokens, double durationSeconds, double requestThroughput, double inputThroughput,
      double outputThroughput, double totalThroughput, double concurrency, double errorRate, Distribution ttftMs,
      Distribution tpotMs, Distribution itlMs, Distribution e2eMs, Distribution itlPerTokenMs,
      Distribution tokensPerChunk, List<ErrorCount> errors, Histogram ttftHistogram, Histogram tpotHistogram,
      Histogram itlHistogram) {
    this(group, completed, failed, totalInputTokens, totalInputTokensPlanned, totalOutputTokens, durationSeconds,
        requestThroughput, inputThroughput, outputThroughput, totalThroughput, concurrency, errorRate, ttftMs, tpotMs,
        itlMs, e2eMs, itlPerTokenMs, tokensPerChunk, errors, ttftHistogram, tpotHistogram, itlHistogram, 0, 0, 0,
        null);
  }

  /** Metrics without histograms (charts then show the summary statistics only). */
  public GroupMetrics(String group, long completed, long failed, long totalInputTokens, long totalInputTokensPlanned,
      long totalOutputTokens, double durationSeconds, double requestThroughput, double inputThroughput,
      double outputThroughput, double totalThroughput, double concurrency, double errorRate, Distribution ttftMs,
      Distribution tpotMs, Distribution itlMs, Distribution e2eMs, Distribution itlPerTokenMs,
      Distribution tokensPerChunk, List<ErrorCount> errors) {
    this(group, completed, failed, totalInputTokens, totalInputTokensPlanned, totalOutputTokens, durationSeconds,
        requestThroughput, inputThroughput, outputThroughput, totalThroughput, concurrency, errorRate, ttftMs, tpotMs,
        itlMs, e2eMs, itlPerTokenMs, tokensPerChunk, errors, Histogram.EMPTY, Histogram.EMPTY, Histogram.EMPTY);
  }

  /** Whether the group's requests were pooling requests (items scored, ranked or embedded), not generations. */
  public boolean pooling() {
    return totalItems > 0;
  }

  /** Whether some completed request's client queue time is known ({@link #clientQueueTimeMs} is given). */
  public boolean hasClientQueue() {
    return clientQueueTimeMs != null;
  }

  /** Whether the group was judged against service-level objectives ({@link #goodput} is given). */
  public boolean hasGoodput() {
    return goodput != null;
  }

  /** Measured requests: completed plus failed. */
  public long measured() {
    return completed + failed;
  }

  private static void nonNegative(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, but was " + value);
    }
  }
}
