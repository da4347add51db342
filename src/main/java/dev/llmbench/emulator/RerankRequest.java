package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed {@code /v1/rerank} request (vLLM's, after Jina's and Cohere's): each document's relevance
 * to the query, the score vLLM's {@code /v1/score} gives the pair, sorted best first.
 *
 * @param query the query
 * @param documents the documents' texts, in request order
 * @param topN how many results to answer; 0 (the default) for all
 */
record RerankRequest(String query, List<String> documents, int topN) implements PoolingRequest {

  private record Ranked(int index, double score) {}

  /** Best first; equal scores in request order, so the answer is stable. */
  private static final Comparator<Ranked> BEST_FIRST =
      Comparator.comparingDouble(Ranked::score).reversed().thenComparingInt(Ranked::index);

  /**
   * vLLM's {@code RerankResponse}: {@code {"id","model","usage":{"prompt_tokens","total_tokens"},
   * "results":[{"index","document":{"text"},"relevance_score"}]}}, sorted by score descending, at
   * most {@code top_n} results.
   */
  @Override
  public void answer(ObjectNode root, Sequence s, long seed) {
    List<Ranked> ranked = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      double score = PoolingRequest.pairScore(seed, query, documents.get(i));
      ranked.add(new Ranked(i, s.fault == Fault.NONDETERMINISTIC ? PoolingRequest.perturbed(score) : score));
    }
    ranked.sort(BEST_FIRST);
    if (topN > 0 && topN < ranked.size()) {
      ranked = ranked.subList(0, topN);
    }
    root.put("id", s.id).put("model", s.model);
    root.putObject("usage").put("prompt_tokens", s.promptTokens).put("total_tokens", s.promptTokens);
    ArrayNode results = root.putArray("results");
    for (Ranked r : PoolingRequest.shaped(ranked, s)) {
      ObjectNode result = results.addObject().put("index", r.index());
      result.putObject("document").put("text", documents.get(r.index()));
      result.put("relevance_score", r.score());
    }
  }
}
