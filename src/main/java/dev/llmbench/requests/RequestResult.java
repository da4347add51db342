package dev.llmbench.requests;

/**
 * One request's outcome as the load generator measured it, in microseconds. This is the row of the
 * per-request side file ({@link RequestLogWriter}) that the post-run module reads. The stream side
 * builds it ({@code StreamRecord.toResult}): this package depends on neither side.
 *
 * @param requestId the {@code X-Request-Id} sent with the request
 * @param group the profile/config the request belongs to (Gatling group), or "" when none
 * @param warmup true for warm-up requests, which every statistic leaves out
 * @param ok whether the request succeeded
 * @param error what went wrong, or null
 * @param httpStatus the response status, 0 when none arrived
 * @param sentEpochMicros when the request was sent, microseconds since the epoch
 * @param sentNanos the same instant as a {@link System#nanoTime()} stamp (comparable with other
 *     processes' stamps on the same Linux machine, e.g. the emulator's ground truth)
 * @param promptTokens prompt tokens: the server's usage figure when it sent one, else the planned length
 * @param promptTokensPlanned prompt tokens the load generator built the prompt with
 * @param maxTokens output tokens asked for
 * @param outputTokens output tokens: from usage when the server sent it, else counted from content events
 * @param outputTokensSource {@code usage} or {@code events}
 * @param ttftMicros time to first token, -1 when no content arrived
 * @param e2eMicros end-to-end latency
 * @param tpotMicros time per output token, NaN when output tokens <= 1 or no content arrived
 * @param itlMicros one gap per content event after the first
 * @param chunkTokens tokens per content event when known to differ from 1, else null
 * @param fallbackParses events read by the full JSON parse, not by the byte patterns (0 for the
 *     servers' usual compact chunks; see the stream decoder)
 * @param resends times the request was sent again on a new connection because the reused connection
 *     it was first written to closed before any byte of the answer (0 or 1); its times start at the
 *     last send
 * @param items items a pooling request scored, ranked or embedded in one batch (SGLang's and vLLM's
 *     {@code /v1/score}, {@code /v1/rerank}, {@code /v1/embeddings}); 0 for a generation request
 * @param inputHash a hash of what was asked (hex), kept when answers are compared across requests, else null
 * @param answer what the server answered (scores, or a completion's text), kept for that comparison, else null
 * @param queueMicros client queue time (vLLM's {@code client_queue_time}): the send stamp ({@code sentNanos},
 *     where E2E starts) minus the request's scheduled arrival, at least 0, so that E2E plus it is the
 *     request's end minus its arrival; -1 when unknown (a phase with neither a schedule nor a concurrency
 *     limit, Gatling's own injection, a pooling request, a request never sent)
 * @param cachedTokens prompt tokens the server says it found in its prefix cache (vLLM's
 *     {@code usage.prompt_tokens_details.cached_tokens}, SGLang's {@code meta_info.cached_tokens}); -1 when it
 *     did not say
 */
