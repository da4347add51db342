package dev.llmbench.emulator;

import java.util.Arrays;
import java.util.Locale;

/** Collects a {@link RequestTrace} on the channel's event loop: primitive arrays, no object per chunk. */
final class TraceBuilder {
  private final Sequence seq;
  private long[] chunkNanos = new long[16];
  private int[] chunkTokens = new int[16];
  private long[] chunkLag = new long[16];
  private int chunks;
  private int tokens;

  TraceBuilder(Sequence seq) {
    this.seq = seq;
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
        seq.arrivalNanos, seq.arrivalEpochMicros, seq.promptTokens, tokens,
        Arrays.copyOf(chunkNanos, chunks), Arrays.copyOf(chunkTokens, chunks), Arrays.copyOf(chunkLag, chunks),
        finishNanos, outcome);
  }
}
