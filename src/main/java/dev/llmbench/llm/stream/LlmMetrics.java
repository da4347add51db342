package dev.llmbench.llm.stream;

/** Names of the rows the streaming action reports to Gatling: they are report keys, keep them stable. */
public final class LlmMetrics {
  /** Time to first token. */
  public static final String TTFT = "TTFT";
  /** Inter-token latency: one entry per content event after the first, only with {@code -Dgatling.itl.rows=true}. */
  public static final String ITL = "ITL";
  /** Time per output token after the first, one entry per request. */
  public static final String TPOT = "TPOT";
  /** End-to-end latency of the whole stream; failed requests are reported here as KO. */
  public static final String E2E = "E2E";
  /** Warm-up requests, left out of every statistic. */
  public static final String WARMUP = "warm-up";

  private LlmMetrics() {}
}
