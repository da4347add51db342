package dev.llmbench.workload;

import java.util.List;

/**
 * One request whose answer is one body ({@code dev.llmbench.stream.PoolingApi}): a query against a
 * batch of items (scored with SGLang's label tokens, ranked, embedded), or a prompt completed whole.
 *
 * @param ticket its query as the prompt, the tokens it puts through the model (query once per item
 *     plus the items, as a scoring server prefills them) as input, the completion's length as output
 *     (0 for pooling), its warm-up flag and group
 * @param items the batch; one item, the query itself, for a completion
 * @param labelTokenIds the label tokens whose probabilities SGLang's {@code /v1/score} returns
 */
public record PoolingRequest(Ticket ticket, List<String> items, List<Integer> labelTokenIds) {
  public PoolingRequest {
    items = List.copyOf(items);
    labelTokenIds = List.copyOf(labelTokenIds);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a pooling request needs at least one item");
    }
  }
}
