package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A prefill-only request (scoring, rerank, embeddings): the engine puts its tokens through the model
 * in one sequence that generates nothing, so its latency grows with its items and their tokens; its
 * answer is written once that prefill is done. Answers are deterministic (hashes of the emulator's
 * seed and the input) unless the request carries {@link Fault#NONDETERMINISTIC}.
 */
sealed interface PoolingRequest permits ScoreRequest, PairScoreRequest, RerankRequest, EmbeddingRequest {

  /** Writes the whole response body of the finished sequence into {@code root} (event loop). */
  void answer(ObjectNode root, Sequence s, long seed);

  /** Most relative change {@link Fault#NONDETERMINISTIC} makes to a score or a vector component. */
  double NOISE = 0.05;

  /**
   * A cross-encoder's score of the pair in (0, 1): the sigmoid of a logit drawn uniformly in [-4, 4)
   * from a hash of the seed and both texts. vLLM's score and rerank APIs give a pair the same score.
   */
  static double pairScore(long seed, String first, String second) {
    long h = ScoreRequest.mix(hash(hash(seed ^ 0x5C0E5C0E5C0EL, first), second));
    double logit = ((h >>> 11) * 0x1.0p-53) * 8 - 4;
    return 1 / (1 + Math.exp(-logit));
  }

  /** FNV-style hash of {@code s} on top of {@code seed}, mixed. */
  static long hash(long seed, String s) {
    long h = seed;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    return ScoreRequest.mix(h);
  }

  /**
   * A random relative change of at least 0.5% and at most {@link #NOISE}, either sign; not seeded,
   * so two identical requests differ.
   */
  static double noise() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    double magnitude = 0.005 + r.nextDouble() * (NOISE - 0.005);
    return r.nextBoolean() ? magnitude : -magnitude;
  }

  /** A probability or score in [0, 1] changed by {@link #noise()}, kept below 1. */
  static double perturbed(double p) {
    double u = noise();
    double changed = p * (1 + u);
    return changed < 1 ? changed : p * (1 - Math.abs(u));
  }

  /** The results to answer: all of them, or all but the last under {@link Fault#WRONG_SHAPE}. */
  static <T> List<T> shaped(List<T> results, Sequence s) {
    return s.fault == Fault.WRONG_SHAPE && !results.isEmpty() ? results.subList(0, results.size() - 1) : results;
  }

  /** vLLM's {@code UsageInfo} of a pooling request: prompt tokens only. */
  static void usage(ObjectNode root, Sequence s) {
    root.putObject("usage").put("prompt_tokens", s.promptTokens).put("total_tokens", s.promptTokens)
        .put("completion_tokens", 0).putNull("prompt_tokens_details");
  }
}
