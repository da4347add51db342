package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed {@code /v1/score} request (SGLang's scoring API): the probability of each label token
 * after {@code query + item} (or {@code item + query} with {@code item_first}).
 */
record ScoreRequest(String query, List<String> items, List<Integer> labelTokenIds, boolean applySoftmax,
    boolean itemFirst) implements PoolingRequest {

  /** What {@link Fault#BAD_PROBABILITIES} scales each probability by. */
  static final double BAD_PROBABILITY_SCALE = 0.8;

  /**
   * SGLang's answer: {@code {"scores":[[p, ...], ...],"model":...,"usage":null,"object":"scoring"}},
   * one list per item, one probability per label.
   */
  @Override
  public void answer(ObjectNode root, Sequence s, long seed) {
    ArrayNode scores = root.putArray("scores");
    for (List<Double> item : PoolingRequest.shaped(scores(seed), s)) {
      ArrayNode row = scores.addArray();
      double[] ps = item.stream().mapToDouble(Double::doubleValue).toArray();
      double sum = 0;
      for (int i = 0; i < ps.length; i++) {
        if (s.fault == Fault.BAD_PROBABILITIES) {
          ps[i] *= BAD_PROBABILITY_SCALE;
        } else if (s.fault == Fault.NONDETERMINISTIC) {
          ps[i] = PoolingRequest.perturbed(ps[i]);
        }
        sum += ps[i];
      }
      for (double p : ps) {
        // Other scores, still probabilities: over the labels alone they still sum to 1.
        row.add(s.fault == Fault.NONDETERMINISTIC && applySoftmax ? p / sum : p);
      }
    }
    root.put("model", s.model).putNull("usage").put("object", "scoring");
  }

  /**
   * Deterministic scores, one list per item, one probability per label: the labels' logits come
   * from a hash of (query, item, label); the remaining vocabulary holds a fixed logit of 0 unless
   * {@code apply_softmax} normalises over the labels alone.
   */
  List<List<Double>> scores(long seed) {
    long queryHash = PoolingRequest.hash(seed, query);
    return items.stream().map(item -> {
      long pair = PoolingRequest.hash(queryHash, item);
      double[] logits = new double[labelTokenIds.size()];
      double max = 0;
      for (int i = 0; i < logits.length; i++) {
        long h = mix(pair ^ (labelTokenIds.get(i) * 0x9E3779B97F4A7C15L));
        logits[i] = ((h >>> 11) * 0x1.0p-53) * 8 - 4; // uniform in [-4, 4)
        max = Math.max(max, logits[i]);
      }
      double sum = applySoftmax ? 0 : Math.exp(-max) * 1000; // the rest of the vocabulary
      double[] e = new double[logits.length];
      for (int i = 0; i < logits.length; i++) {
        e[i] = Math.exp(logits[i] - max);
        sum += e[i];
      }
      double total = sum;
      return Arrays.stream(e).map(v -> v / total).boxed().toList();
    }).toList();
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
