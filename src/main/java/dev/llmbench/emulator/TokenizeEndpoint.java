package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.tokenizer.WordTokenizer;
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
    List<Integer> ids = encode(config, text.asText());
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode tokens = out.putArray("tokens");
    boolean pieces = llamaCpp && body.path("with_pieces").asBoolean(false);
    for (int id : ids) {
      if (pieces) {
        tokens.addObject().put("id", id).put("piece", piece(config, id));
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
    String text;
    if (config.tokenizer() == EmulatorConfig.Tokenizer.SUBWORD) {
      text = SubwordTokenizer.get().decode(ids);
    } else {
      StringBuilder sb = new StringBuilder();
      for (int id : ids) {
        sb.append(sb.length() == 0 ? "" : " ").append(WordTokenizer.vocabularyWord(id));
      }
      text = sb.toString();
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put(llamaCpp ? "content" : "prompt", text);
    return out.toString();
  }

  /** Prompt tokens of {@code text} as this emulator counts them (and reports in {@code usage}). */
  static int count(EmulatorConfig config, CharSequence text) {
    return config.tokenizer() == EmulatorConfig.Tokenizer.SUBWORD
        ? SubwordTokenizer.get().count(text) : WordTokenizer.count(text);
  }

  private static List<Integer> encode(EmulatorConfig config, String text) {
    if (config.tokenizer() == EmulatorConfig.Tokenizer.SUBWORD) {
      return SubwordTokenizer.get().encode(text);
    }
    List<Integer> ids = new ArrayList<>();
    for (String w : text.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        ids.add(wordId(w));
      }
    }
    return ids;
  }

  /** A word's id in the word tokenizer's vocabulary; 0 for a word not in it. */
  private static int wordId(String w) {
    return Math.max(0, WordTokenizer.vocabularyIndex(w));
  }

  private static String piece(EmulatorConfig config, int id) {
    return config.tokenizer() == EmulatorConfig.Tokenizer.SUBWORD
        ? SubwordTokenizer.get().piece(id) : " " + WordTokenizer.vocabularyWord(id);
  }

  private static void checkModel(EmulatorConfig config, JsonNode body) throws BadRequest {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !model.asText().equals(config.model())) {
      throw new BadRequest(io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND, "NotFoundError",
          "The model `" + model.asText() + "` does not exist.");
    }
  }
}
