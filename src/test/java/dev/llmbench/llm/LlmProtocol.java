package dev.llmbench.llm;

import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The one place where the HTTP protocol of every simulation is built. */
public final class LlmProtocol {
  private LlmProtocol() {}

  public static HttpProtocolBuilder http(Target target) {
    HttpProtocolBuilder protocol = http.baseUrl(target.baseUrl())
        .acceptHeader("application/json, text/event-stream")
        .contentTypeHeader("application/json")
        .userAgentHeader("llm-serving-bench")
        // Gatling's default warm-up calls a public web site, unreachable (and irrelevant) here.
        .disableWarmUp()
        // Server-to-server traffic: one connection pool for all virtual users, as bench_serving's aiohttp session.
        .shareConnections()
        // Keep every unmatched SSE event so a streaming step can time each token.
        .sseUnmatchedInboundMessageBufferSize(1 << 16);
    if (target.apiKey() != null) {
      protocol = protocol.authorizationHeader("Bearer " + target.apiKey());
    }
    return protocol;
  }
}
