package dev.llmbench.stream;

import java.util.Locale;

/**
 * The parameters of a response's {@code Keep-Alive} header (RFC 2068 §19.7.1, still sent by many
 * servers: llama.cpp's {@code Keep-Alive: timeout=5, max=100}, Apache httpd's): how long the server
 * keeps an idle connection open, in seconds, and how many requests it serves on one connection. A
 * client that reuses a connection past either finds it closed under its next request.
 *
 * @param timeoutSeconds the server's idle timeout, -1 when not given
 * @param max most requests on the connection (counting the one this response answers), -1 when not given
 */
public record KeepAlive(long timeoutSeconds, long max) {
  /** No parameters: the connection's life is the server's secret. */
  public static final KeepAlive NONE = new KeepAlive(-1, -1);

  /**
   * Reads {@code timeout=N, max=M} (either, both, in any order, any case, with spaces; a quoted value
   * is unquoted). Parameters that are not numbers, negative or unknown are ignored, as clients do:
   * a header that cannot be read gives no limit rather than a failed run.
   */
  public static KeepAlive parse(String value) {
    if (value == null) {
      return NONE;
    }
    long timeout = -1;
    long max = -1;
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String v = part.substring(eq + 1).trim();
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
        v = v.substring(1, v.length() - 1).trim();
      }
      long n = number(v);
      if (n < 0) {
        continue;
      }
      if (name.equals("timeout")) {
        timeout = n;
      } else if (name.equals("max")) {
        max = n;
      }
    }
    return timeout < 0 && max < 0 ? NONE : new KeepAlive(timeout, max);
  }

  private static long number(String v) {
    if (v.isEmpty() || v.length() > 18) {
      return -1;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(v);
  }
}
