package dev.llmbench.emulator;

import java.util.Arrays;
import java.util.Locale;

/** Collects a {@link RequestTrace} on the channel's event loop: primitive arrays, no object per chunk. */
final class TraceBuilder {
  private final Sequence seq;
  private long[] chunkNanos;
  private int[] chunkTokens;
  private long[] chunkLag;
  private int chunks;
  private int tokens;

  TraceBuilder(Sequence seq, int expectedChunks) {
    this.seq = seq;
    int n = Math.max(4, expectedChunks);
    chunkNanos = new long[n];
    chunkTokens = new int[n];
    chunkLag = new long[n];
  }

  void chunk(long flushedNanos, int tokenCount, long plannedNanos) {
    if (chunks == chunkNanos.length) {
      int n = chunks * 2;
      chunkNanos = Arrays.copyOf(chunkNanos, n);
      chunkTokens = Arrays.copyOf(chunkTokens, n);
      chunkLag = Arrays.copyOf(chunkLag, n);
    }
    chunkNanos[chunks] = flushedNanos;
    chunkTokens[chunks] = tokenCount;
    chunkLag[chunks] = flushedNanos - plannedNanos;
    chunks++;
    tokens += tokenCount;
  }

  RequestTrace build(long finishNanos, String outcome) {
    return new RequestTrace(seq.id, seq.clientRequestId, seq.api.name().toLowerCase(Locale.ROOT).replace('_', '-'),
        seq.arrivalNanos, seq.arrivalEpochMicros, seq.promptTokens, seq.cachedTokens, tokens,
        Arrays.copyOf(chunkNanos, chunks), Arrays.copyOf(chunkTokens, chunks), Arrays.copyOf(chunkLag, chunks),
        finishNanos, outcome, seq.sessionId);
  }
}
