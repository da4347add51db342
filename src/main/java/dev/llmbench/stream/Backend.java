package dev.llmbench.stream;

import dev.llmbench.workload.Conversation;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmbench.stream.StreamDecoder;
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
    return body(model, prompt, null, maxTokens);
  }

  /**
   * The body of one turn of a multi-turn session: the whole conversation, as {@code messages} for chat, and as
   * one prompt of its messages' texts for the APIs that take text ({@link Conversation#flattened}).
   */
  public byte[] body(String model, Conversation conversation, int maxTokens) {
    return body(model, conversation.flattened(), conversation.messages(), maxTokens);
  }

  /** {@code messages} null: one user message of {@code prompt} (chat); else the messages (chat) and {@code prompt}. */
  private byte[] body(String model, String prompt, List<Conversation.Message> messages, int maxTokens) {
    // Jackson's recycled buffers, as ObjectMapper.writeValueAsBytes uses: a fresh one per body cost more.
    ByteArrayBuilder out = new ByteArrayBuilder(JSON._getBufferRecycler());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      switch (this) {
        case OPENAI, VLLM, OLLAMA -> {
          g.writeStringField("model", model);
          g.writeStringField("prompt", prompt);
          lengthAndStreaming(g, maxTokens);
        }
        case OPENAI_CHAT -> {
          g.writeStringField("model", model);
          g.writeArrayFieldStart("messages");
          if (messages == null) {
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeStringField("content", prompt);
            g.writeEndObject();
          } else {
            for (Conversation.Message m : messages) {
              g.writeStartObject();
              g.writeStringField("role", m.role());
              g.writeStringField("content", m.content());
              g.writeEndObject();
            }
          }
          g.writeEndArray();
          lengthAndStreaming(g, maxTokens);
        }
        case SGLANG -> {
          g.writeStringField("text", prompt);
          g.writeObjectFieldStart("sampling_params");
          g.writeNumberField("max_new_tokens", maxTokens);
          g.writeNumberField("temperature", 0.0);
          g.writeBooleanField("ignore_eos", true);
          g.writeEndObject();
          g.writeBooleanField("stream", true);
        }
        case TRT_LLM -> {
          // TRT-LLM has no ignore_eos: min_length and an unreachable end_id force the length.
          g.writeStringField("text_input", prompt);
          g.writeNumberField("max_tokens", maxTokens);
          g.writeNumberField("min_length", maxTokens);
          g.writeNumberField("end_id", 1_048_576);
          g.writeNumberField("temperature", 0.0);
          g.writeBooleanField("stream", true);
        }
        default -> throw new IllegalStateException("Unsupported backend: " + this);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a request body", e);
    }
    byte[] body = out.toByteArray();
    out.release();
    return body;
  }

  /** The OpenAI-style tail: exactly {@code max_tokens} at temperature 0, streamed, with a usage chunk. */
  private static void lengthAndStreaming(JsonGenerator g, int maxTokens) throws IOException {
    g.writeNumberField("max_tokens", maxTokens);
    g.writeNumberField("temperature", 0.0);
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
