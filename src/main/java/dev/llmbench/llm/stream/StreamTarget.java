package dev.llmbench.llm.stream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Host, port and scheme of the server, parsed once.
 *
 * @param poolKey {@code scheme://host:port}, the key of the loops' connection pools and what is printed
 * @param keepAlive false ({@code -Dhttp.keepalive=false}): one connection per request, with
 *     {@code Connection: close}
 * @param extraHeaderLines {@code -Dextra.headers}' lines, each ending in CRLF ({@code RequestShaping#headerLines});
 *     empty for none
 */
record StreamTarget(String host, int port, boolean tls, String hostHeader, String apiKey, SslContext ssl,
    String poolKey, boolean keepAlive, String extraHeaderLines) {

  static StreamTarget of(String baseUrl, String apiKey, boolean keepAlive) {
    return of(baseUrl, apiKey, keepAlive, "");
  }

  static StreamTarget of(String baseUrl, String apiKey, boolean keepAlive, String extraHeaderLines) {
    URI uri = URI.create(baseUrl);
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String hostHeader = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    SslContext ssl = null;
    if (tls) {
      try {
        ssl = SslContextBuilder.forClient().build();
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS for " + baseUrl + ": " + e.getMessage(), e);
      }
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException("target.url must not have a path (the backend chooses it), but was " + baseUrl);
    }
    return new StreamTarget(uri.getHost(), port, tls, hostHeader, apiKey, ssl,
        (tls ? "https://" : "http://") + hostHeader, keepAlive, extraHeaderLines);
  }

  /**
   * The head of a streamed request to {@code path}, every line but the request id and the length,
   * which change per request. Written by hand rather than by Netty's encoder: the head is the same
   * for every request, and encoding it from a header map was a quarter of the send's time on C1. The
   * key was checked to be header-safe when read ({@code Target}).
   */
  byte[] requestHead(String path) {
    return ("POST " + path + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Accept: text/event-stream\r\n"
        + "User-Agent: llm-serving-bench\r\n"
        + (keepAlive ? "" : "Connection: close\r\n")
        + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
        + extraHeaderLines).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return poolKey; // never the API key
  }
}
