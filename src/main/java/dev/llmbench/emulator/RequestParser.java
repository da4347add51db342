package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.tokenizer.WordTokenizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an HTTP request into a {@link Sequence}, validating it as vLLM / SGLang / Triton would and
 * refusing bad input with a {@link BadRequest} whose message says what is wrong.
 */
final class RequestParser {
  static final String FAULT_HEADER = "X-Emulator-Fault";
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EmulatorConfig config;
  private final AtomicLong counter = new AtomicLong();

  RequestParser(EmulatorConfig config) {
    this.config = config;
  }

  /** Parses the body as a JSON object. */
  static JsonNode json(ByteBuf content) throws BadRequest {
    if (!content.isReadable()) {
      throw new BadRequest("request body is empty; expected a JSON object");
    }
    try {
      JsonNode node = MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate()));
      if (node == null || !node.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new BadRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  Sequence parse(Api api, JsonNode body, FullHttpRequest request, Channel channel, long arrivalNanos)
      throws BadRequest {
    int promptTokens;
    long promptHash;
    Integer maxTokens;
    int minTokens = 0;
    boolean ignoreEos = false;
    boolean stream;
    boolean includeUsage = false;
    double temperature = 1.0;
    JsonNode sampling = body;
    switch (api) {
      case CHAT -> {
        checkModel(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
          throw new BadRequest("'messages' is required and must be a non-empty array");
        }
        int tokens = 0;
        long hash = 17;
        for (JsonNode m : messages) {
          if (!m.isObject() || !m.hasNonNull("role")) {
            throw new BadRequest("each message must be an object with a 'role'");
          }
          String text = contentText(m.get("content"));
          tokens += TokenizeEndpoint.count(config, text);
          hash = hash * 31 + text.hashCode();
        }
        // A real server's chat template adds its role markers; the word tokenizer keeps the old count.
        promptTokens = tokens + (config.tokenizer() == EmulatorConfig.Tokenizer.SUBWORD
            ? SubwordTokenizer.CHAT_TEMPLATE_TOKENS : 0);
        promptHash = hash;
        maxTokens = optionalPositiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
          maxTokens = optionalPositiveInt(body, "max_tokens");
        }
        stream = bool(body, "stream", false);
      }
      case COMPLETIONS -> {
        checkModel(body);
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
          throw new BadRequest("'prompt' is required");
        }
        if (prompt.isArray() && prompt.size() == 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
          prompt = prompt.get(0); // a batch of one
        }
        if (prompt.isTextual()) {
          promptTokens = TokenizeEndpoint.count(config, prompt.asText());
          promptHash = prompt.asText().hashCode();
        } else if (prompt.isArray() && allInts(prompt)) {
          promptTokens = prompt.size();
          promptHash = prompt.hashCode();
        } else {
          throw new BadRequest("'prompt' must be a string, a list of token ids, or a list of one of these; "
              + "batches of several prompts are not supported");
        }
        maxTokens = optionalPositiveInt(body, "max_tokens");
        if (maxTokens == null) {
          maxTokens = 16; // the OpenAI default for completions
        }
        stream = bool(body, "stream", false);
      }
      case SGLANG_GENERATE -> {
        JsonNode text = body.get("text");
        JsonNode ids = body.get("input_ids");
        if (text != null && text.isTextual()) {
          promptTokens = TokenizeEndpoint.count(config, text.asText());
          promptHash = text.asText().hashCode();
        } else if (ids != null && ids.isArray() && allInts(ids)) {
          promptTokens = ids.size();
          promptHash = ids.hashCode();
        } else {
          throw new BadRequest("one of 'text' (a string) or 'input_ids' (a list of token ids) is required");
        }
        sampling = body.path("sampling_params");
        if (!sampling.isMissingNode() && !sampling.isObject()) {
          throw new BadRequest("'sampling_params' must be an object");
        }
        maxTokens = optionalPositiveInt(sampling, "max_new_tokens");
        if (maxTokens == null) {
          maxTokens = 128; // SGLang's default
        }
        Integer min = optionalNonNegativeInt(sampling, "min_new_tokens");
        minTokens = min == null ? 0 : min;
        stream = bool(body, "stream", false);
      }
      case TRT_GENERATE -> {
        JsonNode text = body.get("text_input");
        if (text == null || !text.isTextual()) {
          throw new BadRequest("'text_input' is required and must be a string");
        }
        promptTokens = TokenizeEndpoint.count(config, text.asText());
        promptHash = text.asText().hashCode();
        maxTokens = optionalPositiveInt(body, "max_tokens");
        if (maxTokens == null) {
          throw new BadRequest("'max_tokens' is required and must be a positive integer");
        }
        Integer min = optionalNonNegativeInt(body, "min_length");
        minTokens = min == null ? 0 : min;
        stream = request.uri().contains("generate_stream");
      }
      default -> throw new IllegalStateException("not a generation API: " + api);
    }
    if (api == Api.CHAT || api == Api.COMPLETIONS) {
      JsonNode options = body.get("stream_options");
      if (options != null && !options.isNull()) {
        if (!stream) {
          throw new BadRequest("'stream_options' can only be set when 'stream' is true");
        }
        if (!options.isObject()) {
          throw new BadRequest("'stream_options' must be an object");
        }
        includeUsage = bool(options, "include_usage", false);
      }
      Integer min = optionalNonNegativeInt(body, "min_tokens");
      minTokens = min == null ? 0 : min;
    }
    ignoreEos = bool(sampling, "ignore_eos", false);
    if (sampling.hasNonNull("temperature")) {
      if (!sampling.get("temperature").isNumber() || sampling.get("temperature").asDouble() < 0) {
        throw new BadRequest("'temperature' must be a number >= 0, but was " + sampling.get("temperature"));
      }
      temperature = sampling.get("temperature").asDouble();
    }

