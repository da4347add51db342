package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

  /** Records what the reader reports, as text. */
  static final class Seen implements HttpResponseReader.Listener {
    final List<String> events = new ArrayList<>();
    final StringBuilder body = new StringBuilder();
    int status;
    boolean keepAlive;
    int ends;

    @Override
    public void head(int status, boolean keepAlive) {
      this.status = status;
      this.keepAlive = keepAlive;
      events.add("head " + status + (keepAlive ? " keep-alive" : " close"));
    }

    @Override
    public void body(ByteBuf in, int index, int length) {
      body.append(in.toString(index, length, ISO_8859_1));
    }

    @Override
    public void end() {
      ends++;
      events.add("end");
    }
  }

  private static final String CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n"
      + chunk("data: {\"a\":1}\n\n", "")
      + chunk("data: {\"b\":2}\n\n", ";ext=1")
      + chunk("data: [DONE]\n\n", "")
      + "0\r\nX-Trailer: t\r\n\r\n";

  private static String chunk(String data, String extension) {
    // Upper-case hex digits when there is an extension, lower-case otherwise: both are allowed.
    String size = Integer.toHexString(data.length());
    return (extension.isEmpty() ? size : size.toUpperCase(java.util.Locale.ROOT)) + extension + "\r\n" + data + "\r\n";
  }

  private static Seen readAll(HttpResponseReader reader, String wire, int... cuts) throws Exception {
    Seen seen = new Seen();
    byte[] bytes = wire.getBytes(ISO_8859_1);
    int from = 0;
    for (int cut : cuts) {
      reader.read(Unpooled.wrappedBuffer(bytes, from, cut - from), seen);
      from = cut;
    }
    reader.read(Unpooled.wrappedBuffer(bytes, from, bytes.length - from), seen);
    return seen;
  }

  @Test
  void chunkedBodyIsDechunkedWithExtensionsAndTrailersIgnored() throws Exception {
    Seen seen = readAll(new HttpResponseReader(), CHUNKED);
    assertEquals(List.of("head 200 keep-alive", "end"), seen.events);
    assertEquals("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n", seen.body.toString());
  }

  @Test
  void anySplitOfTheBytesGivesTheSameResult() throws Exception {
    // Every way of cutting the response in two or three reads, including inside CRLFs and size lines.
    String expected = readAll(new HttpResponseReader(), CHUNKED).body.toString();
    int n = CHUNKED.length();
    for (int a = 1; a < n; a++) {
      Seen two = readAll(new HttpResponseReader(), CHUNKED, a);
      assertEquals(expected, two.body.toString(), "cut at " + a);
      assertEquals(1, two.ends, "cut at " + a);
      for (int b = a + 1; b < n; b += 7) {
        Seen three = readAll(new HttpResponseReader(), CHUNKED, a, b);
        assertEquals(expected, three.body.toString(), "cuts at " + a + ", " + b);
        assertEquals(1, three.ends);
      }
    }
  }

  /** Reads {@code wire} in one go and checks what was reported: head and end, and the body. */
  private static void assertRead(String wire, String head, String body) throws Exception {
    Seen seen = readAll(new HttpResponseReader(), wire);
    assertEquals(List.of(head, "end"), seen.events);
    assertEquals(body, seen.body.toString());
  }

  @Test
  void contentLengthBodyEndsAtItsLength() throws Exception {
    assertRead("HTTP/1.1 429 Too Many Requests\r\ncontent-length: 12\r\n\r\n{\"error\":1}\nignored",
        "head 429 keep-alive", "{\"error\":1}\n");
  }

  @Test
  void bodyWithoutFramingEndsWithTheConnection() throws Exception {
    HttpResponseReader reader = new HttpResponseReader();
    Seen seen = readAll(reader, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ndata: x\n\n");
    assertEquals(List.of("head 200 close"), seen.events);
    assertTrue(reader.closed(seen));
    assertEquals(List.of("head 200 close", "end"), seen.events);
    assertEquals("data: x\n\n", seen.body.toString());
  }

  @Test
  void aCutResponseIsReportedWhenTheConnectionCloses() throws Exception {
    HttpResponseReader reader = new HttpResponseReader();
    Seen seen = readAll(reader, CHUNKED.substring(0, CHUNKED.indexOf(";ext") + 8));
    assertFalse(reader.closed(seen), "closed in the middle of a chunked body");
    assertEquals(0, seen.ends);

    HttpResponseReader idle = new HttpResponseReader();
    assertTrue(idle.closed(new Seen()), "nothing in progress");
    HttpResponseReader head = new HttpResponseReader();
    readAll(head, "HTTP/1.1 200 OK\r\nContent-Le");
    assertFalse(head.closed(new Seen()), "closed in the head");
  }

  @Test
  void interimResponsesAreSkippedAndBodilessStatusesEndAtOnce() throws Exception {
    Seen seen = readAll(new HttpResponseReader(), "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    assertEquals(List.of("head 204 keep-alive", "end"), seen.events);
  }

  @Test
  void keepAliveFollowsTheHttpVersionAndConnectionHeader() throws Exception {
    assertFalse(readAll(new HttpResponseReader(), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertTrue(readAll(new HttpResponseReader(),
        "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keepAlive);
    assertFalse(readAll(new HttpResponseReader(),
        "HTTP/1.1 200 OK\r\nCONNECTION: close\r\nContent-Length: 0\r\n\r\n").keepAlive);
  }

  @Test
  void connectionTokensAndKeepAliveLimitsAreRead() throws Exception {
    assertFalse(readAll(new HttpResponseReader(),
        "HTTP/1.1 200 OK\r\nConnection: TE, Close\r\nContent-Length: 0\r\n\r\n").keepAlive);
    HttpResponseReader reader = new HttpResponseReader();
    Seen seen = readAll(reader, "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n");
    assertTrue(seen.keepAlive);
    assertEquals(new KeepAlive(5, 100), reader.keepAliveParameters());
    reader.reset();
    readAll(reader, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertEquals(KeepAlive.NONE, reader.keepAliveParameters(), "each response's own header, none here");
  }

  @Test
  void foldedHeaderLinesAreSkipped() throws Exception {
    assertRead("HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 2\r\n\r\nok", "head 200 keep-alive", "ok");
  }

  @Test
  void theReaderIsReusedForTheNextResponseAfterReset() throws Exception {
    HttpResponseReader reader = new HttpResponseReader();
    readAll(reader, CHUNKED + "garbage after the end");
    assertTrue(reader.done());
    reader.reset();
    Seen second = readAll(reader, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
    assertEquals(List.of("head 500 keep-alive", "end"), second.events);
    assertEquals("boom", second.body.toString());
  }

  @Test
  void brokenFramingIsAClearError() {
    assertEquals("not an HTTP/1.1 status line: 'SSH-2.0-OpenSSH_9.6'", assertThrows(
        HttpResponseReader.HttpException.class, () -> readAll(new HttpResponseReader(), "SSH-2.0-OpenSSH_9.6\r\n"))
        .getMessage());
    assertEquals("malformed chunk size line: 'zz'", assertThrows(HttpResponseReader.HttpException.class,
        () -> readAll(new HttpResponseReader(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        .getMessage());
    assertEquals("malformed chunked body: a chunk is longer than its size says", assertThrows(
        HttpResponseReader.HttpException.class,
        () -> readAll(new HttpResponseReader(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"))
        .getMessage());
    assertEquals("chunk size too large: '1000000000000000'", assertThrows(HttpResponseReader.HttpException.class,
        () -> readAll(new HttpResponseReader(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n"))
        .getMessage());
    assertEquals("bad Content-Length: '-1'", assertThrows(HttpResponseReader.HttpException.class,
        () -> readAll(new HttpResponseReader(), "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).getMessage());
    assertEquals("malformed header line: 'no colon here'", assertThrows(HttpResponseReader.HttpException.class,
        () -> readAll(new HttpResponseReader(), "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")).getMessage());
  }
}
