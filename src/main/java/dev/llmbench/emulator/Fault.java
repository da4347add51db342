package dev.llmbench.emulator;

import java.util.Locale;

/**
 * Faults the emulator can inject, off by default. Chosen per request with the header
 * {@code X-Emulator-Fault: <name>[;after=<tokens>][;ms=<millis>]} or by rate in {@link EmulatorConfig}.
 */
public enum Fault {
  /** Answer HTTP 500 with an OpenAI-style error body, before any token. */
  HTTP_500,
  /** Answer HTTP 429 with {@code Retry-After}, before any token. */
  HTTP_429,
  /** Stop sending for {@code ms} milliseconds after {@code after} tokens, then go on. */
  STALL,
  /** Close the connection abruptly (TCP reset) after {@code after} tokens. */
  DISCONNECT,
  /** Send one chunk that is not valid JSON after {@code after} tokens, then go on. */
  MALFORMED_CHUNK,
  /** End the stream normally but without the {@code data: [DONE]} event. */
  NO_DONE,
  /**
   * After {@code after} tokens, report a server error inside the stream (HTTP 200) and end it with
   * {@code [DONE]}: {@code data: {"error": {...}}} as vLLM sends it, or in the llama-cpp dialect a
   * field of its own, {@code error: {...}}, as llama.cpp's server did up to its 2025 builds.
   */
  ERROR_EVENT;

  /** The name used in headers and properties, e.g. {@code malformed-chunk}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
