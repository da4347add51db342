package dev.llmbench.emulator;

import dev.llmbench.tokenizer.WordTokenizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * One request inside the emulator. Fields are grouped by the thread that owns them: the request
 * fields are fixed before the sequence reaches the engine; the engine fields are touched only by the
 * engine thread; the stream fields only by the channel's event loop.
 */
final class Sequence {
  // --- fixed at parse time -------------------------------------------------------------------
  final String id;
  final String clientRequestId;
  /** The client's {@code X-Session-ID} header (a multi-turn session's requests carry it), or null: set once, at parse. */
  String sessionId;
  final Api api;
  final boolean stream;
  final boolean includeUsage;
  final String model;
  final long createdEpochSeconds;
  final int promptTokens;
  /** Tokens this request will generate (exact with ignore_eos, else min(max_tokens, natural EOS length)). */
  final int outputTokens;
  /** "length" when max_tokens was reached, "stop" when the emulated EOS came first. */
  final String finishReason;
  final long textSeed;
  final Fault fault;
  final int faultAfterTokens;
  final long faultMillis;
  final Channel channel;
  final long arrivalNanos;
  final long arrivalEpochMicros;
  final boolean keepAlive;
  /** For pooling requests (score, rerank, embeddings): what the answer needs; null for generation. */
  final PoolingRequest pooling;
  /**
   * {@link Fault#NONDETERMINISTIC} on a generation: the output token from which the text leaves its
   * seeded course (-1: never), and the salt of its new course. Set by the parser before the sequence
   * is submitted.
   */
  int divergeAt = -1;
  long divergeSalt;
  /**
   * The GSM8K mode's reply ({@link Gsm8kAnswers}): output token {@code i} is this word; null for the
   * seeded vocabulary words. Set by the parser before the sequence is submitted.
   */
  String[] scripted;
  /**
   * Chained keys of the prompt's full prefix-cache blocks ({@link PrefixCache#blockHashes}); null when the
   * emulator has no prefix cache or the request is not a generation. Set by the parser before submission.
   */
  long[] blockHashes;

  // --- engine thread -------------------------------------------------------------------------
  long prefillRemaining;
  long stepPrefill;
  boolean decodeThisStep;
  int generated;
  /** Tokens already handed to the event loop. */
  int handedOut;
  long kvReserved;
  long stallUntilNanos;
  /** Prompt tokens found in the prefix cache at admission (not prefilled); read by the event loop after. */
  int cachedTokens;
  boolean stallDone;

  // --- set by the event loop when the client goes away, read by the engine --------------------
  volatile boolean cancelled;

  // --- event loop ---------------------------------------------------------------------------
  int emitted;
  boolean malformedSent;
  boolean published;
  byte[] chunkPrefix;
  /** Where raw HTTP chunks are written: the context of the HTTP codec, below its encoder. */
  ChannelHandlerContext rawOut;
  byte[] chunkSuffix;
  final TraceBuilder trace;

  Sequence(String id, String clientRequestId, Api api, boolean stream, boolean includeUsage, String model,
      int promptTokens, int outputTokens, String finishReason, long textSeed, Fault fault,
      int faultAfterTokens, long faultMillis, Channel channel, long arrivalNanos, boolean keepAlive,
      PoolingRequest pooling) {
    this.id = id;
    this.clientRequestId = clientRequestId;
    this.api = api;
    this.stream = stream;
    this.includeUsage = includeUsage;
    this.model = model;
    this.createdEpochSeconds = System.currentTimeMillis() / 1000;
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
    this.finishReason = finishReason;
    this.textSeed = textSeed;
    this.fault = fault;
    this.faultAfterTokens = faultAfterTokens;
    this.faultMillis = faultMillis;
    this.channel = channel;
    this.arrivalNanos = arrivalNanos;
    this.arrivalEpochMicros = TraceClock.epochMicros(arrivalNanos);
    this.keepAlive = keepAlive;
    this.pooling = pooling;
    this.prefillRemaining = Math.max(1, promptTokens);
    // Sized for one chunk per token, so the arrays do not grow while tokens are written.
    this.trace = new TraceBuilder(this, outputTokens + 2);
  }

  /**
   * Vocabulary index of output token {@code i}; deterministic for a given text seed, unless the
   * sequence diverges ({@link #divergeAt}): from there on the tokens follow another seed, and the
   * first of them is sure to be another word.
   */
  int tokenIndex(int i) {
    if (divergeAt < 0 || i < divergeAt) {
      return tokenIndex(textSeed, i);
    }
    int t = tokenIndex(textSeed ^ divergeSalt, i);
    if (i == divergeAt) {
      int mask = WordTokenizer.VOCABULARY_SIZE - 1;
      int seeded = tokenIndex(textSeed, i);
      if ((t & mask) == (seeded & mask)) {
        t = (t & ~mask) | ((t + 1) & mask);
      }
    }
    return t;
  }

  private static int tokenIndex(long seed, int i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) ((z ^ (z >>> 31)) & 0x7fffffff);
  }
}
