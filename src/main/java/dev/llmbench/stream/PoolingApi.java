package dev.llmbench.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The APIs whose answer is one JSON body: a query scored against a batch of items, a batch ranked or
 * embedded, as the scoring runbook and {@code vllm bench serve}'s pooling backends send them. For each:
 * the path, the request body, and the check of the answer, which must have the right shape (one result
 * per item, probabilities that are probabilities), since a fast wrong answer is no answer.
 * {@link #COMPLETION} is a non-streamed completion whose text is the answer, for comparing answers.
 */
public enum PoolingApi {
  /** SGLang's {@code /v1/score}: {@code query}, {@code items}, {@code label_token_ids}, {@code apply_softmax}. */
  SGLANG_SCORE("/v1/score"),
  /** vLLM's {@code /v1/score}: {@code text_1} (the query) against each of {@code text_2} (the items). */
  VLLM_SCORE("/v1/score"),
  /** vLLM's (Jina's, Cohere's) {@code /v1/rerank}: {@code query} and {@code documents}, all ranked. */
  RERANK("/v1/rerank"),
  /** OpenAI's {@code /v1/embeddings}: the items as a batch of {@code input}s. */
  EMBEDDINGS("/v1/embeddings"),
  /** OpenAI's {@code /v1/completions}, not streamed, temperature 0: the query is the prompt, the text the answer. */
  COMPLETION("/v1/completions");

  /** How far SGLang's label probabilities may sum from 1 with {@code apply_softmax} (they are floats, rounded). */
  public static final double PROBABILITY_TOLERANCE = 1e-3;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;

  PoolingApi(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  /** The name {@code -Dpooling.api} takes: {@code sglang-score}, {@code vllm-score}, {@code rerank}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The API of a {@code -Dpooling.api} value, or null. */
  public static PoolingApi of(String wireName) {
    for (PoolingApi a : values()) {
      if (a.wireName().equals(wireName)) {
        return a;
      }
    }
    return null;
  }

  /**
   * Whether the query goes through the model with each item (a score or rerank puts query and item
   * together), so a request's tokens are the query's once per item; an embedding request embeds the
   * items alone.
   */
  public boolean queryPerItem() {
    return this != EMBEDDINGS;
  }

  /** Whether its answer has label probabilities per item (the table's Labels column means something). */
  public boolean hasLabels() {
    return this == SGLANG_SCORE;
  }

  /** The request body. {@code labelTokenIds} is SGLang's; {@code maxTokens} the completion's length. */
  public byte[] body(String model, String query, List<String> items, List<Integer> labelTokenIds, int maxTokens) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + query.length() + items.size() * 256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      switch (this) {
        case SGLANG_SCORE -> {
          g.writeStringField("query", query);
          strings(g, "items", items);
          g.writeArrayFieldStart("label_token_ids");
          for (int id : labelTokenIds) {
            g.writeNumber(id);
          }
          g.writeEndArray();
          g.writeBooleanField("apply_softmax", true);
        }
        case VLLM_SCORE -> {
          g.writeStringField("text_1", query);
          strings(g, "text_2", items);
        }
        case RERANK -> {
          g.writeStringField("query", query);
          strings(g, "documents", items);
          g.writeNumberField("top_n", items.size());
        }
        case EMBEDDINGS -> {
          strings(g, "input", items);
          g.writeStringField("encoding_format", "float");
        }
        case COMPLETION -> {
          g.writeStringField("prompt", query);
          g.writeNumberField("max_tokens", maxTokens);
          g.writeNumberField("temperature", 0);
          g.writeBooleanField("stream", false);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /**
   * What an answer said: its values as compact JSON (scores per item, rankings, embeddings, or the
   * completion's text) when it has the right shape, else why not.
   *
   * @param error null when the answer is right; else starts with {@code wrong shape:}, {@code bad probabilities:}
   *     or {@code server error in a 200 answer:}
   * @param values the answer's values, comparable across requests; null when wrong
   * @param promptTokens the prompt tokens its usage reports, or -1
   * @param completionTokens a completion's tokens as its usage reports them, or -1
   */
  public record Answer(String error, String values, int promptTokens, int completionTokens) {
    /** An answer without a completion's token count (every API but the completion's). */
    public Answer(String error, String values, int promptTokens) {
      this(error, values, promptTokens, -1);
    }
  }

  /** Checks a 200 answer to a request of {@code items} items and {@code labels} labels. */
  public Answer read(byte[] body, int items, int labels) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return new Answer("wrong shape: the answer is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", null, -1);
    }
    if (root == null || !root.isObject()) {
      return new Answer("wrong shape: the answer is not a JSON object", null, -1);
    }
    // A server may report a failure in a 200 answer ({"error": ...}, vLLM's {"object": "error", ...}):
    // its message is the error, so an out-of-memory one is named as such.
    JsonNode failure = root.get("error");
    if ((failure != null && !failure.isNull()) || "error".equals(root.path("object").asText())) {
      String message = failure == null || failure.isNull() ? root.path("message").asText(root.toString())
          : failure.isObject() ? failure.path("message").asText(failure.toString()) : failure.asText();
      return new Answer("server error in a 200 answer: " + message, null, -1);
    }
    int promptTokens = root.path("usage").path("prompt_tokens").asInt(-1);
    String error = switch (this) {
      case SGLANG_SCORE -> sglangScores(root.get("scores"), items, labels);
      case VLLM_SCORE -> listed(root.get("data"), items, "score", "scores");
      case RERANK -> listed(root.get("results"), items, "relevance_score", "results");
      case EMBEDDINGS -> embeddings(root.get("data"), items);
      case COMPLETION -> root.path("choices").path(0).path("text").isTextual() ? null
          : "wrong shape: no choices[0].text in the completion";
    };
    if (error != null) {
      return new Answer(error, null, promptTokens);
    }
    String values = switch (this) {
      case SGLANG_SCORE -> root.get("scores").toString();
      case VLLM_SCORE -> ordered(root.get("data"), "score", items).toString();
      case RERANK -> ordered(root.get("results"), "relevance_score", items).toString();
      case EMBEDDINGS -> ordered(root.get("data"), "embedding", items).toString();
      case COMPLETION -> root.path("choices").path(0).path("text").asText();
    };
    // A completion's length as the server counted it (its text is the answer; its tokens the output).
    return new Answer(null, values, promptTokens, root.path("usage").path("completion_tokens").asInt(-1));
  }

  /** SGLang: one list per item, one probability per label, summing to 1 (apply_softmax). */
  private static String sglangScores(JsonNode scores, int items, int labels) {
    if (scores == null || !scores.isArray()) {
      return "wrong shape: no 'scores' list in the answer";
    }
    if (scores.size() != items) {
      return "wrong shape: " + scores.size() + " results for " + items + " items";
    }
    for (int i = 0; i < items; i++) {
      JsonNode row = scores.get(i);
      if (!row.isArray() || row.size() != labels) {
        return "wrong shape: item " + i + " has " + (row.isArray() ? row.size() + " probabilities" : row.getNodeType())
            + " for " + labels + " labels";
      }
      double sum = 0;
      for (JsonNode p : row) {
        double v = p.asDouble(Double.NaN);
        if (!p.isNumber() || !(v >= 0 && v <= 1)) {
          return "bad probabilities: item " + i + " has " + p + ", not a probability";
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
        return String.format(Locale.ROOT, "bad probabilities: item %d's label probabilities sum to %.4f, not 1 within %s",
            i, sum, PROBABILITY_TOLERANCE);
      }
    }
    return null;
  }

  /** vLLM's score and rerank: one entry per item, each index once, a finite number in {@code field}. */
  private static String listed(JsonNode list, int items, String field, String what) {
    if (list == null || !list.isArray()) {
      return "wrong shape: no '" + (what.equals("scores") ? "data" : "results") + "' list in the answer";
    }
    if (list.size() != items) {
      return "wrong shape: " + list.size() + " results for " + items + " items";
    }
    boolean[] seen = new boolean[items];
    for (JsonNode e : list) {
      int index = e.path("index").asInt(-1);
      if (index < 0 || index >= items || seen[index]) {
        return "wrong shape: index " + e.path("index") + " is out of range or repeated";
      }
      seen[index] = true;
      JsonNode v = e.get(field);
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        return "wrong shape: result " + index + " has no numeric '" + field + "'";
      }
    }
    return null;
  }

  /** Embeddings: one vector per input, all of one length, finite. */
  private static String embeddings(JsonNode data, int items) {
    String listed = data == null || !data.isArray() ? "wrong shape: no 'data' list in the answer"
        : data.size() != items ? "wrong shape: " + data.size() + " embeddings for " + items + " inputs" : null;
    if (listed != null) {
      return listed;
    }
    int dim = -1;
    for (JsonNode e : data) {
      JsonNode v = e.get("embedding");
      if (v == null || !v.isArray() || v.isEmpty()) {
        return "wrong shape: embedding " + e.path("index") + " is not a list of numbers";
      }
      if (dim >= 0 && v.size() != dim) {
        return "wrong shape: embeddings of " + dim + " and " + v.size() + " dimensions in one answer";
      }
      dim = v.size();
      for (JsonNode x : v) {
        if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
          return "wrong shape: embedding " + e.path("index") + " has " + x + ", not a number";
        }
      }
    }
    return null;
  }

  /** The entries' {@code field} in item order (rerank sorts by score; indexes were checked). */
  private static ArrayNode ordered(JsonNode list, String field, int items) {
    JsonNode[] byIndex = new JsonNode[items];
    for (JsonNode e : list) {
      byIndex[e.get("index").asInt()] = e.get(field);
    }
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode v : byIndex) {
      out.add(v);
    }
    return out;
  }
}