    if (promptTokens >= config.maxModelLen()) {
      throw new BadRequest("This model's maximum context length is " + config.maxModelLen()
          + " tokens. However, your prompt has " + promptTokens + " tokens.");
    }
    if (maxTokens == null) {
      maxTokens = config.maxModelLen() - promptTokens;
    }
    if ((long) promptTokens + maxTokens > config.maxModelLen()) {
      throw new BadRequest("This model's maximum context length is " + config.maxModelLen()
          + " tokens. However, you requested " + ((long) promptTokens + maxTokens) + " tokens (" + promptTokens
          + " in the prompt, " + maxTokens + " in the completion). Please reduce the length of the prompt or completion.");
    }
    if (minTokens > maxTokens) {
      throw new BadRequest("min tokens (" + minTokens + ") must be <= max tokens (" + maxTokens + ")");
    }

    long n = counter.incrementAndGet();
    long textSeed = ScoreRequest.mix(config.seed() ^ ScoreRequest.mix(promptHash));
    if (temperature > 0) {
      // Sampling: a different answer each time, unless the request fixes its own seed.
      textSeed = ScoreRequest.mix(textSeed ^ (body.hasNonNull("seed") ? body.get("seed").asLong() : n * 0x9E37L));
    }
    int output;
    String finishReason;
    if (ignoreEos || minTokens >= maxTokens) {
      output = maxTokens;
      finishReason = "length";
    } else {
      int natural = 1 + (int) Long.remainderUnsigned(ScoreRequest.mix(textSeed + 1),
          2L * config.timing().meanNaturalOutputTokens());
      output = Math.max(Math.max(1, minTokens), Math.min(maxTokens, natural));
      finishReason = natural >= maxTokens ? "length" : "stop";
    }

