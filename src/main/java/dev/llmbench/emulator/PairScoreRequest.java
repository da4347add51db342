package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed vLLM {@code /v1/score} request ({@code text_1}, {@code text_2}): one score in (0, 1) per
 * pair, a cross-encoder's answer. {@code text_1} of one text is paired with every {@code text_2}
 * (1:N), else the lists pair up by position (N:N), as vLLM pairs them.
 *
 * @param firsts the pairs' first texts, one per pair (a single {@code text_1} repeated)
 * @param seconds the pairs' second texts
 */
record PairScoreRequest(List<String> firsts, List<String> seconds) implements PoolingRequest {

  /**
   * vLLM's {@code ScoreResponse}: {@code {"id","object":"list","created","model","data":[{"index",
   * "object":"score","score"}],"usage":{"prompt_tokens","total_tokens","completion_tokens":0,
   * "prompt_tokens_details":null}}}, data in the order of the pairs.
   */
  @Override
  public void answer(ObjectNode root, Sequence s, long seed) {
    root.put("id", s.id).put("object", "list").put("created", s.createdEpochSeconds).put("model", s.model);
    List<Double> scores = new ArrayList<>(seconds.size());
    for (int i = 0; i < seconds.size(); i++) {
      double score = PoolingRequest.pairScore(seed, firsts.get(i), seconds.get(i));
      scores.add(s.fault == Fault.NONDETERMINISTIC ? PoolingRequest.perturbed(score) : score);
    }
    ArrayNode data = root.putArray("data");
    List<Double> answered = PoolingRequest.shaped(scores, s);
    for (int i = 0; i < answered.size(); i++) {
      data.addObject().put("index", i).put("object", "score").put("score", answered.get(i));
    }
    PoolingRequest.usage(root, s);
  }
}
