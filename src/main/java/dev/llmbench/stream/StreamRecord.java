package dev.llmbench.stream;

import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.requests.RequestResult;
import java.util.Arrays;

/**
 * What the client saw of one streamed response, in {@link System#nanoTime()} stamps and primitive
 * arrays (no object per event). Filled on one event loop, read once the stream has ended.
 */
public final class StreamRecord {
  /** When the request's bytes were handed to the socket. */
  public long sentNanos;
  /** When the response head arrived. */
  public long headersNanos;
  /** HTTP status of the response, 0 before the head arrived. */
  public int httpStatus;
  /** When the last event of any kind (content, usage, [DONE]) was read. */
  public long lastEventNanos;
  /** Whether the stream's end marker was seen ({@code [DONE]}, or the final event of APIs without one). */
  public boolean done;
  /** Usage figures from the server, -1 when it sent none. */
  public int usagePromptTokens = -1;
  /** The server's prefix-cache hit in prompt tokens ({@code cached_tokens}), -1 until read. */
  public int usageCachedTokens = -1;
  public int usageCompletionTokens = -1;
  /** Events whose payload is not a JSON object. */
  public int malformedEvents;
  /**
   * Events the byte patterns could not read, read by a full JSON parse instead (not in the compact
   * form, e.g. {@code "key": value}); 0 for the servers' usual compact chunks.
   */
  public int fallbackParses;
  /** First problem met, or null. */
  public String error;
  /**
   * Times the request was sent again on a new connection because the reused one it was written to
   * closed before any byte of the answer came back (at most 1).
   */
  public int resends;

  /**
   * The answer's text as read, for a request whose answer is sent back to the server (a multi-turn session's
   * turn, {@link Transcript}); null for every other request, which keeps no text.
   */
  public Transcript transcript;

  private long[] contentNanos;
  /**
   * The tokens of each content event, or null while every event carried one (the usual stream): one
   * array fewer to touch per event on the read path, where each is a cache miss at hundreds of streams.
   */
  private int[] contentTokens;
  private int contentEvents;

  public StreamRecord() {
    this(64);
  }

  /** A record with room for {@code expectedEvents} content events before it grows. */
  public StreamRecord(int expectedEvents) {
    contentNanos = new long[Math.max(1, expectedEvents)];
  }

  /** Records a content event: one carrying output text, with the tokens it is known to carry (1 if unknown). */
  public void content(long nanos, int tokens) {
    if (contentEvents == contentNanos.length) {
      contentNanos = Arrays.copyOf(contentNanos, contentEvents * 2);
      if (contentTokens != null) {
        contentTokens = Arrays.copyOf(contentTokens, contentEvents * 2);
      }
    }
    contentNanos[contentEvents] = nanos;
    if (contentTokens != null) {
      contentTokens[contentEvents] = tokens;
    } else if (tokens != 1) {
      contentTokens = new int[contentNanos.length];
      Arrays.fill(contentTokens, 0, contentEvents, 1);
      contentTokens[contentEvents] = tokens;
    }
    contentEvents++;
  }

  public void fail(String message) {
    if (error == null) {
      error = message;
    }
  }

  public int contentEvents() {
    return contentEvents;
  }

  public long contentNanos(int i) {
    return contentNanos[i];
  }

  public int contentTokens(int i) {
    if (i < 0 || i >= contentEvents) {
      throw new IndexOutOfBoundsException(i);
    }
    return contentTokens == null ? 1 : contentTokens[i];
  }

  /** Sum of the tokens the content events are known to carry. */
  public int tokensFromEvents() {
    if (contentTokens == null) {
      return contentEvents;
    }
    int sum = 0;
    for (int i = 0; i < contentEvents; i++) {
      sum += contentTokens[i];
    }
    return sum;
  }

  /** Output tokens as reported: the server's usage when it sent one, else counted from content events. */
  public int outputTokens() {
    return usageCompletionTokens >= 0 ? usageCompletionTokens : tokensFromEvents();
  }

  /** Where {@link #outputTokens()} came from: {@code usage} or {@code events}. */
  public String outputTokensSource() {
    return usageCompletionTokens >= 0 ? "usage" : "events";
  }

  /**
   * The side file's row of this finished stream; {@code end} is when the stream ended or failed. Built
   * here so that the per-request record knows nothing of how a stream is read.
   */
  public RequestResult toResult(String requestId, String group, boolean warmup, boolean ok, String error,
      long sentEpochMicros, int promptTokensPlanned, int maxTokens, long end) {
    return toResult(requestId, group, warmup, ok, error, sentEpochMicros, promptTokensPlanned, maxTokens, end, -1);
  }

  /**
   * The side file's row, with the request's client queue time in µs ({@link RequestResult#queueMicros},
   * -1 when unknown): the stream side measures it, as its send stamp is this record's.
   */
  public RequestResult toResult(String requestId, String group, boolean warmup, boolean ok, String error,
      long sentEpochMicros, int promptTokensPlanned, int maxTokens, long end, long queueMicros) {
    int n = contentEvents;
    long[] times = Arrays.copyOf(contentNanos, n);
    // Tokens per event only where some event carried more (or fewer) than one.
    int[] tokens = contentTokens == null ? null : Arrays.copyOf(contentTokens, n);
    long lastEvent = lastEventNanos != 0 ? lastEventNanos : end;
    long ttft = n == 0 ? -1 : ServingFormulas.ttft(sentNanos, times[0]);
    long e2e = ServingFormulas.e2e(sentNanos, lastEvent);
    long[] itl = ServingFormulas.itlPerChunk(times, n);
    long[] itlMicros = new long[itl.length];
    for (int i = 0; i < itl.length; i++) {
      itlMicros[i] = itl[i] / 1_000;
    }
    int output = outputTokens();
    double tpot = n == 0 ? Double.NaN : ServingFormulas.tpot(e2e, ttft, output) / 1_000;
    return new RequestResult(requestId, group, warmup, ok, error, httpStatus, sentEpochMicros, sentNanos,
        usagePromptTokens >= 0 ? usagePromptTokens : promptTokensPlanned, promptTokensPlanned, maxTokens, output,
        outputTokensSource(), ttft < 0 ? -1 : ttft / 1_000, e2e / 1_000, tpot, itlMicros, tokens,
        fallbackParses, resends, 0, null, null, queueMicros, usageCachedTokens);
  }

  public void reset() {
    sentNanos = headersNanos = lastEventNanos = 0;
    httpStatus = 0;
    done = false;
    usagePromptTokens = usageCompletionTokens = usageCachedTokens = -1;
    malformedEvents = 0;
    fallbackParses = 0;
    error = null;
    contentEvents = 0;
    contentTokens = null;
    resends = 0;
  }
}
