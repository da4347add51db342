package dev.llmbench.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.filter.FilteringGeneratorDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmbench.stream.StreamDecoder;
import dev.llmbench.workload.Conversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

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
  TRT_LLM("/v2/models/" + Backend.TRITON_MODEL + "/generate_stream", StreamDecoder.TRT_GENERATE);

  /** The Triton model that {@link #TRT_LLM}'s path names, as bench_serving's {@code trt} backend does. */
  public static final String TRITON_MODEL = "ensemble";

  private static final JsonFactory JSON = new JsonFactory();

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

  /**
   * The JSON body of one streamed request, written with Jackson's streaming generator on the stream
   * loop that sends it: a tree costs several times more per body (docs/injector-efficiency.md, "What made the difference").
   */
  public byte[] body(String model, String prompt, int maxTokens) {
    return body(model, prompt, null, maxTokens, RequestShaping.NONE, null);
  }

  /**
   * The body of one turn of a multi-turn session: the whole conversation, as {@code messages} for chat, and as
   * one prompt of its messages' texts for the APIs that take text ({@link Conversation#flattened}); shaped as
   * every request is.
   */
  public byte[] body(String model, Conversation conversation, int maxTokens, RequestShaping shaping, String lora) {
    return body(model, conversation.flattened(), messagesJson(conversation.messages()), maxTokens, shaping, lora);
  }

  /** {@link #body(String, Conversation, int, RequestShaping, String)} unshaped. */
  public byte[] body(String model, Conversation conversation, int maxTokens) {
    return body(model, conversation, maxTokens, RequestShaping.NONE, null);
  }

  /** The messages as a JSON array of {@code {"role", "content"}}, as a dataset's {@code messages} row holds them. */
  private static String messagesJson(java.util.List<Conversation.Message> messages) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (Conversation.Message m : messages) {
        g.writeStartObject();
        g.writeStringField("role", m.role());
        g.writeStringField("content", m.content());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * As {@link #body(String, String, int)}, shaped ({@link RequestShaping}): {@code messagesJson}, a JSON
   * array of chat messages (a dataset's {@code messages} row), is sent as they are to the chat API and, to
   * the text APIs, as their contents joined by newlines ({@code prompt}); null sends {@code prompt} as one
   * user message. {@code lora}, an adapter, is asked for as the model (OpenAI-style APIs, as vLLM serves
   * adapters) or as SGLang's {@code lora_path}; null asks for {@code model}. The extra body's fields are
   * written last, and ours of the same name are left out (bench_serving's {@code {**payload, **extra}}).
   */
  public byte[] body(String model, String prompt, String messagesJson, int maxTokens, RequestShaping shaping,
      String lora) {
    // Jackson's recycled buffers, as ObjectMapper.writeValueAsBytes uses: a fresh one per body cost more.
    ByteArrayBuilder out = new ByteArrayBuilder(JSON._getBufferRecycler());
    boolean extra = shaping.hasExtraBody();
    double temperature = shaping.temperature() == null ? 0.0 : shaping.temperature();
    String asked = lora != null && this != SGLANG ? lora : model;
    try (JsonGenerator raw = JSON.createGenerator(out)) {
      JsonGenerator g = extra ? new FilteringGeneratorDelegate(raw, new TopLevelWithout(shaping.overridden()),
          TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true) : raw;
      g.writeStartObject();
      switch (this) {
        case OPENAI, VLLM, OLLAMA -> {
          g.writeStringField("model", asked);
          g.writeStringField("prompt", prompt);
          lengthAndStreaming(g, maxTokens, temperature);
        }
        case OPENAI_CHAT -> {
          g.writeStringField("model", asked);
          g.writeFieldName("messages");
          if (messagesJson != null) {
            g.writeRawValue(messagesJson);
          } else {
            g.writeStartArray();
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeStringField("content", prompt);
            g.writeEndObject();
            g.writeEndArray();
          }
          lengthAndStreaming(g, maxTokens, temperature);
        }
        case SGLANG -> {
          g.writeStringField("text", prompt);
          g.writeObjectFieldStart("sampling_params");
          g.writeNumberField("max_new_tokens", maxTokens);
          g.writeNumberField("temperature", temperature);
          g.writeBooleanField("ignore_eos", true);
          g.writeEndObject();
          g.writeBooleanField("stream", true);
          if (lora != null) {
            g.writeStringField("lora_path", lora);
          }
        }
        case TRT_LLM -> {
          // TRT-LLM has no ignore_eos: min_length and an unreachable end_id force the length.
          g.writeStringField("text_input", prompt);
          g.writeNumberField("max_tokens", maxTokens);
          g.writeNumberField("min_length", maxTokens);
          g.writeNumberField("end_id", 1_048_576);
          g.writeNumberField("temperature", temperature);
          g.writeBooleanField("stream", true);
        }
        default -> throw new IllegalStateException("Unsupported backend: " + this);
      }
      if (extra) {
        // Serialised once (RequestShaping): copied in as they are, after a separator from our last field.
        raw.writeRaw(',');
        raw.writeRaw(shaping.extraFields());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a request body", e);
    }
    byte[] body = out.toByteArray();
    out.release();
    return body;
  }

  /** Keeps every top-level field but those named (the extra body's), and all that is nested. */
  private static final class TopLevelWithout extends TokenFilter {
    private final java.util.Set<String> left;

    TopLevelWithout(java.util.Set<String> left) {
      this.left = left;
    }

    @Override
    public TokenFilter includeProperty(String name) {
      return left.contains(name) ? null : TokenFilter.INCLUDE_ALL;
    }
  }

  /** The OpenAI-style tail: exactly {@code max_tokens} at {@code temperature}, streamed, with a usage chunk. */
  private static void lengthAndStreaming(JsonGenerator g, int maxTokens, double temperature) throws IOException {
    g.writeNumberField("max_tokens", maxTokens);
    g.writeNumberField("temperature", temperature);
    g.writeBooleanField("ignore_eos", true);
    g.writeBooleanField("stream", true);
    g.writeObjectFieldStart("stream_options");
    g.writeBooleanField("include_usage", true);
    g.writeEndObject();
  }

  /** The property value naming this backend, e.g. {@code openai-chat}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
