package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulator's {@code /tokenize} and {@code /detokenize}, counting with its configured tokenizer
 * ({@code emulator.tokenizer}), in the two shapes servers use: vLLM's and SGLang's
 * ({@code {"model", "prompt"}} gives {@code {"tokens": [...], "count": n, "max_model_len": m}};
 * {@code {"model", "tokens"}} gives {@code {"prompt": text}}) and llama.cpp's ({@code {"content"}} gives
 * {@code {"tokens": [...]}}, with {@code "with_pieces": true} a list of {@code {"id", "piece"}};
 * {@code {"tokens"}} gives {@code {"content": text}}). Neither adds special tokens. Under the word
 * tokenizer a word's id is its index in the word vocabulary, or 0 for any other word.
 */
final class TokenizeEndpoint {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TokenizeEndpoint() {}

  static String tokenize(EmulatorConfig config, JsonNode body) throws BadRequest {
    boolean llamaCpp = body.has("content");
    JsonNode text = llamaCpp ? body.get("content") : body.get("prompt");
    if (text == null || !text.isTextual()) {
      throw new BadRequest("'prompt' (vLLM, SGLang) or 'content' (llama.cpp) is required and must be a string");
    }
    if (!llamaCpp) {
      checkModel(config, body);
    }
    ServedTokenizer tokenizer = config.tokenizer().served();
    List<Integer> ids = tokenizer.encode(text.asText());
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode tokens = out.putArray("tokens");
    boolean pieces = llamaCpp && body.path("with_pieces").asBoolean(false);
    for (int id : ids) {
      if (pieces) {
        tokens.addObject().put("id", id).put("piece", tokenizer.piece(id));
      } else {
        tokens.add(id);
      }
    }
    if (!llamaCpp) {
      out.put("count", ids.size());
      out.put("max_model_len", config.maxModelLen());
    }
    return out.toString();
  }

  static String detokenize(EmulatorConfig config, JsonNode body) throws BadRequest {
    JsonNode tokens = body.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      throw new BadRequest("'tokens' is required and must be a list of token ids");
    }
    boolean llamaCpp = !body.has("model");
    List<Integer> ids = new ArrayList<>();
    for (JsonNode t : tokens) {
      if (!t.canConvertToInt()) {
        throw new BadRequest("'tokens' must be a list of token ids, but holds " + t);
      }
      ids.add(t.asInt());
    }
    String text = config.tokenizer().served().decode(ids);
    ObjectNode out = MAPPER.createObjectNode();
    out.put(llamaCpp ? "content" : "prompt", text);
    return out.toString();
  }

  private static void checkModel(EmulatorConfig config, JsonNode body) throws BadRequest {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !model.asText().equals(config.model())) {
      throw new BadRequest(HttpResponseStatus.NOT_FOUND, "NotFoundError",
          "The model `" + model.asText() + "` does not exist.");
    }
  }
}
