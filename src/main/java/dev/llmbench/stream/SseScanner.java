package dev.llmbench.stream;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Finds Server-Sent Events in the bytes of a response as they arrive and hands each event's
 * {@code data} to a {@link StreamDecoder}, stamped with the time of the read that completed it.
 * Works on reusable byte arrays: no string and no object per event.
 *
 * <p>Framing as the WHATWG EventSource spec reads it: lines end with LF, CRLF or a lone CR; an event
 * ends at a blank line; a line starting with {@code :} is a comment; a field's value follows its
 * colon and one optional space; the values of several {@code data} lines are joined with LF; an event
 * without {@code data} is not dispatched; {@code id}, {@code retry} and unknown fields are ignored; a
 * UTF-8 byte order mark at the start of the stream is skipped. The ordinary event, a single
 * {@code data:} line, is handed on in place; any other goes through the general reading of its lines,
 * which copies its joined data into a scratch array.
 *
 * <p>Lines are found by their LF, eight bytes at a time; a lone CR is looked for only in the part of
 * a read after its last LF (the unfinished line), where a stream framed by lone CRs shows one at its
 * first line end: from then on that stream's lines are split byte by byte. A stream that mixes lone
 * CRs into lines that LFs end is not looked for, to keep the per-event cost.
 *
 * <p>Two shapes of a server's error are failures of the request, with the server's message: a field
 * named {@code error} (llama.cpp's server, up to its 2025 builds: {@code error: {"code":500,...}},
 * then {@code data: [DONE]}), which bench_serving fails on as it cannot parse it; and an
 * {@code event: error} event, whatever its data, its {@code event} line before or after the data.
 */
public final class SseScanner {
  private static final byte[] DATA = StreamDecoder.bytes("data");
  private static final byte[] EVENT = StreamDecoder.bytes("event");
  private static final byte[] ERROR = StreamDecoder.bytes("error");

