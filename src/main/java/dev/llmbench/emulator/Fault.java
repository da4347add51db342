package dev.llmbench.emulator;

import java.util.Locale;

/**
 * Faults the emulator can inject, off by default. Chosen per request with the header
 * {@code X-Emulator-Fault: <name>[;after=<tokens>][;ms=<millis>]} or by rate in {@link EmulatorConfig}.
 * A fault asked for by header on an API it does not apply to is a bad request; a fault drawn by rate
 * for such an API is not injected.
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
  ERROR_EVENT,
  /** A scoring, rerank or embedding answer (HTTP 200) with one result fewer than the request asked for. */
  WRONG_SHAPE,
  /**
   * SGLang {@code /v1/score}: each item's label probabilities scaled by 0.8, so that they do not sum
   * to 1 even with {@code apply_softmax}.
   */
  BAD_PROBABILITIES,
  /**
   * The answer differs between identical requests, as on a server whose kernels are not batch
   * invariant: scores and embeddings perturbed by up to 5% (relative; embeddings renormalised), and
   * generated text that diverges at a random token even at temperature 0. Random per request, never
   * seeded.
   */
  NONDETERMINISTIC,
  /**
   * HTTP 500 before any work, with the error body a JAX/XLA server (sglang-jax) answers when the
   * device runs out of memory: {@code RESOURCE_EXHAUSTED: Out of memory while trying to allocate ...}.
   */
  OOM;

  /** The name used in headers and properties, e.g. {@code malformed-chunk}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the fault is answered at once, instead of the response: no work reaches the engine. */
  boolean answersBeforeWork() {
    return this == HTTP_500 || this == HTTP_429 || this == OOM;
  }

  /** Whether this fault can be injected into a request of this API. */
  boolean appliesTo(Api api) {
    return switch (this) {
      case WRONG_SHAPE -> api.pooling();
      case BAD_PROBABILITIES -> api == Api.SCORE;
      default -> true;
    };
  }

  /** The APIs the fault applies to, for the message refusing it on another. */
  String scope() {
    return switch (this) {
      case WRONG_SHAPE -> "/v1/score, /v1/rerank and /v1/embeddings";
      case BAD_PROBABILITIES -> "SGLang's /v1/score (query, items, label_token_ids)";
      default -> "every API";
    };
  }
}
