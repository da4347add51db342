package dev.llmbench.stream;

import io.netty.buffer.ByteBuf;

/**
 * Finds Server-Sent Events in the bytes of a response as they arrive and hands each event's
 * {@code data} payload to a {@link StreamDecoder}, stamped with the time of the read that completed
 * it. Works on one reusable byte array: no string and no object per event.
 *
 * <p>An event ends at a blank line ({@code \n\n} or {@code \r\n\r\n}). Comment lines ({@code :...})
 * and fields other than {@code data} are skipped; an event with several {@code data} lines is passed
 * from its first {@code data} value to its end. Two shapes of a server's error are failures of the
 * request, with the server's message: a field named {@code error} (llama.cpp's server, up to its 2025
 * builds: {@code error: {"code":500,"message":...}}, then {@code data: [DONE]}), which bench_serving
 * fails on as it cannot parse it; and an {@code event: error} event, whatever its data. Both are
 * recognised before an event's {@code data} line, where the servers put them. An {@code event:} line
 * after the data line (SSE allows any order) is recognised too; it is looked for only when the data
 * does not end as a JSON object or {@code [DONE]} does, so the ordinary token event pays nothing.
 */
public final class SseScanner {
  private static final byte[] ERROR = StreamDecoder.bytes("error:");
  private static final byte[] EVENT = StreamDecoder.bytes("event:");
  private static final byte[] ERROR_NAME = StreamDecoder.bytes("error");

  private byte[] buf = new byte[4096];
  private int len;
  /** Start of the event being read. */
  private int eventStart;
  /** Where the next scan resumes. */
  private int scan;

  /** Appends {@code n} bytes of {@code in} from {@code index}, without moving its indexes. */
  public void append(ByteBuf in, int index, int n) {
    ensure(len + n);
    in.getBytes(index, buf, len, n);
    len += n;
  }

  /** Appends bytes (for tests and non-Netty callers). */
  public void append(byte[] bytes, int off, int n) {
    ensure(len + n);
    System.arraycopy(bytes, off, buf, len, n);
    len += n;
  }

  /** Decodes every complete event in the buffer. */
  public void drain(long nanos, StreamDecoder decoder, StreamRecord record) {
    byte[] b = buf;
    int lineStart = lastLineStart(scan);
    int lf;
    for (int i = scan; (lf = Bytes.indexOf(b, i, len, (byte) '\n')) >= 0; i = lf + 1) {
      int lineEnd = lf > lineStart && b[lf - 1] == '\r' ? lf - 1 : lf;
      if (lineEnd == lineStart) {
        // Blank line: the event [eventStart, lineStart) is complete.
        if (lineStart > eventStart) {
          event(b, eventStart, lineStart, nanos, decoder, record);
        }
        eventStart = lf + 1;
      }
      lineStart = lf + 1;
    }
    scan = len;
    compact();
  }

  /** Handles what is left when the stream ends without a final blank line. */
  public void finish(long nanos, StreamDecoder decoder, StreamRecord record) {
    if (len > eventStart) {
      event(buf, eventStart, len, nanos, decoder, record);
    }
    len = eventStart = scan = 0;
  }

  public void reset() {
    len = eventStart = scan = 0;
  }

  private int lastLineStart(int from) {
    for (int j = from - 1; j >= eventStart; j--) {
      if (buf[j] == '\n') {
        return j + 1;
      }
    }
    return eventStart;
  }

  private static void event(byte[] b, int start, int end, long nanos, StreamDecoder decoder, StreamRecord record) {
    // Find the first "data:" line; skip comments and other fields.
    int p = start;
    boolean errorEvent = false;
    while (p < end) {
      // The ordinary event, inline: this runs once per token event.
      if (end - p >= 5 && b[p] == 'd' && b[p + 1] == 'a' && b[p + 2] == 't' && b[p + 3] == 'a' && b[p + 4] == ':') {
        int s = value(b, p + 5, end);
        int e = trimEnd(b, s, end);
        record.lastEventNanos = nanos;
        if (e > s && b[e - 1] != '}' && b[e - 1] != ']') {
          // Not a JSON object or [DONE]: perhaps an event line follows the data line (SSE allows any
          // order), e.g. "data: {...}\nevent: error". Only looked for here, off the ordinary event's path.
          int after = fieldsAfterData(b, s, e, record);
          if (after < 0) {
            return; // an error event: the request has failed with its message
          }
          e = after;
        }
        if (errorEvent) {
          StreamDecoder.serverError(b, s, e, record);
        } else {
          decoder.onData(b, s, e, nanos, record);
        }
        return;
      }
      int lf = Bytes.indexOf(b, p, end, (byte) '\n');
      int next = lf < 0 ? end : lf + 1;
      if (b[p] == 'e') {
        if (Bytes.startsWith(b, p, end, ERROR)) {
          int s = value(b, p + ERROR.length, next);
          record.lastEventNanos = nanos;
          StreamDecoder.serverError(b, s, trimEnd(b, s, next), record);
          return;
        }
        if (Bytes.startsWith(b, p, end, EVENT)) {
          int s = value(b, p + EVENT.length, next);
          errorEvent = trimEnd(b, s, next) - s == ERROR_NAME.length && Bytes.startsWith(b, s, next, ERROR_NAME);
        }
      }
      p = next;
    }
  }

  /**
   * For a data value {@code [s, e)} that runs over more than one line: where it ends when an
   * {@code event:} line follows it. An {@code event: error} line fails the request with the data
   * before it and returns -1; another event type ends the data there. Otherwise {@code e}, unchanged
   * (a value of several data lines, or a malformed one, goes to the decoder as it is).
   */
  private static int fieldsAfterData(byte[] b, int s, int e, StreamRecord record) {
    for (int lf = Bytes.indexOf(b, s, e, (byte) '\n'); lf >= 0; lf = Bytes.indexOf(b, lf + 1, e, (byte) '\n')) {
      int line = lf + 1;
      int next = Bytes.indexOf(b, line, e, (byte) '\n');
      int lineEnd = next < 0 ? e : next;
      if (Bytes.startsWith(b, line, lineEnd, EVENT)) {
        int dataEnd = trimEnd(b, s, lf);
        int v = value(b, line + EVENT.length, lineEnd);
        int ve = trimEnd(b, v, lineEnd);
        if (ve - v == ERROR_NAME.length && Bytes.startsWith(b, v, ve, ERROR_NAME)) {
          StreamDecoder.serverError(b, s, dataEnd, record);
          return -1;
        }
        return dataEnd; // another event type: the data is what came before it
      }
    }
    return e;
  }

  /** Where a field's value starts: after its colon and the one optional space. */
  private static int value(byte[] b, int s, int end) {
    return s < end && b[s] == ' ' ? s + 1 : s;
  }

  /** The end of a value without its line breaks and trailing spaces. */
  private static int trimEnd(byte[] b, int s, int e) {
    while (e > s && (b[e - 1] == '\n' || b[e - 1] == '\r' || b[e - 1] == ' ')) {
      e--;
    }
    return e;
  }

  private void compact() {
    if (eventStart == 0) {
      return;
    }
    int keep = len - eventStart;
    if (keep > 0) {
      System.arraycopy(buf, eventStart, buf, 0, keep);
    }
    scan -= eventStart;
    len = keep;
    eventStart = 0;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }
}
