package dev.llmbench.emulator;

/**
 * Timing of a continuously-batching engine (vLLM / SGLang style).
 *
 * <p>The engine runs in steps. Each step decodes one token for every running sequence that has
 * finished its prefill, and spends up to {@code prefillChunkTokens} of prompt processing on
 * sequences still in prefill (chunked prefill, first come first served). A step lasts
 *
 * <pre>
 *   decodeStepBaseMicros + decodeStepPerSequenceMicros * decodingSequences
 *     + prefillTokensThisStep / prefillTokensPerSecond
 * </pre>
 *
 * so time-to-first-token grows with prompt length and with queueing, and time-per-output-token grows
 * with the number of running sequences, as on a real engine. A sequence is admitted from the FCFS
 * waiting queue while fewer than {@code maxRunningSequences} run and its prompt plus its maximum
 * output fit in the remaining {@code kvCacheTokens}; otherwise it waits (no preemption).
 *
 * @param prefillTokensPerSecond prompt tokens processed per second of step time
 * @param decodeStepBaseMicros fixed cost of one decode step, in microseconds
 * @param decodeStepPerSequenceMicros added cost per decoding sequence in a step, in microseconds
 * @param maxRunningSequences most sequences in the running batch
 * @param kvCacheTokens KV-cache budget in tokens (prompt + maximum output of every running sequence)
 * @param prefillChunkTokens most prompt tokens prefilled in one step
 * @param tokensPerChunk tokens merged into one streamed chunk (1 = one event per token)
 * @param meanNaturalOutputTokens mean length of an answer that ends by EOS (no ignore_eos)
 */
public record TimingModel(
    double prefillTokensPerSecond,
    double decodeStepBaseMicros,
    double decodeStepPerSequenceMicros,
    int maxRunningSequences,
    long kvCacheTokens,
    int prefillChunkTokens,
    int tokensPerChunk,
    int meanNaturalOutputTokens) {

  /** Looks like a small GPU serving an 8B model: ~16k prompt tok/s, ~5 ms steps growing 30 µs per sequence. */
  public static final TimingModel DEFAULT =
      new TimingModel(16_000, 5_000, 30, 256, 1L << 20, 8_192, 1, 256);

  public TimingModel {
    require(prefillTokensPerSecond > 0, "prefillTokensPerSecond must be > 0, but was " + prefillTokensPerSecond);
    require(decodeStepBaseMicros >= 0, "decodeStepBaseMicros must be >= 0, but was " + decodeStepBaseMicros);
    require(decodeStepPerSequenceMicros >= 0,
        "decodeStepPerSequenceMicros must be >= 0, but was " + decodeStepPerSequenceMicros);
    require(decodeStepBaseMicros + decodeStepPerSequenceMicros > 0,
        "a decode step must take some time: decodeStepBaseMicros + decodeStepPerSequenceMicros must be > 0");
    require(maxRunningSequences > 0, "maxRunningSequences must be > 0, but was " + maxRunningSequences);
    require(kvCacheTokens > 0, "kvCacheTokens must be > 0, but was " + kvCacheTokens);
    require(prefillChunkTokens > 0, "prefillChunkTokens must be > 0, but was " + prefillChunkTokens);
    require(tokensPerChunk > 0, "tokensPerChunk must be > 0, but was " + tokensPerChunk);
    require(meanNaturalOutputTokens > 0, "meanNaturalOutputTokens must be > 0, but was " + meanNaturalOutputTokens);
  }

  /** Step duration in nanoseconds for the given batch. */
  public long stepNanos(int decodingSequences, long prefillTokens) {
    double micros = decodeStepBaseMicros + decodeStepPerSequenceMicros * decodingSequences;
    return Math.round(micros * 1_000 + prefillTokens * 1e9 / prefillTokensPerSecond);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
