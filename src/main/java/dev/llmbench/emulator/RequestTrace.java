package dev.llmbench.emulator;

import java.util.Arrays;

/**
 * Ground truth of one request, as the emulator saw it. Times are {@link System#nanoTime()} stamps:
 * arrival when the request head was read, a chunk time right after that chunk was flushed to the
 * socket, finish right before the end of the response was written.
 *
 * @param id the response id the server sent ({@code chatcmpl-…}, {@code cmpl-…}, …)
 * @param clientRequestId the client's {@code X-Request-Id} header, or {@code null}
 * @param api the endpoint family ({@code chat}, {@code completions}, {@code sglang-generate}, {@code trt-generate}, {@code score})
 * @param arrivalNanos when the request head arrived
 * @param arrivalEpochMicros the same instant in microseconds since the epoch
 * @param promptTokens prompt tokens counted by the shared tokenizer
 * @param cachedTokens prompt tokens found in the emulator's prefix cache (not prefilled); 0 when the cache is
 *     off or missed
 * @param completionTokens output tokens actually sent
 * @param chunkNanos flush time of each content chunk, in order
 * @param chunkTokens tokens carried by each content chunk
 * @param chunkLagNanos for each chunk, flush time minus the time the engine step planned it for
 * @param finishNanos when the response ended (or the connection was lost)
 * @param outcome {@code ok}, {@code fault:<name>}, {@code cancelled} or {@code error}
 * @param sessionId the client's {@code X-Session-ID} header (a multi-turn session's), or {@code null}
 */
public record RequestTrace(
    String id,
    String clientRequestId,
    String api,
    long arrivalNanos,
    long arrivalEpochMicros,
    int promptTokens,
    int cachedTokens,
    int completionTokens,
    long[] chunkNanos,
    int[] chunkTokens,
    long[] chunkLagNanos,
    long finishNanos,
    String outcome,
    String sessionId) {

  /** A request without a session header. */
  public RequestTrace(String id, String clientRequestId, String api, long arrivalNanos, long arrivalEpochMicros,
      int promptTokens, int cachedTokens, int completionTokens, long[] chunkNanos, int[] chunkTokens,
      long[] chunkLagNanos, long finishNanos, String outcome) {
    this(id, clientRequestId, api, arrivalNanos, arrivalEpochMicros, promptTokens, cachedTokens, completionTokens,
        chunkNanos, chunkTokens, chunkLagNanos, finishNanos, outcome, null);
  }

  /** Time to first token in nanoseconds, or -1 when no token was sent. */
  public long ttftNanos() {
    return chunkNanos.length == 0 ? -1 : chunkNanos[0] - arrivalNanos;
  }

  /** Gaps between successive content chunks, in nanoseconds (one per chunk after the first). */
  public long[] interChunkNanos() {
    long[] gaps = new long[Math.max(0, chunkNanos.length - 1)];
    for (int i = 1; i < chunkNanos.length; i++) {
      gaps[i - 1] = chunkNanos[i] - chunkNanos[i - 1];
    }
    return gaps;
  }

  public long e2eNanos() {
    return finishNanos - arrivalNanos;
  }

  @Override
  public String toString() {
    return "RequestTrace[id=" + id + ", api=" + api + ", promptTokens=" + promptTokens
        + ", cachedTokens=" + cachedTokens + ", completionTokens=" + completionTokens + ", chunks=" + chunkNanos.length
        + ", ttftNanos=" + ttftNanos() + ", e2eNanos=" + e2eNanos() + ", outcome=" + outcome
        + ", chunkTokens=" + Arrays.toString(Arrays.copyOf(chunkTokens, Math.min(8, chunkTokens.length))) + "]";
  }
}
