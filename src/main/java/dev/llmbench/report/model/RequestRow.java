package dev.llmbench.report.model;

import dev.llmbench.requests.RequestResult;
import java.util.Comparator;
import java.util.Objects;

/**
 * One request as {@code requests.csv} shows it: the side file's row with its times in milliseconds.
 *
 * @param requestId the {@code X-Request-Id} sent with the request
 * @param group the profile/config the request belongs to, "" when none
 * @param warmup true for a warm-up request (left out of every statistic)
 * @param ok whether the request succeeded
 * @param httpStatus the response status, 0 when none arrived
 * @param error what went wrong, or null
 * @param promptTokens prompt tokens (the server's usage figure when it sent one, else the planned length)
 * @param outputTokens output tokens
 * @param ttftMs time to first token in milliseconds, NaN when no content arrived
 * @param tpotMs time per output token in milliseconds, NaN when undefined (at most one output token)
 * @param e2eMs end-to-end latency in milliseconds
 * @param resends times it was sent again on a new connection (its reused one closed before any byte of the answer)
 */
public record RequestRow(String requestId, String group, boolean warmup, boolean ok, int httpStatus, String error,
    int promptTokens, int outputTokens, double ttftMs, double tpotMs, double e2eMs, int resends) {

  /** A row of a request sent once. */
  public RequestRow(String requestId, String group, boolean warmup, boolean ok, int httpStatus, String error,
      int promptTokens, int outputTokens, double ttftMs, double tpotMs, double e2eMs) {
    this(requestId, group, warmup, ok, httpStatus, error, promptTokens, outputTokens, ttftMs, tpotMs, e2eMs, 0);
  }

  /** By request id, with numeric suffixes compared as numbers ({@code r-2} before {@code r-10}), then group. */
  public static final Comparator<RequestRow> ORDER =
      Comparator.comparing(RequestRow::requestId, RequestRow::compareIds).thenComparing(RequestRow::group);

  public RequestRow {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(group, "group");
    if (!Double.isNaN(ttftMs) && !(ttftMs >= 0 && Double.isFinite(ttftMs))) {
      throw new IllegalArgumentException("request " + requestId + ": ttftMs must be >= 0 or NaN, but was " + ttftMs);
    }
    if (!Double.isNaN(tpotMs) && !Double.isFinite(tpotMs)) {
      throw new IllegalArgumentException("request " + requestId + ": tpotMs must be finite or NaN, but was " + tpotMs);
    }
    Distribution.finite("request " + requestId + ": e2eMs", e2eMs);
  }

  /** The row of one side-file record. */
  public static RequestRow of(RequestResult r) {
    return new RequestRow(r.requestId(), r.group(), r.warmup(), r.ok(), r.httpStatus(), r.error(), r.promptTokens(),
        r.outputTokens(), r.ttftMicros() < 0 ? Double.NaN : r.ttftMicros() / 1_000.0, r.tpotMicros() / 1_000.0,
        r.e2eMicros() / 1_000.0, r.resends());
  }

  /** Compares ids by the text before their trailing digits, then by those digits as a number. */
  static int compareIds(String a, String b) {
    // Index arithmetic only: the post-run step sorts every request by this, and a substring and a
    // regular expression per comparison were a tenth of its CPU on a 42,000-request run.
    int sa = digitsStart(a);
    int sb = digitsStart(b);
    int c = compareRegions(a, 0, sa, b, 0, sb);
    if (c != 0) {
      return c;
    }
    int za = significantStart(a, sa);
    int zb = significantStart(b, sb);
    c = Integer.compare(a.length() - za, b.length() - zb);
    if (c != 0) {
      return c;
    }
    c = compareRegions(a, za, a.length(), b, zb, b.length());
    return c != 0 ? c : a.compareTo(b);
  }

  /** {@code a.substring(fromA, toA).compareTo(b.substring(fromB, toB))}, without the substrings. */
  private static int compareRegions(String a, int fromA, int toA, String b, int fromB, int toB) {
    int n = Math.min(toA - fromA, toB - fromB);
    for (int i = 0; i < n; i++) {
      char x = a.charAt(fromA + i);
      char y = b.charAt(fromB + i);
      if (x != y) {
        return x - y;
      }
    }
    return (toA - fromA) - (toB - fromB);
  }

  /** Where the number that starts at {@code from} starts without its leading zeros (one zero stays). */
  private static int significantStart(String s, int from) {
    int i = from;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return i;
  }

  private static int digitsStart(String s) {
    int i = s.length();
    while (i > 0 && Character.isDigit(s.charAt(i - 1)) && s.charAt(i - 1) < 128) {
      i--;
    }
    return i;
  }
}
