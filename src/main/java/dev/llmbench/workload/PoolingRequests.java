package dev.llmbench.workload;

import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Pooling requests of random text: a query of {@code queryTokens} and {@code batchSize} items of
 * {@code itemTokens}, each request its own text, seeded. Distinct texts keep a server's prefix cache
 * from answering a repeated request from memory, which would measure the cache, not the model.
 */
public final class PoolingRequests {
  private PoolingRequests() {}

  /**
   * {@code count} requests of one cell.
   *
   * @param group the cell (the Gatling group of its rows)
   * @param labelTokenIds the label tokens each request asks for
   * @param queryPerItem whether the server puts the query through the model with each item (scores,
   *     rerank), so a request's planned tokens count it once per item; false for embeddings (items alone)
   * @param prompts how random text of a given token count is built (the model's tokens when sized)
   */
  public static List<PoolingRequest> generate(String group, int count, boolean warmup, int batchSize, int queryTokens,
      int itemTokens, List<Integer> labelTokenIds, boolean queryPerItem, PromptTokens prompts, long seed) {
    Random random = Seeds.random(seed);
    List<PoolingRequest> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PromptTokens.Built query = prompts.build(queryTokens, random);
      List<String> items = new ArrayList<>(batchSize);
      int tokens = 0;
      for (int j = 0; j < batchSize; j++) {
        PromptTokens.Built item = prompts.build(itemTokens, random);
        items.add(item.text());
        // A scoring server puts the query through the model once per item, with the item.
        tokens += (queryPerItem ? query.tokens() : 0) + item.tokens();
      }
      Ticket t = new Ticket(i, query.text(), tokens, 0, 0, warmup, group);
      out.add(new PoolingRequest(t, items, labelTokenIds));
    }
    return out;
  }

  /** {@code count} copies of one request: equal inputs, whose answers must agree (the stress test's). */
  public static List<PoolingRequest> copies(PoolingRequest request, String group, int count, boolean warmup) {
    List<PoolingRequest> out = new ArrayList<>(count);
    Ticket t = request.ticket();
    for (int i = 0; i < count; i++) {
      out.add(new PoolingRequest(new Ticket(i, t.prompt(), t.inputTokens(), t.outputTokens(), 0, warmup, group),
          request.items(), request.labelTokenIds()));
    }
    return out;
  }
}