    FaultPlan fault = fault(request, n, output);
    String id = switch (api) {
      case CHAT -> "chatcmpl-" + n;
      case COMPLETIONS -> "cmpl-" + n;
      case SGLANG_GENERATE -> Long.toHexString(ScoreRequest.mix(n ^ config.seed()));
      default -> "trt-" + n;
    };
    return new Sequence(id, request.headers().get(REQUEST_ID_HEADER), api, stream, includeUsage,
        body.hasNonNull("model") ? body.get("model").asText() : config.model(), promptTokens, output, finishReason,
        textSeed, fault.fault, fault.after, fault.millis, channel, arrivalNanos, HttpUtil.isKeepAlive(request), null);
  }

  Sequence parseScore(JsonNode body, FullHttpRequest request, Channel channel, long arrivalNanos) throws BadRequest {
    checkModel(body);
    JsonNode query = body.get("query");
    JsonNode items = body.get("items");
    JsonNode labels = body.get("label_token_ids");
    if (query == null || !(query.isTextual() || query.isArray() && allInts(query))) {
      throw new BadRequest("'query' is required: a string or a list of token ids");
    }
    if (items == null || !(items.isTextual() || items.isArray() && !items.isEmpty())) {
      throw new BadRequest("'items' is required: a string or a non-empty list of strings or token-id lists");
    }
    if (labels == null || !labels.isArray() || labels.isEmpty() || !allInts(labels)) {
      throw new BadRequest("label_token_ids must be provided: a non-empty list of token ids");
    }
    List<String> itemTexts = new ArrayList<>();
    if (items.isTextual()) {
      itemTexts.add(items.asText());
    } else {
      for (JsonNode item : items) {
        if (item.isTextual()) {
          itemTexts.add(item.asText());
        } else if (item.isArray() && allInts(item)) {
          itemTexts.add(item.toString());
        } else {
          throw new BadRequest("each item must be a string or a list of token ids, but got " + item);
        }
      }
    }
    List<Integer> labelIds = new ArrayList<>();
    for (JsonNode l : labels) {
      if (l.asLong() < 0 || l.asLong() >= WordTokenizer.VOCABULARY_SIZE * 32L) {
        throw new BadRequest("Token ID " + l.asLong() + " is out of vocabulary (vocab size: "
            + WordTokenizer.VOCABULARY_SIZE * 32 + ")");
      }
      labelIds.add(l.asInt());
    }
    String queryText = query.isTextual() ? query.asText() : query.toString();
    int queryTokens = query.isTextual() ? WordTokenizer.count(queryText) : query.size();
    long total = 0;
    for (int i = 0; i < itemTexts.size(); i++) {
      JsonNode item = items.isTextual() ? items : items.get(i);
      total += queryTokens + (item.isTextual() ? WordTokenizer.count(item.asText()) : item.size());
    }
    if (total > config.timing().kvCacheTokens()) {
      throw new BadRequest("score request of " + total + " tokens exceeds the KV cache (" + config.timing().kvCacheTokens() + ")");
    }
    long n = counter.incrementAndGet();
    ScoreRequest score = new ScoreRequest(queryText, itemTexts, labelIds, bool(body, "apply_softmax", false),
        bool(body, "item_first", false));
    FaultPlan fault = fault(request, n, 0);
    return new Sequence("score-" + n, request.headers().get(REQUEST_ID_HEADER), Api.SCORE, false, false,
        body.hasNonNull("model") ? body.get("model").asText() : config.model(), (int) total, 0, "length", n,
        fault.fault, 0, 0, channel, arrivalNanos, HttpUtil.isKeepAlive(request), score);
  }

  private record FaultPlan(Fault fault, int after, long millis) {}

  private FaultPlan fault(FullHttpRequest request, long n, int output) throws BadRequest {
    String header = request.headers().get(FAULT_HEADER);
    Fault fault = null;
    Integer after = null;
    long millis = 2_000;
    if (header != null) {
      String[] parts = header.split(";");
      try {
        fault = dev.llmbench.config.Props.parseEnum(FAULT_HEADER, parts[0], Fault.class);
      } catch (dev.llmbench.config.ConfigException e) {
        throw new BadRequest(e.getMessage());
      }
      for (String part : Arrays.copyOfRange(parts, 1, parts.length)) {
        String[] kv = part.trim().split("=", 2);
        try {
          switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
            case "after" -> after = Integer.parseInt(kv[1].trim());
            case "ms" -> millis = Long.parseLong(kv[1].trim());
            default -> throw new BadRequest(FAULT_HEADER + ": unknown parameter '" + kv[0].trim()
                + "'; valid: after=<tokens>, ms=<millis>");
          }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw new BadRequest(FAULT_HEADER + ": '" + part.trim() + "' must be name=<integer>");
        }
      }
    } else {
      for (Map.Entry<Fault, Double> e : config.faultRates().entrySet()) {
        double u = (ScoreRequest.mix(config.seed() * 31 + n * 1_000_003L + e.getKey().ordinal()) >>> 11) * 0x1.0p-53;
        if (u < e.getValue()) {
          fault = e.getKey();
          break;
        }
      }
    }
    // A mid-stream fault must fire before the last token, or it would not be mid-stream.
    int lastBefore = Math.max(0, output - 1);
    int at = Math.min(after == null ? output / 2 : Math.max(0, after), lastBefore);
    if (fault == Fault.STALL) {
      at = Math.max(at, Math.min(1, lastBefore));
    }
    return new FaultPlan(fault, at, Math.max(0, millis));
  }

  private void checkModel(JsonNode body) throws BadRequest {
    JsonNode model = body.get("model");
    if (model != null && !model.isNull() && !model.asText().equals(config.model())) {
      throw new BadRequest(HttpResponseStatus.NOT_FOUND, "NotFoundError",
          "The model `" + model.asText() + "` does not exist. This server serves `" + config.model() + "`.");
    }
  }

  private static String contentText(JsonNode content) throws BadRequest {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.hasNonNull("text")) {
          sb.append(part.get("text").asText()).append(' ');
        }
      }
      return sb.toString();
    }
    throw new BadRequest("message 'content' must be a string or a list of content parts");
  }

  private static Integer optionalPositiveInt(JsonNode node, String field) throws BadRequest {
    Integer v = optionalNonNegativeInt(node, field);
    if (v != null && v < 1) {
      throw new BadRequest("'" + field + "' must be >= 1, but was " + v);
    }
    return v;
  }

  private static Integer optionalNonNegativeInt(JsonNode node, String field) throws BadRequest {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw new BadRequest("'" + field + "' must be a non-negative integer, but was " + v);
    }
    return v.asInt();
  }

  private static boolean bool(JsonNode node, String field, boolean defaultValue) throws BadRequest {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw new BadRequest("'" + field + "' must be true or false, but was " + v);
    }
    return v.asBoolean();
  }

  private static boolean allInts(JsonNode array) {
    for (JsonNode e : array) {
      if (!e.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
