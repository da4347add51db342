package dev.llmbench.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.stream.StreamDecoder;

/**
 * The API shape a benchmark speaks, mapped as {@code bench_serving.py} maps its {@code --backend}:
 * the path, the streamed request body, and how the stream is read. Requests ask for exactly
 * {@code max_tokens} output tokens (ignore_eos) at temperature 0, and for a usage chunk where the API
 * has one.
 */
public enum Backend {
  /** OpenAI-compatible completions ({@code /v1/completions}). */
  OPENAI("/v1/completions", StreamDecoder.OPENAI_COMPLETIONS),
  /** OpenAI-compatible chat completions ({@code /v1/chat/completions}). */
  OPENAI_CHAT("/v1/chat/completions", StreamDecoder.OPENAI_CHAT),
  /** SGLang's native {@code /generate}. */
  SGLANG("/generate", StreamDecoder.SGLANG_GENERATE),
  /** vLLM: OpenAI-compatible completions, as bench_serving's {@code vllm} backend. */
  VLLM("/v1/completions", StreamDecoder.OPENAI_COMPLETIONS),
  /** Ollama: OpenAI-compatible completions, as bench_serving's {@code openai} backend. */
  OLLAMA("/v1/completions", StreamDecoder.OPENAI_COMPLETIONS),
  /** TRT-LLM behind Triton: {@code /v2/models/ensemble/generate_stream}. */
  TRT_LLM("/v2/models/ensemble/generate_stream", StreamDecoder.TRT_GENERATE);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String path;
  private final StreamDecoder decoder;

  Backend(String path, StreamDecoder decoder) {
    this.path = path;
    this.decoder = decoder;
  }

  public String path() {
    return path;
  }

  public StreamDecoder decoder() {
    return decoder;
  }

  /** The JSON body of one streamed request. */
  public byte[] body(String model, String prompt, int maxTokens) {
    ObjectNode b = MAPPER.createObjectNode();
    switch (this) {
      case OPENAI, VLLM, OLLAMA -> {
        b.put("model", model).put("prompt", prompt).put("max_tokens", maxTokens).put("temperature", 0.0)
            .put("ignore_eos", true).put("stream", true);
        b.putObject("stream_options").put("include_usage", true);
      }
      case OPENAI_CHAT -> {
        b.put("model", model);
        b.putArray("messages").addObject().put("role", "user").put("content", prompt);
        b.put("max_tokens", maxTokens).put("temperature", 0.0).put("ignore_eos", true).put("stream", true);
        b.putObject("stream_options").put("include_usage", true);
      }
      case SGLANG -> {
        b.put("text", prompt);
        b.putObject("sampling_params").put("max_new_tokens", maxTokens).put("temperature", 0.0)
            .put("ignore_eos", true);
        b.put("stream", true);
      }
      case TRT_LLM -> {
        // TRT-LLM has no ignore_eos: min_length and an unreachable end_id force the length.
        b.put("text_input", prompt).put("max_tokens", maxTokens).put("min_length", maxTokens)
            .put("end_id", 1_048_576).put("temperature", 0.0).put("stream", true);
      }
      default -> throw new IllegalStateException("Unsupported backend: " + this);
    }
    try {
      return MAPPER.writeValueAsBytes(b);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  /** The property value naming this backend, e.g. {@code openai-chat}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
