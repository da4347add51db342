package dev.llmbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.tokenizer.WordTokenizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an HTTP request into a {@link Sequence}, validating it as vLLM / SGLang / Triton would and
 * refusing bad input with a {@link BadRequest} whose message says what is wrong.
 */
final class RequestParser {
  static final String FAULT_HEADER = "X-Emulator-Fault";
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  /** A multi-turn session's header: recorded in the ground truth, so a test sees each request's session. */
  static final String SESSION_HEADER = "X-Session-ID";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EmulatorConfig config;
  private final ServedTokenizer tokenizer;
  private final AtomicLong counter = new AtomicLong();

  /** The GSM8K mode ({@code emulator.accuracy}), or null when off. */
  private final Gsm8kAnswers gsm8k;

  RequestParser(EmulatorConfig config) {
    this.config = config;
    this.tokenizer = config.tokenizer().served();
    this.gsm8k = config.accuracy() == null ? null : new Gsm8kAnswers(config.accuracy());
  }

  /** Parses the body as a JSON object. */
  static JsonNode json(ByteBuf content) throws BadRequest {
    if (!content.isReadable()) {
      throw new BadRequest("request body is empty; expected a JSON object");
    }
    try {
      JsonNode node = MAPPER.readTree((InputStream) new ByteBufInputStream(content.duplicate()));
      if (node == null || !node.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new BadRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /** What one generation request asks for, read by the parser of its API. */
  private record Asked(Prompt prompt, Integer maxTokens, int minTokens, boolean stream, boolean includeUsage,
      JsonNode sampling) {}

  /** A prompt's token count and the hash that seeds its answer. */
  private record Prompt(int tokens, long hash) {}

  /** The length of the answer and why it ends there. */
  private record Output(int tokens, String finishReason) {}

  /** A generation request: read by its API's parser, then checked against the context and planned alike. */
  Sequence parse(Api api, JsonNode body, FullHttpRequest request, Channel channel, long arrivalNanos)
      throws BadRequest {
    Asked asked = switch (api) {
      case CHAT -> chat(body);
      case COMPLETIONS -> completions(body);
      case SGLANG_GENERATE -> sglangGenerate(body);
      case TRT_GENERATE -> trtGenerate(body, request.uri());
      default -> throw new IllegalStateException("not a generation API: " + api);
    };
    boolean ignoreEos = bool(asked.sampling(), "ignore_eos", false);
    double temperature = temperature(asked.sampling());
    int promptTokens = asked.prompt().tokens();
    int maxTokens = checkLength(promptTokens, asked.maxTokens(), asked.minTokens());

    long n = counter.incrementAndGet();
    long textSeed = textSeed(asked.prompt().hash(), temperature, body, n);
    // The GSM8K mode's scripted reply, when the prompt asks a known question; else the seeded words.
    String[] scripted = gsm8k == null ? null : gsm8k.reply(promptText(api, body));
    Output output = scripted != null
        ? new Output(Math.min(scripted.length, maxTokens), scripted.length > maxTokens ? "length" : "stop")
        : output(textSeed, ignoreEos, asked.minTokens(), maxTokens);
    FaultPlan fault = fault(request, api, n, output.tokens());
    Sequence seq = new Sequence(id(api, n), request.headers().get(REQUEST_ID_HEADER), api, asked.stream(),
        asked.includeUsage(), model(body), promptTokens, output.tokens(), output.finishReason(), textSeed,
        fault.fault, fault.after, fault.millis, channel, arrivalNanos, HttpUtil.isKeepAlive(request), null);
    seq.scripted = scripted;
    if (config.prefixCacheBlockTokens() > 0) {
      seq.blockHashes = PrefixCache.blockHashes(cacheKeys(api, body), config.prefixCacheBlockTokens());
    }
    seq.sessionId = request.headers().get(SESSION_HEADER);
    if (fault.fault == Fault.NONDETERMINISTIC) {
      // Not seeded: two identical requests diverge at different tokens, whatever their temperature.
      ThreadLocalRandom random = ThreadLocalRandom.current();
      seq.divergeAt = random.nextInt(Math.max(1, output.tokens()));
      seq.divergeSalt = random.nextLong() | 1;
    }
    return seq;
  }

  /**
   * One key per prompt token for the prefix cache, in prompt order: the tokenizer's ids, or the prompt's
   * token ids as sent. A chat message's role is folded into its first token's key, so that the keys stay
   * one per counted token (the word tokenizer counts no template tokens) while "system: x" and "user: x"
   * differ.
   */
  private int[] cacheKeys(Api api, JsonNode body) {
    List<int[]> parts = new ArrayList<>();
    switch (api) {
      case CHAT -> {
        for (JsonNode m : body.path("messages")) {
          int[] keys = tokenizer.cacheKeys(contentTextOrEmpty(m.get("content")));
          if (keys.length > 0) {
            keys[0] = keys[0] * 31 + m.path("role").asText().hashCode();
          }
          parts.add(keys);
        }
      }
      case COMPLETIONS -> {
        JsonNode prompt = body.get("prompt");
        if (prompt.isArray() && prompt.size() == 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
          prompt = prompt.get(0);
        }
        parts.add(keysOf(prompt, prompt));
      }
      case SGLANG_GENERATE -> parts.add(keysOf(body.get("text"), body.get("input_ids")));
      case TRT_GENERATE -> parts.add(tokenizer.cacheKeys(body.path("text_input").asText()));
      default -> { }
    }
    int n = parts.stream().mapToInt(a -> a.length).sum();
    int[] all = new int[n];
    int at = 0;
    for (int[] a : parts) {
      System.arraycopy(a, 0, all, at, a.length);
      at += a.length;
    }
    return all;
  }

  private int[] keysOf(JsonNode text, JsonNode ids) {
    if (text != null && text.isTextual()) {
      return tokenizer.cacheKeys(text.asText());
    }
    int[] out = new int[ids == null ? 0 : ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i).asInt();
    }
    return out;
  }

  private String contentTextOrEmpty(JsonNode content) {
    try {
      return contentText(content);
    } catch (BadRequest e) {
      return ""; // the prompt's own parsing has accepted it already; nothing here can be worse
    }
  }

  /** The prompt's text for the GSM8K mode: the last message's, or the text prompt's; null for token ids. */
  private static String promptText(Api api, JsonNode body) {
    JsonNode text = switch (api) {
      case CHAT -> {
        JsonNode content = body.path("messages").path(body.path("messages").size() - 1).path("content");
        yield content.isTextual() ? content : null;
      }
      case COMPLETIONS -> body.path("prompt").isArray() ? body.path("prompt").path(0) : body.path("prompt");
      case SGLANG_GENERATE -> body.path("text");
      case TRT_GENERATE -> body.path("text_input");
      default -> null;
    };
    return text != null && text.isTextual() ? text.asText() : null;
  }

  /** OpenAI's {@code /v1/chat/completions}. */
  private Asked chat(JsonNode body) throws BadRequest {
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
      tokens += tokenizer.count(text);
      hash = hash * 31 + text.hashCode();
    }
    tokens += tokenizer.chatTemplateTokens(); // a real server's chat template adds its role markers
    Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = optionalPositiveInt(body, "max_tokens");
    }
    return openAi(body, new Prompt(tokens, hash), maxTokens);
  }