  private byte[] buf = new byte[4096];
  private int len;
  /** Start of the event being read. */
  private int eventStart;
  /** Start of the line being read. */
  private int lineStart;
  /** Where the next scan resumes. */
  private int scan;
  /** Lines of the event being read so far. */
  private int lines;
  /** Up to where the unfinished line has been searched for a lone CR. */
  private int crChecked;
  /** Whether this stream's lines end with lone CRs: split byte by byte. */
  private boolean crLines;
  /** In {@link #crLines} mode: the last line ended with a CR, so an LF right after it belongs to it. */
  private boolean afterCr;
  /** Whether the start of the stream (a byte order mark) has been looked at. */
  private boolean started;
  /** The joined data of an event read by the general path. */
  private byte[] data = new byte[256];

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
    if (!started && !start()) {
      return;
    }
    if (crLines) {
      splitBytewise(nanos, decoder, record);
      compact();
      return;
    }
    byte[] b = buf;
    int ls = lineStart;
    int n = lines;
    int lf;
    for (int i = scan; (lf = Bytes.indexOf(b, i, len, (byte) '\n')) >= 0; i = lf + 1) {
      int lineEnd = lf > ls && b[lf - 1] == '\r' ? lf - 1 : lf;
      if (lineEnd == ls) {
        // Blank line: the event [eventStart, ls) is complete.
        if (ls > eventStart) {
          event(b, eventStart, ls, n == 1, nanos, decoder, record);
        }
        eventStart = lf + 1;
        n = 0;
      } else {
        n++;
      }
      ls = lf + 1;
    }
    lineStart = ls;
    lines = n;
    scan = len;
    // The unfinished line, but its last byte (a CR there may be the first half of a CRLF): empty when
    // a read ends with an event, as it mostly does.
    int from = Math.max(ls, crChecked);
    if (len - 1 > from) {
      crChecked = len - 1;
      if (Bytes.indexOf(b, from, len - 1, (byte) '\r') >= 0) {
        crLines = true;
        scan = ls;
        splitBytewise(nanos, decoder, record);
      }
    }
    compact();
  }

  /** Handles what is left when the stream ends without a final blank line. */
  public void finish(long nanos, StreamDecoder decoder, StreamRecord record) {
    if (len > eventStart) {
      event(buf, eventStart, len, false, nanos, decoder, record);
    }
    reset();
  }

  public void reset() {
    len = eventStart = lineStart = scan = lines = crChecked = 0;
    crLines = afterCr = started = false;
  }

  /** Skips a byte order mark at the start of the stream; false while too few bytes tell. */
  private boolean start() {
    boolean bom = true;
    for (int i = 0; i < 3 && i < len; i++) {
      bom &= buf[i] == (byte) (i == 0 ? 0xEF : i == 1 ? 0xBB : 0xBF);
    }
    if (bom && len < 3) {
      return false;
    }
    if (bom) {
      eventStart = lineStart = scan = crChecked = 3;
    }
    started = true;
    return true;
  }

  /** Splits lines at LF, CRLF or a lone CR, byte by byte (a stream framed with lone CRs). */
  private void splitBytewise(long nanos, StreamDecoder decoder, StreamRecord record) {
    byte[] b = buf;
    for (int i = scan; i < len; i++) {
      byte c = b[i];
      if (afterCr) {
        afterCr = false;
        if (c == '\n') {
          if (eventStart == i) {
            eventStart = i + 1;
          }
          lineStart = i + 1;
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        afterCr = c == '\r';
        if (i == lineStart) {
          if (lineStart > eventStart) {
            event(b, eventStart, lineStart, false, nanos, decoder, record);
          }
          eventStart = i + 1;
        }
        lineStart = i + 1;
      }
    }
    scan = len;
  }

  private void event(byte[] b, int start, int end, boolean oneLine, long nanos, StreamDecoder decoder,
      StreamRecord record) {
    // The ordinary event, one data line, read in place: this runs once per token event.
    if (oneLine && end - start >= 5 && b[start] == 'd' && b[start + 1] == 'a' && b[start + 2] == 't'
        && b[start + 3] == 'a' && b[start + 4] == ':') {
      int s = value(b, start + 5, end);
      record.lastEventNanos = nanos;
      decoder.onData(b, s, trimEnd(b, s, end), nanos, record);
      return;
    }
    int dataLength = 0;
    boolean hasData = false;
    boolean errorEvent = false;
    for (int p = start; p < end; ) {
      int q = p;
      while (q < end && b[q] != '\n' && b[q] != '\r') {
        q++;
      }
      int next = q + 1 < end && b[q] == '\r' && b[q + 1] == '\n' ? q + 2 : q + 1;
      if (q > p && b[p] != ':') {
        int colon = Bytes.indexOf(b, p, q, (byte) ':');
        int nameEnd = colon < 0 ? q : colon;
        int v = colon < 0 ? q : value(b, colon + 1, q);
        if (named(b, p, nameEnd, DATA)) {
          int n = q - v;
          ensureData(dataLength + n + 1);
          System.arraycopy(b, v, data, dataLength, n);
          dataLength += n;
          data[dataLength++] = '\n';
          hasData = true;
        } else if (named(b, p, nameEnd, EVENT)) {
          errorEvent = named(b, v, q, ERROR);
        } else if (named(b, p, nameEnd, ERROR)) {
          record.lastEventNanos = nanos;
          StreamDecoder.serverError(b, v, trimEnd(b, v, q), record);
          return;
        }
      }
      p = next;
    }
    if (!hasData) {
      return; // no data: nothing to dispatch (comments, an id or a type alone)
    }
    dataLength--; // the LF after the last line
    record.lastEventNanos = nanos;
    if (errorEvent) {
      StreamDecoder.serverError(data, 0, dataLength, record);
    } else {
      decoder.onData(data, 0, dataLength, nanos, record);
    }
  }

  private static boolean named(byte[] b, int s, int e, byte[] name) {
    return e - s == name.length && Bytes.startsWith(b, s, e, name);
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
    lineStart -= eventStart;
    crChecked = Math.max(0, crChecked - eventStart);
    len = keep;
    eventStart = 0;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }

  private void ensureData(int capacity) {
    if (capacity > data.length) {
      data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
    }
  }
}