public record RequestResult(
    String requestId,
    String group,
    boolean warmup,
    boolean ok,
    String error,
    int httpStatus,
    long sentEpochMicros,
    long sentNanos,
    int promptTokens,
    int promptTokensPlanned,
    int maxTokens,
    int outputTokens,
    String outputTokensSource,
    long ttftMicros,
    long e2eMicros,
    double tpotMicros,
    long[] itlMicros,
    int[] chunkTokens,
    int fallbackParses,
    int resends,
    int items,
    String inputHash,
    String answer,
    long queueMicros,
    int cachedTokens) {

  /** How a request's timeout message starts ({@code no complete answer within N s}). */
  public static final String TIMEOUT_PREFIX = "no complete answer within";

  /** A result without the server's cached-token count (the rows of files from before it, pooling requests). */
  public RequestResult(String requestId, String group, boolean warmup, boolean ok, String error, int httpStatus,
      long sentEpochMicros, long sentNanos, int promptTokens, int promptTokensPlanned, int maxTokens,
      int outputTokens, String outputTokensSource, long ttftMicros, long e2eMicros, double tpotMicros,
      long[] itlMicros, int[] chunkTokens, int fallbackParses, int resends, int items, String inputHash,
      String answer, long queueMicros) {
    this(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos, promptTokens,
        promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros, e2eMicros, tpotMicros,
        itlMicros, chunkTokens, fallbackParses, resends, items, inputHash, answer, queueMicros, -1);
  }

  /** A result without a client queue time (a phase without arrivals, and the rows of files from before it). */
  public RequestResult(String requestId, String group, boolean warmup, boolean ok, String error, int httpStatus,
      long sentEpochMicros, long sentNanos, int promptTokens, int promptTokensPlanned, int maxTokens,
      int outputTokens, String outputTokensSource, long ttftMicros, long e2eMicros, double tpotMicros,
      long[] itlMicros, int[] chunkTokens, int fallbackParses, int resends, int items, String inputHash,
      String answer) {
    this(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos, promptTokens,
        promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros, e2eMicros, tpotMicros,
        itlMicros, chunkTokens, fallbackParses, resends, items, inputHash, answer, -1);
  }

  /** A result without fallback parses or re-sends (the rows of files and tests from before the counts). */
  public RequestResult(String requestId, String group, boolean warmup, boolean ok, String error, int httpStatus,
      long sentEpochMicros, long sentNanos, int promptTokens, int promptTokensPlanned, int maxTokens,
      int outputTokens, String outputTokensSource, long ttftMicros, long e2eMicros, double tpotMicros,
      long[] itlMicros, int[] chunkTokens) {
    this(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos, promptTokens,
        promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros, e2eMicros, tpotMicros,
        itlMicros, chunkTokens, 0, 0, 0, null, null);
  }

  /** A generation request's result: no items, no answer kept. */
  public RequestResult(String requestId, String group, boolean warmup, boolean ok, String error, int httpStatus,
      long sentEpochMicros, long sentNanos, int promptTokens, int promptTokensPlanned, int maxTokens,
      int outputTokens, String outputTokensSource, long ttftMicros, long e2eMicros, double tpotMicros,
      long[] itlMicros, int[] chunkTokens, int fallbackParses, int resends) {
    this(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos, promptTokens,
        promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros, e2eMicros, tpotMicros,
        itlMicros, chunkTokens, fallbackParses, resends, 0, null, null);
  }

  /**
   * Whether a failed request got no response byte at all: it could not connect, or its connection
   * was reset or closed before the status line. A timeout is not one (the server may be slow, not
   * gone), nor is any answer with a status. The circuit breaker trips on these, and the post-run
   * step counts them in the server's health.
   */
  public static boolean isConnectionFailure(boolean ok, int httpStatus, String error) {
    return !ok && httpStatus == 0 && error != null && !error.startsWith(TIMEOUT_PREFIX);
  }

  /** Whether the client queue time is known ({@link #queueMicros}). */
  public boolean hasQueueTime() {
    return queueMicros >= 0;
  }

  /** This row with that client queue time (-1: unknown). */
  public RequestResult withQueueMicros(long queueMicros) {
    return new RequestResult(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos,
        promptTokens, promptTokensPlanned, maxTokens, outputTokens, outputTokensSource, ttftMicros, e2eMicros,
        tpotMicros, itlMicros, chunkTokens, fallbackParses, resends, items, inputHash, answer, queueMicros,
        cachedTokens);
  }

  @Override
  public String toString() {
    return "RequestResult[" + requestId + " ok=" + ok + " error=" + error + " ttftUs=" + ttftMicros + " e2eUs="
        + e2eMicros + " out=" + outputTokens + "(" + outputTokensSource + ") chunks=" + (itlMicros.length + 1) + "]";
  }
}
