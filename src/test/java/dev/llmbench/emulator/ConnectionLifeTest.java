package dev.llmbench.emulator;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The emulator's connection-ending options on the wire, read with a plain socket: what a response
 * head says, and when the server closes.
 */
class ConnectionLifeTest {
  private static final String BODY = "{\"model\":\"m\",\"prompt\":\"a b c\",\"max_tokens\":3,\"stream\":true,"
      + "\"ignore_eos\":true}";
  private static final String REQUEST = "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

  private static LlmEmulator start(EmulatorConfig.Builder b) {
    return new LlmEmulator(b.model("m").timing(EmulatorHttp.FAST).build()).start();
  }

  /** Everything the server sends until it closes (the read times out after 10 s). */
  private static String readToClose(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      all.write(buf, 0, n);
    }
    return all.toString(US_ASCII);
  }

  /** One streamed response, up to its terminating chunk. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!first.toString(US_ASCII).contains("\r\n0\r\n\r\n")) {
      int n = in.read(buf);
      assertTrue(n > 0, "the stream ends before the close: " + first);
      first.write(buf, 0, n);
    }
    return first.toString(US_ASCII);
  }

  @Test
  void closeAfterStreamAdvertisesKeepAliveClosesWithoutSayingSoAndDropsALateRequest() throws Exception {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().closeAfterStreamMillis(200));
        Socket s = new Socket("127.0.0.1", emulator.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(REQUEST.getBytes(US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      // The terminating chunk, then the next request while the connection is closing.
      String head = readResponse(in).toLowerCase(Locale.ROOT);
      out.write(REQUEST.getBytes(US_ASCII));
      out.flush();
      String rest = readToClose(in);
      assertTrue(head.contains("keep-alive: timeout=5, max=100"), head);
      assertFalse(head.contains("connection: close"), head);
      assertEquals("", rest, "the late request got no answer, the connection just closed");
      assertEquals(1, emulator.droppedRequests());
      assertEquals(1, emulator.connectionsAccepted());
    }
  }

  @Test
  void keepAliveMaxClosesAfterThatManyResponses() throws Exception {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().keepAliveMax(2).keepAliveTimeoutMillis(60_000));
        Socket s = new Socket("127.0.0.1", emulator.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(REQUEST.getBytes(US_ASCII));
      out.flush();
      String all = readResponse(in);
      out.write(REQUEST.getBytes(US_ASCII));
      out.flush();
      all += readToClose(in);
      assertEquals(2, all.split("HTTP/1.1 200", -1).length - 1, "two responses, then the close: " + all);
      assertTrue(all.contains("Keep-Alive: timeout=60, max=2"), all);
      assertFalse(all.toLowerCase(Locale.ROOT).contains("connection: close"), all);
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheTimeout() throws Exception {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().keepAliveTimeoutMillis(300));
        Socket s = new Socket("127.0.0.1", emulator.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(REQUEST.getBytes(US_ASCII));
      s.getOutputStream().flush();
      long start = System.nanoTime();
      String all = readToClose(s.getInputStream());
      assertTrue(all.contains("data: [DONE]"), all);
      assertTrue(all.contains("Keep-Alive: timeout=0, max=100"), "the timeout in whole seconds: " + all);
      assertTrue(System.nanoTime() - start >= 300_000_000L, "closed once idle for the timeout, not before");
    }
  }
}
