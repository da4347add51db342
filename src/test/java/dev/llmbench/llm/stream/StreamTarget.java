package dev.llmbench.llm.stream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import javax.net.ssl.SSLException;

/** Host, port and scheme of the server, parsed once. */
record StreamTarget(String host, int port, boolean tls, String hostHeader, String apiKey, SslContext ssl) {

  static StreamTarget of(String baseUrl, String apiKey) {
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
    return new StreamTarget(uri.getHost(), port, tls, hostHeader, apiKey, ssl);
  }

  String key() {
    return (tls ? "https://" : "http://") + hostHeader;
  }

  @Override
  public String toString() {
    return key(); // never the API key
  }
}
