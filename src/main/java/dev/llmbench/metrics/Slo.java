package dev.llmbench.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Service-level objectives of one request, as {@code vllm bench serve --goodput ttft:200,tpot:50,e2el:20000}
 * gives them: each an upper bound in milliseconds, each optional (null when not given), at least one
 * given. A request is good when it meets every objective given ({@link ServingFormulas#goodRequest}).
 *
 * @param ttftMs the most time to first token, ms; null when not an objective
 * @param tpotMs the most time per output token, ms; null when not an objective
 * @param e2elMs the most end-to-end latency, ms; null when not an objective
 */
public record Slo(Double ttftMs, Double tpotMs, Double e2elMs) {

  /** The keys, in the canonical form's (sorted) order. */
  public static final List<String> KEYS = List.of("e2el", "tpot", "ttft");

  public Slo {
    if (ttftMs == null && tpotMs == null && e2elMs == null) {
      throw new IllegalArgumentException("needs at least one objective of " + KEYS);
    }
    check("ttft", ttftMs);
    check("tpot", tpotMs);
    check("e2el", e2elMs);
  }

  private static void check(String key, Double ms) {
    if (ms != null && !(ms > 0 && Double.isFinite(ms))) {
      throw new IllegalArgumentException("objective " + key + " must be a positive number of ms, but was " + ms);
    }
  }

  /**
   * Parses {@code key:ms,...} (keys {@code ttft}, {@code tpot}, {@code e2el}, each at most once; values
   * positive milliseconds, decimals allowed).
   *
   * @throws IllegalArgumentException naming the part that is wrong and what is valid
   */
  public static Slo parse(String text) {
    Double ttft = null;
    Double tpot = null;
    Double e2el = null;
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    for (String part : text.split(",", -1)) {
      String[] kv = part.trim().split(":", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("part \"" + part.trim() + "\" is not key:ms");
      }
      String key = kv[0].trim().toLowerCase(Locale.ROOT);
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("has unknown objective \"" + kv[0].trim()
            + "\"; the objectives are ttft, tpot and e2el");
      }
      double ms;
      try {
        ms = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("objective " + key + " must be a positive number of ms, but was \""
            + kv[1].trim() + "\"", e);
      }
      if (!(ms > 0 && Double.isFinite(ms))) {
        throw new IllegalArgumentException("objective " + key + " must be a positive number of ms, but was \""
            + kv[1].trim() + "\"");
      }
      boolean twice = switch (key) {
        case "ttft" -> ttft != null;
        case "tpot" -> tpot != null;
        default -> e2el != null;
      };
      if (twice) {
        throw new IllegalArgumentException("gives objective " + key + " twice");
      }
      switch (key) {
        case "ttft" -> ttft = ms;
        case "tpot" -> tpot = ms;
        default -> e2el = ms;
      }
    }
    return new Slo(ttft, tpot, e2el);
  }

  /** The objectives a pooling request (one answer, no first token) can meet: E2E latency alone; null without one. */
  public Slo forPooling() {
    return e2elMs == null ? null : new Slo(null, null, e2elMs);
  }

  /**
   * The canonical form, keys sorted ({@code e2el:20000,tpot:50,ttft:200}); what {@code llm-run.json}
   * records and a baseline compares, so that the same objectives written in another order compare equal.
   */
  public String canonical() {
    List<String> parts = new ArrayList<>();
    if (e2elMs != null) {
      parts.add("e2el:" + number(e2elMs));
    }
    if (tpotMs != null) {
      parts.add("tpot:" + number(tpotMs));
    }
    if (ttftMs != null) {
      parts.add("ttft:" + number(ttftMs));
    }
    return String.join(",", parts);
  }

  private static String number(double ms) {
    return java.math.BigDecimal.valueOf(ms).stripTrailingZeros().toPlainString();
  }
}
