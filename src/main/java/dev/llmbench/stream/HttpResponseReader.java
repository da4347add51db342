package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses from a connection's bytes as they arrive, and hands the body on, de-chunked,
 * as slices of the buffers read: no object and no string per chunk. It replaces Netty's
 * {@code HttpClientCodec} on the receiving side of stream connections, where one SSE event is one
 * chunk: that decoder builds a string per chunk-size line and an object per chunk, a large share of
 * the load generator's CPU per token event (docs/injector-efficiency.md, "What made the difference").
 * Requests are written by the stream connection, as bytes.
 *
 * <p>What it follows (RFC 9112): a status line and header fields, ended by an empty line; interim
 * 1xx responses are skipped; a body framed by {@code Transfer-Encoding: chunked} (chunk extensions
 * and trailer fields are read and ignored), else by {@code Content-Length}, else by the connection's
 * close; no body for 204 and 304. Keep-alive as HTTP/1.1 says: yes unless {@code Connection: close},
 * and for HTTP/1.0 only with {@code Connection: keep-alive}; the {@code Keep-Alive} header's limits
 * are kept for {@link #keepAliveParameters()}. Malformed framing throws
 * {@link HttpException}, with what was wrong.
 */
public final class HttpResponseReader {
  /** Receives what the reader finds, in order: {@code head}, {@code body} zero or more times, {@code end}. */
  public interface Listener {
    void head(int status, boolean keepAlive);

    /** Body bytes {@code [index, index + length)} of {@code in}, valid during the call only. */
    void body(ByteBuf in, int index, int length);

    void end();
  }

  /** A response that breaks HTTP/1.1 framing. */
  public static final class HttpException extends Exception {
    public HttpException(String message) {
      super(message);
    }
  }

  private static final int MAX_LINE = 16_384;
  private static final int MAX_HEAD = 65_536;
  /** Hex digits of a chunk size at most: 15 keep it within a long. */
  private static final int MAX_SIZE_DIGITS = 15;

  private enum State { STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, LENGTH, UNTIL_CLOSE, DONE }

  private State state = State.STATUS;
  private byte[] line = new byte[256];
  private int lineLength;
  private int headBytes;
  private long remaining;
  private int status;
  private boolean http10;
  private boolean chunked;
  private long contentLength;
  private String connection;
  private String keepAliveHeader;

  /** Ready for the next response on the same connection. */
  public void reset() {
    state = State.STATUS;
    lineLength = 0;
    headBytes = 0;
  }

  /** Whether the last response has ended (until {@link #reset()}). */
  public boolean done() {
    return state == State.DONE;
  }

  /**
   * The {@code Keep-Alive} parameters of the last response head read ({@link KeepAlive#NONE} without
   * the header); parsed on each call, so call it once per response, not per read.
   */
  public KeepAlive keepAliveParameters() {
    return KeepAlive.parse(keepAliveHeader);
  }

  /** Reads every readable byte of {@code in} (the reader index is not moved). */
  public void read(ByteBuf in, Listener listener) throws HttpException {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (lineLength == 0 && (state == State.CHUNK_SIZE || state == State.CHUNK_END)) {
        int next = chunkLine(in, i, end);
        if (next > i) {
          i = next;
          continue;
        }
      }
      switch (state) {
        case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
          int lf = in.indexOf(i, end, (byte) '\n');
          int stop = lf < 0 ? end : lf;
          appendLine(in, i, stop - i);
          i = stop;
          if (lf < 0) {
            return;
          }
          i++;
          int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
          lineLength = 0;
          onLine(n, listener);
        }
        case CHUNK_DATA, LENGTH -> {
          int n = (int) Math.min(remaining, end - i);
          listener.body(in, i, n);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            if (state == State.LENGTH) {
              finish(listener);
            } else {
              state = State.CHUNK_END;
            }
          }
        }
        case UNTIL_CLOSE -> {
          listener.body(in, i, end - i);
          i = end;
        }
        case DONE -> {
          return; // bytes after the response: nothing was asked for them
        }
      }
    }
  }

  /**
   * The connection closed: ends a body framed by the close; returns false when a response was cut
   * (its head or body incomplete), true when none was in progress or it has now ended.
   */
  public boolean closed(Listener listener) {
    if (state == State.UNTIL_CLOSE) {
      finish(listener);
      return true;
    }
    return state == State.DONE || (state == State.STATUS && lineLength == 0 && headBytes == 0);
  }

  private void onLine(int n, Listener listener) throws HttpException {
    switch (state) {
      case STATUS -> {
        if (n == 0) {
          headBytes = 0;
          return; // a stray CRLF before the status line is allowed (RFC 9112 §2.2)
        }
        parseStatus(n);
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (n > 0) {
          header(n);
          return;
        }
        if (status >= 100 && status < 200) {
          headBytes = 0;
          state = State.STATUS; // interim response: the real one follows
          return;
        }
        boolean keepAlive = http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
        listener.head(status, keepAlive);
        if (status == 204 || status == 304) {
          finish(listener);
        } else if (chunked) {
          state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
          remaining = contentLength;
          state = State.LENGTH;
          if (remaining == 0) {
            finish(listener);
          }
        } else {
          state = State.UNTIL_CLOSE;
        }
      }
      case CHUNK_SIZE -> {
        long size = chunkSize(n);
        if (size == 0) {
          state = State.TRAILERS;
        } else {
          remaining = size;
          state = State.CHUNK_DATA;
        }
      }
      case CHUNK_END -> {
        if (n != 0) {
          throw new HttpException("malformed chunked body: a chunk is longer than its size says");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (n == 0) {
          finish(listener);
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void finish(Listener listener) {
    state = State.DONE;
    listener.end();
  }

  private void parseStatus(int n) throws HttpException {
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (n < 12 || !startsWith(line, "HTTP/1.") || line[8] != ' ' || !digit(line[9]) || !digit(line[10])
        || !digit(line[11]) || (n > 12 && line[12] != ' ')) {
      throw new HttpException("not an HTTP/1.1 status line: '" + printable(n) + "'");
    }
    http10 = line[7] == '0';
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    chunked = false;
    contentLength = -1;
    connection = null;
    keepAliveHeader = null;
  }

  private void header(int n) throws HttpException {
    if (line[0] == ' ' || line[0] == '\t') {
      return; // obs-fold: the continuation of a field none of ours spans (RFC 9112 §5.2)
    }
    int colon = -1;
    for (int j = 0; j < n; j++) {
      if (line[j] == ':') {
        colon = j;
        break;
      }
    }
    if (colon <= 0) {
      throw new HttpException("malformed header line: '" + printable(n) + "'");
    }
    if (named(colon, "content-length")) {
      String v = value(colon, n);
      try {
        long length = Long.parseLong(v);
        if (length < 0 || (contentLength >= 0 && contentLength != length)) {
          throw new NumberFormatException();
        }
        contentLength = length;
      } catch (NumberFormatException e) {
        throw new HttpException("bad Content-Length: '" + v + "'");
      }
    } else if (named(colon, "transfer-encoding")) {
      String v = value(colon, n).toLowerCase(Locale.ROOT);
      // chunked must be the last coding applied (RFC 9112 §6.3)
      chunked = v.endsWith("chunked");
    } else if (named(colon, "connection")) {
      connection = value(colon, n);
    } else if (named(colon, "keep-alive")) {
      keepAliveHeader = value(colon, n);
    }
  }

  /**
   * The two framing lines around every chunk, one token event each, read in place when whole in
   * {@code in} and plain ({@code <hex>\r\n}, then {@code \r\n}): returns where the bytes after the
   * line start, or {@code i} to leave the line (cut, with an extension, malformed) to the general path,
   * which copies it and reports errors.
   */
  private int chunkLine(ByteBuf in, int i, int end) {
    if (state == State.CHUNK_END) {
      if (end - i >= 2 && in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
        state = State.CHUNK_SIZE;
        return i + 2;
      }
      return i;
    }
    long size = 0;
    int j = i;
    for (int stop = Math.min(end, i + MAX_SIZE_DIGITS); j < stop; j++) {
      byte b = in.getByte(j);
      int d = hexDigit(b);
      if (d < 0) {
        break;
      }
      size = size * 16 + d;
    }
    if (j == i || size == 0 || end - j < 2 || in.getByte(j) != '\r' || in.getByte(j + 1) != '\n') {
      return i; // no digits, the last chunk (trailers follow), cut, an extension or too long
    }
    remaining = size;
    state = State.CHUNK_DATA;
    return j + 2;
  }

  /** The value of a hex digit, or -1. */
  private static int hexDigit(byte b) {
    return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
  }

  private long chunkSize(int n) throws HttpException {
    long size = 0;
    int digits = 0;
    for (int j = 0; j < n; j++) {
      byte b = line[j];
      int d = hexDigit(b);
      if (d < 0) {
        if (b == ';' || b == ' ' || b == '\t') {
          break; // chunk extensions, ignored
        }
        throw new HttpException("malformed chunk size line: '" + printable(n) + "'");
      }
      if (++digits > MAX_SIZE_DIGITS) {
        throw new HttpException("chunk size too large: '" + printable(n) + "'");
      }
      size = size * 16 + d;
    }
    if (digits == 0) {
      throw new HttpException("malformed chunk size line: '" + printable(n) + "'");
    }
    return size;
  }

  private void appendLine(ByteBuf in, int index, int n) throws HttpException {
    if (lineLength + n > MAX_LINE || (state.ordinal() <= State.HEADERS.ordinal() && (headBytes += n) > MAX_HEAD)) {
      throw new HttpException("response line or head too long (over " + MAX_LINE + " / " + MAX_HEAD + " bytes)");
    }
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + n, line.length * 2));
    }
    in.getBytes(index, line, lineLength, n);
    lineLength += n;
  }

  private boolean named(int colon, String lowerName) {
    if (colon != lowerName.length()) {
      return false;
    }
    for (int j = 0; j < colon; j++) {
      int c = line[j] | 0x20; // ASCII lower case; header names are tokens
      if (c != lowerName.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private String value(int colon, int n) {
    int s = colon + 1;
    int e = n;
    while (s < e && (line[s] == ' ' || line[s] == '\t')) {
      s++;
    }
    while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\t')) {
      e--;
    }
    return new String(line, s, e - s, ISO_8859_1);
  }

  private String printable(int n) {
    String s = new String(line, 0, Math.min(n, 80), ISO_8859_1);
    return n > 80 ? s + "..." : s;
  }

  /** Whether a comma-separated header value ({@code Connection: close, TE}) holds {@code token}, in any case. */
  static boolean hasToken(String value, String token) {
    if (value == null) {
      return false;
    }
    for (String part : value.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] b, String prefix) {
    for (int j = 0; j < prefix.length(); j++) {
      if (b[j] != prefix.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static boolean digit(byte b) {
    return b >= '0' && b <= '9';
  }
}
