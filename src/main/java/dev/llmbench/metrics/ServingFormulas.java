package dev.llmbench.metrics;

import java.util.Arrays;

/**
 * The per-request serving metrics, defined as SGLang's {@code bench_serving.py} defines them (and
 * {@code vllm bench serve} where it agrees), and an offline batch's, as SGLang's {@code bench_one_batch}
 * defines them ({@link #batch}). Each formula is written once, here; its test is
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
   * Client queue time (vLLM's {@code client_queue_time}, reported under {@code --max-concurrency}): how
   * long a request waited in the load generator after its scheduled arrival before it was sent, the
   * send stamp minus the arrival; at least 0 (a request sent a hair before its due time did not queue).
   * With {@link #e2eIncludingClientQueue} it gives the latency a user arriving then would have seen.
   */
  public static long clientQueue(long arrival, long sent) {
    return Math.max(0, sent - arrival);
  }

  /**
   * E2E latency including the client queue (vLLM's {@code e2el_including_client_queue}): the request's
   * end minus its scheduled arrival, the coordinated-omission view of {@link #e2e}.
   */
  public static long e2eIncludingClientQueue(long e2e, long clientQueue) {
    return e2e + clientQueue;
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

  /**
   * Whether a completed request counts toward TPOT: bench_serving leaves out requests of at most one
   * output token, whose TPOT is undefined ({@link #tpot}).
   */
  public static boolean countsTowardTpot(int outputTokens, double tpot) {
    return outputTokens > 1 && !Double.isNaN(tpot);
  }

  /**
   * TPOT as goodput judges it (vLLM's {@code calculate_metrics}): the request's TPOT when it had more
   * than one output token, else 0 (vLLM appends 0 to {@code all_tpots} for such requests, so a TPOT
   * objective never fails them), where the TPOT distribution leaves them out ({@link #countsTowardTpot}).
   */
  public static double goodputTpot(int outputTokens, double tpot) {
    return outputTokens > 1 ? tpot : 0;
  }

  /**
   * Whether a completed request is good, as vLLM's {@code --goodput} defines it: it meets every objective
   * given, each objective {@code s} met when {@code s >= r} for the measured value {@code r} (a value
   * equal to its objective meets it). Values in ms; an unknown (NaN) measured value meets no objective.
   *
   * @param slo the objectives that apply to the request (see {@link Slo#forPooling} for pooling requests)
   * @param ttftMs its time to first token
   * @param tpotMs its TPOT as {@link #goodputTpot} gives it
   * @param e2elMs its end-to-end latency
   */
  public static boolean goodRequest(Slo slo, double ttftMs, double tpotMs, double e2elMs) {
    return meets(slo.ttftMs(), ttftMs) && meets(slo.tpotMs(), tpotMs) && meets(slo.e2elMs(), e2elMs);
  }

  private static boolean meets(Double objective, double measured) {
    return objective == null || objective >= measured;
  }

  /** An amount per second of a duration; 0 for a zero duration (nothing was measured). */
  public static double perSecond(double amount, double durationSeconds) {
    return durationSeconds > 0 ? amount / durationSeconds : 0;
  }

  /**
   * A group's throughputs, as bench_serving's {@code calculate_metrics} defines them.
   *
   * @param requests completed requests per second
   * @param input input tokens of the completed requests per second
   * @param output output tokens of the completed requests per second
   * @param total input and output tokens together per second
   */
  public record Throughputs(double requests, double input, double output, double total) {}

  /** Completed requests and their input and output tokens, each over the group's duration ({@link #perSecond}). */
  public static Throughputs throughputs(double completed, double inputTokens, double outputTokens,
      double durationSeconds) {
    return new Throughputs(perSecond(completed, durationSeconds), perSecond(inputTokens, durationSeconds),
        perSecond(outputTokens, durationSeconds), perSecond(inputTokens + outputTokens, durationSeconds));
  }

  /** Failed requests over measured ones; 0 when nothing was measured. */
  public static double errorRate(long failed, long measured) {
    return measured == 0 ? 0 : (double) failed / measured;
  }

  // ---- Offline batches: SGLang's bench_one_batch over HTTP ----

  /**
   * The latencies of one batch of {@code B} requests released at once, as SGLang's
   * {@code bench_one_batch} ({@code latency_test_run_once}) measures a batch inside the engine, read
   * from the client's stamps: the batch only moves on when its slowest member has, so each figure is
   * taken at the <i>last</i> request of the batch.
   * <ul>
   *   <li>prefill latency: the release to the last first token of the batch (bench_one_batch times the
   *       extend step that yields every request's first token);
   *   <li>decode step {@code k} (k &ge; 1): when the last request of the batch got its token {@code k}
   *       minus when the last got token {@code k-1} (bench_one_batch times each decode step of the
   *       whole batch; over HTTP a step is over once every request has its token);
   *   <li>E2E latency: the release to the last token of the batch.
   * </ul>
   * The steps run over the tokens every request got (the shortest answer's count); with exact lengths
   * ({@code ignore_eos}) that is the output length.
   *
   * @param release when the batch was released (its first send), the stamps' unit
   * @param tokenTimes per request, the arrival of each output token (content event), ascending; at least one each
   */
  public static BatchLatencies batch(long release, long[][] tokenTimes) {
    if (tokenTimes.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one request");
    }
    int tokens = Integer.MAX_VALUE;
    for (long[] t : tokenTimes) {
      if (t.length == 0) {
        throw new IllegalArgumentException("every request of a batch needs at least one token");
      }
      tokens = Math.min(tokens, t.length);
    }
    long[] lastAt = new long[tokens];
    Arrays.fill(lastAt, Long.MIN_VALUE);
    long end = Long.MIN_VALUE;
    for (long[] t : tokenTimes) {
      for (int k = 0; k < tokens; k++) {
        lastAt[k] = Math.max(lastAt[k], t[k] - release);
      }
      end = Math.max(end, t[t.length - 1] - release);
    }
    long[] steps = new long[tokens - 1];
    for (int k = 1; k < tokens; k++) {
      steps[k - 1] = lastAt[k] - lastAt[k - 1];
    }
    return new BatchLatencies(lastAt[0], steps, end);
  }

  /**
   * One batch's latencies ({@link #batch}), in the unit of its stamps.
   *
   * @param prefill the release to the last first token
   * @param decodeSteps each decode step's latency, in token order
   * @param e2e the release to the last token
   */
  public record BatchLatencies(long prefill, long[] decodeSteps, long e2e) {}

  /** bench_one_batch's prefill throughput: {@code input_len * batch_size / prefill_latency}, tok/s. */
  public static double prefillThroughput(int inputLen, int batch, double prefillSeconds) {
    return prefillSeconds > 0 ? (double) inputLen * batch / prefillSeconds : Double.NaN;
  }

  /**
   * bench_one_batch's decode throughput of a step: {@code batch_size / step_latency}, tok/s (its median
   * decode throughput is this of the median step latency).
   */
  public static double decodeStepThroughput(int batch, double stepSeconds) {
    return stepSeconds > 0 ? batch / stepSeconds : Double.NaN;
  }

  /**
   * bench_one_batch's total (E2E) throughput: {@code (input_len + output_len) * batch_size / total_latency},
   * tok/s, the lengths as asked for.
   */
  public static double batchTotalThroughput(int inputLen, int outputLen, int batch, double totalSeconds) {
    return totalSeconds > 0 ? ((double) inputLen + outputLen) * batch / totalSeconds : Double.NaN;
  }
}
