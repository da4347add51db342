package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The breaker's two triggers on hand-made outcomes, and what it counts as a connection failure. */
class CircuitBreakerTest {
  private static final Instant T = Instant.parse("2026-12-06T02:00:00Z");
  private static final Supplier<Instant> AT_T = () -> T;
  private static final String REFUSED = "cannot connect to http://127.0.0.1:9: Connection refused";
  private static final String CUT = "connection closed by the server after 3 content events";

  @Test
  void connectionFailuresAreThoseWithoutAnyResponseByte() {
    assertTrue(CircuitBreaker.isConnectionFailure(false, 0, REFUSED));
    assertTrue(CircuitBreaker.isConnectionFailure(false, 0, "connection closed by the server after 0 content events"));
    assertFalse(CircuitBreaker.isConnectionFailure(false, 200, CUT), "the server answered");
    assertFalse(CircuitBreaker.isConnectionFailure(false, 503, "HTTP 503"), "the server answered");
    assertFalse(CircuitBreaker.isConnectionFailure(false, 0, "no complete answer within 1800 s (request.timeout.sec)"),
        "a slow server is not a gone one");
    assertFalse(CircuitBreaker.isConnectionFailure(true, 200, null));
  }

  @Test
  void tripsOnTheNthConnectionFailureInARowAndOnlyASuccessBreaksTheRow() {
    CircuitBreaker b = new CircuitBreaker(new CircuitBreaker.Settings(true, 3, 1, 100));
    assertFalse(b.completed(false, 0, REFUSED, AT_T));
    assertFalse(b.completed(false, 0, REFUSED, AT_T));
    assertFalse(b.completed(true, 200, null, AT_T), "a success");
    assertFalse(b.completed(false, 0, REFUSED, AT_T));
    assertFalse(b.completed(false, 200, CUT, AT_T), "another failure neither counts nor breaks the row");
    assertFalse(b.completed(false, 0, REFUSED, AT_T));
    assertFalse(b.open());
    assertTrue(b.completed(false, 0, REFUSED, () -> T.plusSeconds(1)));
    assertTrue(b.open());
    assertEquals(T.plusSeconds(1), b.trippedAt());
    assertEquals("3 connection failures in a row (breaker.consecutive.failures=3), the last: " + REFUSED, b.reason());
    assertFalse(b.completed(false, 0, REFUSED, () -> T.plusSeconds(2)), "it trips once");
    assertEquals(T.plusSeconds(1), b.trippedAt());
  }

  @Test
  void tripsWhenMoreThanTheRateOfAFullWindowFailed() {
    CircuitBreaker b = new CircuitBreaker(new CircuitBreaker.Settings(true, 1_000, 0.5, 4));
    assertFalse(b.completed(false, 500, "HTTP 500", AT_T));
    assertFalse(b.completed(false, 500, "HTTP 500", AT_T));
    assertFalse(b.completed(false, 500, "HTTP 500", AT_T), "3 of 3, but the window is not full yet");
    assertTrue(b.completed(true, 200, null, AT_T), "3 of the last 4 > half");
    assertEquals("3 of the last 4 requests failed (breaker.error.rate=0.5, breaker.window.requests=4)", b.reason());

    CircuitBreaker half = new CircuitBreaker(new CircuitBreaker.Settings(true, 1_000, 0.5, 4));
    for (int i = 0; i < 20; i++) {
      assertFalse(half.completed(i % 2 == 0, i % 2 == 0 ? 200 : 500, i % 2 == 0 ? null : "HTTP 500", AT_T),
          "exactly half, again and again, is not above it");
    }
    assertTrue(half.completed(false, 500, "HTTP 500", AT_T), "the window slides: the oldest success left it");
    assertEquals("3 of the last 4 requests failed (breaker.error.rate=0.5, breaker.window.requests=4), the last: "
        + "HTTP 500", half.reason());
  }

  @Test
  void turnedOffItNeverTrips() {
    CircuitBreaker b = new CircuitBreaker(new CircuitBreaker.Settings(false, 1, 0.01, 1));
    for (int i = 0; i < 100; i++) {
      assertFalse(b.completed(false, 0, REFUSED, AT_T));
    }
    assertFalse(b.open());
    assertNull(b.reason());
  }

  @Test
  void settingsAreValidated() {
    assertEquals("breaker.consecutive.failures must be an integer >= 1, but was 0", assertThrows(
        IllegalArgumentException.class, () -> new CircuitBreaker.Settings(true, 0, 0.5, 100)).getMessage());
    assertEquals("breaker.error.rate must be a share in (0, 1], but was 0.0", assertThrows(
        IllegalArgumentException.class, () -> new CircuitBreaker.Settings(true, 10, 0, 100)).getMessage());
    assertEquals("breaker.window.requests must be an integer >= 1, but was 0", assertThrows(
        IllegalArgumentException.class, () -> new CircuitBreaker.Settings(true, 10, 0.5, 0)).getMessage());
  }
}
