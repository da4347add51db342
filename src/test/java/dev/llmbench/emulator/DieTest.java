package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * {@code emulator.die.after.requests}: the emulator serves that many generation requests and, when the
 * next arrives, dies as a killed server does: that request gets no answer, and nothing connects any more.
 */
class DieTest {
  private static final String CHAT = "/v1/chat/completions";

  @Test
  void itServesNRequestsThenStopsListeningAndClosesEveryConnection() {
    try (LlmEmulator emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().dieAfterRequests(2))) {
      EmulatorHttp http = new EmulatorHttp(emulator);
      for (int i = 0; i < 2; i++) {
        assertTrue(http.stream(CHAT, EmulatorHttp.chat(10, 4, true)).done(), "request " + (i + 1) + " is served");
        assertFalse(emulator.dead());
      }
      assertEquals(200, http.get("/health").status(), "only generation requests count");
      EmulatorHttp.Stream third = http.stream(CHAT, EmulatorHttp.chat(10, 4, true));
      assertEquals(-1, third.status(), "the third gets no answer, its connection closed: " + third);
      assertTrue(emulator.dead());
      assertThrows(ConnectException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", emulator.port()), 5_000);
        }
      }, "it no longer listens");
    }
  }
}
