package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * A parsed {@code /v1/embeddings} request (OpenAI's API as vLLM serves it): one unit-norm vector per
 * input, drawn from a hash of the seed and the input, so the same input always gets the same vector
 * and different inputs get nearly orthogonal ones.
 *
 * @param inputs each input's text (a token-id list as its JSON)
 * @param dimensions the vectors' length: the request's {@code dimensions}, else {@code emulator.embedding.dim}
 * @param base64 whether vectors are sent as base64 of little-endian float32 ({@code encoding_format=base64})
 */
record EmbeddingRequest(List<String> inputs, int dimensions, boolean base64) implements PoolingRequest {

  /**
   * vLLM's {@code EmbeddingResponse}: {@code {"id","object":"list","created","model","data":[{"index",
   * "object":"embedding","embedding":[...]}],"usage":{"prompt_tokens","total_tokens","completion_tokens":0,
   * "prompt_tokens_details":null}}}.
   */
  @Override
  public void answer(ObjectNode root, Sequence s, long seed) {
    root.put("id", s.id).put("object", "list").put("created", s.createdEpochSeconds).put("model", s.model);
    ArrayNode data = root.putArray("data");
    List<String> answered = PoolingRequest.shaped(inputs, s);
    for (int i = 0; i < answered.size(); i++) {
      float[] v = vector(seed, answered.get(i), dimensions, s.fault == Fault.NONDETERMINISTIC);
      ObjectNode item = data.addObject().put("index", i).put("object", "embedding");
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          bytes.putFloat(f);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float f : v) {
          values.add(f);
        }
      }
    }
    PoolingRequest.usage(root, s);
  }

  /**
   * The input's unit-norm vector of {@code dimensions} components; a shorter one is the normalised
   * start of a longer one, as a Matryoshka model's is. With {@code noisy} each component is changed
   * by {@link PoolingRequest#noise()} before normalising.
   */
  static float[] vector(long seed, String input, int dimensions, boolean noisy) {
    long h = PoolingRequest.hash(seed ^ 0xE4BEDL, input);
    double[] v = new double[dimensions];
    double norm = 0;
    for (int k = 0; k < dimensions; k++) {
      v[k] = ((ScoreRequest.mix(h + (k + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53) * 2 - 1;
      if (noisy) {
        v[k] *= 1 + PoolingRequest.noise();
      }
      norm += v[k] * v[k];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int k = 0; k < dimensions; k++) {
      out[k] = (float) (v[k] / norm);
    }
    return out;
  }
}