  /** OpenAI's {@code /v1/completions}. */
  private Asked completions(JsonNode body) throws BadRequest {
    checkModel(body);
    JsonNode prompt = body.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw new BadRequest("'prompt' is required");
    }
    if (prompt.isArray() && prompt.size() == 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
      prompt = prompt.get(0); // a batch of one
    }
    Prompt read = textOrIds(prompt, prompt);
    if (read == null) {
      throw new BadRequest("'prompt' must be a string, a list of token ids, or a list of one of these; "
          + "batches of several prompts are not supported");
    }
    Integer maxTokens = optionalPositiveInt(body, "max_tokens");
    return openAi(body, read, maxTokens == null ? 16 : maxTokens); // 16: the OpenAI default for completions
  }

  /** What both OpenAI APIs read after their prompt and length: stream, stream options, min tokens. */
  private static Asked openAi(JsonNode body, Prompt prompt, Integer maxTokens) throws BadRequest {
    boolean stream = bool(body, "stream", false);
    boolean includeUsage = false;
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
    return new Asked(prompt, maxTokens, orZero(optionalNonNegativeInt(body, "min_tokens")), stream, includeUsage, body);
  }

  /** SGLang's native {@code /generate}. */
  private Asked sglangGenerate(JsonNode body) throws BadRequest {
    Prompt prompt = textOrIds(body.get("text"), body.get("input_ids"));
    if (prompt == null) {
      throw new BadRequest("one of 'text' (a string) or 'input_ids' (a list of token ids) is required");
    }
    JsonNode sampling = body.path("sampling_params");
    if (!sampling.isMissingNode() && !sampling.isObject()) {
      throw new BadRequest("'sampling_params' must be an object");
    }
    Integer maxTokens = optionalPositiveInt(sampling, "max_new_tokens");
    int minTokens = orZero(optionalNonNegativeInt(sampling, "min_new_tokens"));
    return new Asked(prompt, maxTokens == null ? 128 : maxTokens, minTokens, // 128: SGLang's default
        bool(body, "stream", false), false, sampling);
  }

  /** Triton's TensorRT-LLM {@code /v2/models/{model}/generate} and {@code generate_stream}. */
  private Asked trtGenerate(JsonNode body, String uri) throws BadRequest {
    JsonNode text = body.get("text_input");
    if (text == null || !text.isTextual()) {
      throw new BadRequest("'text_input' is required and must be a string");
    }
    Integer maxTokens = optionalPositiveInt(body, "max_tokens");
    if (maxTokens == null) {
      throw new BadRequest("'max_tokens' is required and must be a positive integer");
    }
    int minTokens = orZero(optionalNonNegativeInt(body, "min_length"));
    return new Asked(textPrompt(text.asText()), maxTokens, minTokens, uri.contains("generate_stream"), false, body);
  }

  /** A prompt given as text (if {@code text} is a string) or else as token ids; null when neither. */
  private Prompt textOrIds(JsonNode text, JsonNode ids) {
    if (text != null && text.isTextual()) {
      return textPrompt(text.asText());
    }
    if (ids != null && ids.isArray() && allInts(ids)) {
      return new Prompt(ids.size(), ids.hashCode());
    }
    return null;
  }

  private Prompt textPrompt(String text) {
    return new Prompt(tokenizer.count(text), text.hashCode());
  }

  private static double temperature(JsonNode sampling) throws BadRequest {
    JsonNode t = sampling.get("temperature");
    if (t == null || t.isNull()) {
      return 1.0;
    }
    if (!t.isNumber() || t.asDouble() < 0) {
      throw new BadRequest("'temperature' must be a number >= 0, but was " + t);
    }
    return t.asDouble();
  }

  /** Refuses a request that does not fit the context, as vLLM words it; returns its max tokens. */
  private int checkLength(int promptTokens, Integer asked, int minTokens) throws BadRequest {
    int limit = config.maxModelLen();
    if (promptTokens >= limit) {
      throw new BadRequest("This model's maximum context length is " + limit
          + " tokens. However, your prompt has " + promptTokens + " tokens.");
    }
    int maxTokens = asked == null ? limit - promptTokens : asked;
    if ((long) promptTokens + maxTokens > limit) {
      throw new BadRequest("This model's maximum context length is " + limit
          + " tokens. However, you requested " + ((long) promptTokens + maxTokens) + " tokens (" + promptTokens
          + " in the prompt, " + maxTokens + " in the completion). Please reduce the length of the prompt or completion.");
    }
    if (minTokens > maxTokens) {
      throw new BadRequest("min tokens (" + minTokens + ") must be <= max tokens (" + maxTokens + ")");
    }
    return maxTokens;
  }

  private long textSeed(long promptHash, double temperature, JsonNode body, long n) {
    long textSeed = ScoreRequest.mix(config.seed() ^ ScoreRequest.mix(promptHash));
    if (temperature > 0) {
      // Sampling: a different answer each time, unless the request fixes its own seed.
      textSeed = ScoreRequest.mix(textSeed ^ (body.hasNonNull("seed") ? body.get("seed").asLong() : n * 0x9E37L));
    }
    return textSeed;
  }

  /** The answer's natural length (its EOS), drawn from the text seed and clamped to min and max tokens. */
  private Output output(long textSeed, boolean ignoreEos, int minTokens, int maxTokens) {
    if (ignoreEos || minTokens >= maxTokens) {
      return new Output(maxTokens, "length");
    }
    int natural = 1 + (int) Long.remainderUnsigned(ScoreRequest.mix(textSeed + 1),
        2L * config.timing().meanNaturalOutputTokens());
    return new Output(Math.max(Math.max(1, minTokens), Math.min(maxTokens, natural)),
        natural >= maxTokens ? "length" : "stop");
  }

  /** The response id, in the shape each server gives it. */
  private String id(Api api, long n) {
    return switch (api) {
      case CHAT -> "chatcmpl-" + n;
      case COMPLETIONS -> "cmpl-" + n;
      case SGLANG_GENERATE -> Long.toHexString(ScoreRequest.mix(n ^ config.seed()));
      default -> "trt-" + n;
    };
  }

  private String model(JsonNode body) {
    return body.hasNonNull("model") ? body.get("model").asText() : config.model();
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  /** What a pooling request asks for, read by its API's parser: its answer, tokens, id prefix and finish reason. */
  private record Pooled(PoolingRequest request, long tokens, String what, String idPrefix, String finishReason) {}

  /**
   * A pooling request (SGLang or vLLM score, rerank, embeddings): one prefill-only sequence of all its
   * tokens, which generates nothing; answered with {@link Fault#OOM} when it puts more tokens through
   * the model than {@link EmulatorConfig#oomAboveTokens}.
   */
  Sequence parsePooling(Api api, JsonNode body, FullHttpRequest request, Channel channel, long arrivalNanos)
      throws BadRequest {
    checkModel(body);
    Pooled asked = switch (api) {
      case SCORE -> sglangScore(body);
      case VLLM_SCORE -> vllmScore(body);
      case RERANK -> rerank(body);
      case EMBEDDINGS -> embeddings(body);
      default -> throw new IllegalStateException("not a pooling API: " + api);
    };
    long kvCache = config.timing().kvCacheTokens();
    if (asked.tokens() > kvCache) {
      throw new BadRequest(asked.what() + " request of " + asked.tokens() + " tokens exceeds the KV cache ("
          + kvCache + ")");
    }
    long n = counter.incrementAndGet();
    Fault fault = fault(request, api, n, 0).fault;
    if (config.oomAboveTokens() > 0 && asked.tokens() > config.oomAboveTokens()) {
      fault = Fault.OOM; // the device runs out of memory before anything else can go wrong
    }
    return new Sequence(asked.idPrefix() + n, request.headers().get(REQUEST_ID_HEADER), api, false, false,
        model(body), (int) asked.tokens(), 0, asked.finishReason(), n, fault, 0, 0, channel, arrivalNanos,
        HttpUtil.isKeepAlive(request), asked.request());
  }

  /** SGLang's {@code /v1/score}: the label tokens' probabilities after the query and each item. */
  private Pooled sglangScore(JsonNode body) throws BadRequest {
    JsonNode query = body.get("query");
    JsonNode items = body.get("items");
    JsonNode labels = body.get("label_token_ids");
    if (query == null || !(query.isTextual() || query.isArray() && allInts(query))) {
      throw new BadRequest("'query' is required: a string or a list of token ids "
          + "(or 'text_1' and 'text_2' for vLLM's score API)");
    }
    if (items == null || !(items.isTextual() || items.isArray() && !items.isEmpty())) {
      throw new BadRequest("'items' is required: a string or a non-empty list of strings or token-id lists");
    }
    if (labels == null || !labels.isArray() || labels.isEmpty() || !allInts(labels)) {
      throw new BadRequest("label_token_ids must be provided: a non-empty list of token ids");
    }
    List<String> itemTexts = scoreItems(items);
    List<Integer> labelIds = labelIds(labels);
    long total = scoreTokens(query, items, itemTexts.size());
    ScoreRequest score = new ScoreRequest(query.isTextual() ? query.asText() : query.toString(), itemTexts, labelIds,
        bool(body, "apply_softmax", false), bool(body, "item_first", false));
    return new Pooled(score, total, "score", "score-", "length");
  }

  /** vLLM's {@code /v1/score}: a score per ({@code text_1}, {@code text_2}) pair, paired 1:1, 1:N or N:N. */
  private Pooled vllmScore(JsonNode body) throws BadRequest {
    List<String> firsts = strings(body, "text_1");
    List<String> seconds = strings(body, "text_2");
    if (firsts.size() == 1 && seconds.size() > 1) {
      firsts = Collections.nCopies(seconds.size(), firsts.get(0));
    } else if (firsts.size() != seconds.size()) {
      throw new BadRequest("Input lengths must be either 1:1, 1:N or N:N, but 'text_1' has " + firsts.size()
          + " texts and 'text_2' " + seconds.size());
    }
    long total = 0;
    for (int i = 0; i < seconds.size(); i++) {
      total += inputTokens(tokenizer.count(firsts.get(i)) + tokenizer.count(seconds.get(i)), "score");
    }
    return new Pooled(new PairScoreRequest(firsts, seconds), total, "score", "score-", "stop");
  }

  /** vLLM's {@code /v1/rerank}: each document's relevance to the query, the best first. */
  private Pooled rerank(JsonNode body) throws BadRequest {
    JsonNode query = body.get("query");
    if (query == null || !query.isTextual()) {
      throw new BadRequest("'query' is required and must be a string");
    }
    JsonNode docs = body.get("documents");
    List<String> documents = new ArrayList<>();
    if (docs != null && docs.isTextual()) {
      documents.add(docs.asText());
    } else if (docs != null && docs.isArray() && !docs.isEmpty()) {
      for (JsonNode d : docs) {
        if (d.isTextual()) {
          documents.add(d.asText());
        } else if (d.isObject() && d.path("text").isTextual()) {
          documents.add(d.get("text").asText()); // Jina's and Cohere's {"text": ...}
        } else {
          throw new BadRequest("each document must be a string or an object with a 'text' string, but got " + d);
        }
      }
    } else {
      throw new BadRequest("'documents' is required: a non-empty list of strings");
    }
    int queryTokens = tokenizer.count(query.asText());
    long total = 0;
    for (String d : documents) {
      total += inputTokens(queryTokens + tokenizer.count(d), "score");
    }
    int topN = orZero(optionalNonNegativeInt(body, "top_n"));
    return new Pooled(new RerankRequest(query.asText(), documents, topN), total, "rerank", "rerank-", "stop");
  }

  /** OpenAI's {@code /v1/embeddings}: a vector per input (a string, strings, token ids or token-id lists). */
  private Pooled embeddings(JsonNode body) throws BadRequest {
    JsonNode input = body.get("input");
    String expected = "'input' is required: a string, a non-empty list of strings, a list of token ids "
        + "or a list of token-id lists";
    List<String> inputs = new ArrayList<>();
    long total = 0;
    if (input != null && input.isTextual()) {
      inputs.add(input.asText());
      total = inputTokens(tokenizer.count(input.asText()), "embedding generation");
    } else if (input != null && input.isArray() && !input.isEmpty() && allInts(input)) {
      inputs.add(input.toString());
      total = inputTokens(input.size(), "embedding generation");
    } else if (input != null && input.isArray() && !input.isEmpty()) {
      for (JsonNode e : input) {
        if (e.isTextual()) {
          inputs.add(e.asText());
          total += inputTokens(tokenizer.count(e.asText()), "embedding generation");
        } else if (e.isArray() && !e.isEmpty() && allInts(e)) {
          inputs.add(e.toString());
          total += inputTokens(e.size(), "embedding generation");
        } else {
          throw new BadRequest(expected + "; got an element " + e);
        }
      }
    } else {
      throw new BadRequest(expected);
    }
    Integer dimensions = optionalPositiveInt(body, "dimensions");
    if (dimensions != null && dimensions > config.embeddingDim()) {
      throw new BadRequest("'dimensions' must be <= " + config.embeddingDim() + " (the model's embedding size), but was "
          + dimensions);
    }
    JsonNode format = body.get("encoding_format");
    boolean base64 = format != null && !format.isNull() && format.asText().equals("base64");
    if (format != null && !format.isNull() && !base64 && !(format.isTextual() && format.asText().equals("float"))) {
      throw new BadRequest("'encoding_format' must be \"float\" or \"base64\", but was " + format);
    }
    EmbeddingRequest embedding = new EmbeddingRequest(inputs, dimensions == null ? config.embeddingDim() : dimensions,
        base64);
    return new Pooled(embedding, total, "embedding", "embd-", "stop");
  }

  /** A required field holding a string or a non-empty list of strings, as a list. */
  private static List<String> strings(JsonNode body, String field) throws BadRequest {
    JsonNode v = body.get(field);
    if (v != null && v.isTextual()) {
      return List.of(v.asText());
    }
    if (v != null && v.isArray() && !v.isEmpty()) {
      List<String> out = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw new BadRequest("'" + field + "' must hold strings, but has " + e);
        }
        out.add(e.asText());
      }
      return out;
    }
    throw new BadRequest("'" + field + "' is required: a string or a non-empty list of strings");
  }

  /** One input of a pooling request, refused as vLLM refuses it when it does not fit the context. */
  private int inputTokens(int tokens, String what) throws BadRequest {
    if (tokens > config.maxModelLen()) {
      throw new BadRequest("This model's maximum context length is " + config.maxModelLen()
          + " tokens. However, you requested " + tokens + " tokens in the input for " + what
          + ". Please reduce the length of the input.");
    }
    return tokens;
  }

  /** The score request's items as texts (a token-id list as its JSON). */
  private static List<String> scoreItems(JsonNode items) throws BadRequest {
    List<String> itemTexts = new ArrayList<>();
    if (items.isTextual()) {
      itemTexts.add(items.asText());
      return itemTexts;
    }
    for (JsonNode item : items) {
      if (item.isTextual()) {
        itemTexts.add(item.asText());
      } else if (item.isArray() && allInts(item)) {
        itemTexts.add(item.toString());
      } else {
        throw new BadRequest("each item must be a string or a list of token ids, but got " + item);
      }
    }
    return itemTexts;
  }

  private static List<Integer> labelIds(JsonNode labels) throws BadRequest {
    List<Integer> labelIds = new ArrayList<>();
    for (JsonNode l : labels) {
      if (l.asLong() < 0 || l.asLong() >= WordTokenizer.VOCABULARY_SIZE * 32L) {
        throw new BadRequest("Token ID " + l.asLong() + " is out of vocabulary (vocab size: "
            + WordTokenizer.VOCABULARY_SIZE * 32 + ")");
      }
      labelIds.add(l.asInt());
    }
    return labelIds;
  }

  /** Tokens the score request puts through the model: the query once per item, plus the item. */
  private static long scoreTokens(JsonNode query, JsonNode items, int itemCount) {
    int queryTokens = query.isTextual() ? WordTokenizer.count(query.asText()) : query.size();
    long total = 0;
    for (int i = 0; i < itemCount; i++) {
      JsonNode item = items.isTextual() ? items : items.get(i);
      total += queryTokens + (item.isTextual() ? WordTokenizer.count(item.asText()) : item.size());
    }
    return total;
  }

  private record FaultPlan(Fault fault, int after, long millis) {}

  /** A fault as the request's header asks for it: after (null: midway) and ms (default 2 s). */
  private record FaultAsked(Fault fault, Integer after, long millis) {}

  /** The request's fault, from its header or else drawn at the configured rates, and where it fires. */
  private FaultPlan fault(FullHttpRequest request, Api api, long n, int output) throws BadRequest {
    String header = request.headers().get(FAULT_HEADER);
    FaultAsked asked = header != null ? headerFault(header) : new FaultAsked(drawnFault(api, n), null, 2_000);
    if (asked.fault() != null && !asked.fault().appliesTo(api)) {
      throw new BadRequest(FAULT_HEADER + ": " + asked.fault().wireName() + " applies only to "
          + asked.fault().scope());
    }
    // A mid-stream fault must fire before the last token, or it would not be mid-stream.
    int lastBefore = Math.max(0, output - 1);
    int at = Math.min(asked.after() == null ? output / 2 : Math.max(0, asked.after()), lastBefore);
    if (asked.fault() == Fault.STALL) {
      at = Math.max(at, Math.min(1, lastBefore));
    }
    return new FaultPlan(asked.fault(), at, Math.max(0, asked.millis()));
  }

  /** Reads {@code X-Emulator-Fault: <fault>[; after=<tokens>][; ms=<millis>]}. */
  private static FaultAsked headerFault(String header) throws BadRequest {
    String[] parts = header.split(";");
    Fault fault;
    try {
      fault = Props.parseEnum(FAULT_HEADER, parts[0], Fault.class);
    } catch (ConfigException e) {
      throw new BadRequest(e.getMessage());
    }
    Integer after = null;
    long millis = 2_000;
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
    return new FaultAsked(fault, after, millis);
  }

  /**
   * The fault request {@code n} draws at the configured rates (seeded, so a run repeats), or null;
   * a fault that does not apply to the API is never drawn.
   */
  private Fault drawnFault(Api api, long n) {
    for (Map.Entry<Fault, Double> e : config.faultRates().entrySet()) {
      if (!e.getKey().appliesTo(api)) {
        continue;
      }
      double u = (ScoreRequest.mix(config.seed() * 31 + n * 1_000_003L + e.getKey().ordinal()) >>> 11) * 0x1.0p-53;
      if (u < e.getValue()) {
        return e.getKey();
      }
    }
    return null;
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
