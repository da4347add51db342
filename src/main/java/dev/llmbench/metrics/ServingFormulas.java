package dev.llmbench.metrics;

/**
 * The per-request serving metrics, defined as SGLang's {@code bench_serving.py} defines them (and
 * {@code vllm bench serve} where it agrees). Each formula is written once, here; its test is
 * {@code ServingFormulasTest}.
 */
public final class ServingFormulas {
  private ServingFormulas() {}

  /** Time to first token: request sent to the first event that carries output text. */
  public static long ttft(long sent, long firstContent) {
    return firstContent - sent;
  }

  /**
   * End-to-end latency: request sent to the last event read (bench_serving updates its latency on
   * every line, {@code [DONE]} included).
   */
  public static long e2e(long sent, long lastEvent) {
    return lastEvent - sent;
  }

  /**
   * Time per output token after the first: {@code (e2e - ttft) / (outputTokens - 1)}; only defined
   * for more than one output token (bench_serving leaves such requests out of TPOT).
   *
   * @return the TPOT, or {@link Double#NaN} when {@code outputTokens <= 1}
   */
  public static double tpot(long e2e, long ttft, int outputTokens) {
    return outputTokens > 1 ? (double) (e2e - ttft) / (outputTokens - 1) : Double.NaN;
  }

  /**
   * Inter-token latencies as bench_serving counts them: one gap per content event after the first,
   * whatever number of tokens the event carries.
   */
  public static long[] itlPerChunk(long[] contentTimes, int n) {
    long[] gaps = new long[Math.max(0, n - 1)];
    for (int i = 1; i < n; i++) {
      gaps[i - 1] = contentTimes[i] - contentTimes[i - 1];
    }
    return gaps;
  }

  /**
   * Inter-token latencies per token: a chunk of k tokens contributes its gap divided by k, k times
   * (as bench_serving does for SGLang's native API).
   */
  public static double[] itlPerToken(long[] contentTimes, int[] tokens, int n) {
    int total = 0;
    for (int i = 1; i < n; i++) {
      total += Math.max(1, tokens[i]);
    }
    double[] gaps = new double[total];
    int k = 0;
    for (int i = 1; i < n; i++) {
      int t = Math.max(1, tokens[i]);
      double share = (double) (contentTimes[i] - contentTimes[i - 1]) / t;
      for (int j = 0; j < t; j++) {
        gaps[k++] = share;
      }
    }
    return gaps;
  }

  /**
   * Decode throughput of one request, as {@code bench_full.py} (the ISL/OSL matrix's tool) defines it:
   * {@code completion_tokens / decode_time}, where the decode time is {@code e2e - ttft}, in tokens
   * per second of the unit given (1e3 for milliseconds). Note the numerator: all the output tokens,
   * where TPOT divides by one less.
   *
   * @return the throughput, or {@link Double#NaN} when the request had no decode time (its whole
   *     answer came in its first event) or no output
   */
  public static double decodeThroughput(double e2e, double ttft, int outputTokens, double unitsPerSecond) {
    double decode = e2e - ttft;
    return outputTokens > 0 && decode > 0 ? outputTokens * unitsPerSecond / decode : Double.NaN;
  }

  /**
   * End-to-end throughput of one request, as {@code bench_full.py} defines it:
   * {@code completion_tokens / total_time}, prefill included, in tokens per second of the unit given.
   *
   * @return the throughput, or {@link Double#NaN} when the request took no time or had no output
   */
  public static double e2eThroughput(double e2e, int outputTokens, double unitsPerSecond) {
    return outputTokens > 0 && e2e > 0 ? outputTokens * unitsPerSecond / e2e : Double.NaN;
  }
}
