package dev.llmbench.emulator;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.llmbench.tokenizer.WordTokenizer;
import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * Writes a sequence's output in the wire shape of its API and the configured {@link Dialect}. Hot
 * path: content chunks are a precomputed prefix, the token words (ASCII, no escaping needed) and a
 * fixed suffix, written straight into a pooled buffer with no JSON tree and no per-chunk string.
 */
final class StreamFormat {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(UTF_8);
  private static final byte[] EVENT_END = "\n\n".getBytes(UTF_8);
  private static final byte[][] WORDS = new byte[WordTokenizer.VOCABULARY_SIZE][];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      WORDS[i] = (" " + WordTokenizer.vocabularyWord(i)).getBytes(UTF_8);
    }
  }

  private final Dialect dialect;
  private final int reasoningTokens;
  private final String reasoningOpen;

  StreamFormat(Dialect dialect, int reasoningTokens) {
    this.dialect = dialect.streamShape();
    this.reasoningTokens = reasoningTokens;
    this.reasoningOpen = dialect == Dialect.LLAMA_CPP ? "{\"reasoning_content\":\"" : "{\"reasoning\":\"";
  }

  /** Whether a chunk with role only precedes the first content (vLLM chat). */
  boolean hasRoleChunk(Sequence s) {
    return s.api == Api.CHAT && dialect == Dialect.VLLM;
  }

  /** Whether this request gets usage figures in its stream. */
  boolean sendsUsage(Sequence s) {
    return dialect == Dialect.LLAMA_CPP || s.includeUsage;
  }

  void roleChunk(Sequence s, ByteBuf out) {
    out.writeBytes(prefix(s));
    ascii(out, "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}");
    out.writeBytes(EVENT_END);
  }

  /** One content event carrying tokens [from, to). */
  void contentChunk(Sequence s, int from, int to, boolean last, ByteBuf out) {
    switch (s.api) {
      case CHAT, COMPLETIONS -> openAiChunk(s, from, to, last, out);
      case SGLANG_GENERATE -> sglangChunk(s, to, last, out);
      case TRT_GENERATE -> trtChunk(s, from, to, last, out);
      default -> throw new IllegalStateException("no stream for " + s.api);
    }
    out.writeBytes(EVENT_END);
  }

  /** An OpenAI chunk in the dialect's shape: vLLM's envelope first, llama.cpp's after the choices. */
  private void openAiChunk(Sequence s, int from, int to, boolean last, ByteBuf out) {
    out.writeBytes(prefix(s));
    if (s.api == Api.CHAT) {
      // A reasoning model thinks first: its first tokens are reasoning deltas (a chunk by its first token).
      ascii(out, from < reasoningTokens ? reasoningOpen : "{\"content\":\"");
    }
    words(s, from, to, out);
    if (dialect == Dialect.VLLM) {
      ascii(out, s.api == Api.CHAT ? "\"},\"logprobs\":null,\"finish_reason\":" : "\",\"logprobs\":null,\"finish_reason\":");
      ascii(out, last ? "\"" + s.finishReason + "\",\"stop_reason\":null}]" : "null,\"stop_reason\":null}]");
      ascii(out, s.api == Api.CHAT ? "}" : ",\"usage\":null}");
    } else {
      ascii(out, s.api == Api.CHAT ? "\"}}]" : "\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]");
      out.writeBytes(suffix(s));
    }
  }

  /** SGLang's native API streams the whole text so far in every event. */
  private static void sglangChunk(Sequence s, int to, boolean last, ByteBuf out) {
    ascii(out, "data: {\"text\":\"");
    words(s, 0, to, out);
    ascii(out, "\",\"meta_info\":{\"id\":\"" + s.id + "\",\"finish_reason\":" + (last ? sglangFinish(s, to) : "null")
        + ",\"prompt_tokens\":" + s.promptTokens + ",\"completion_tokens\":" + to
        + ",\"cached_tokens\":" + s.cachedTokens + "}}");
  }

  private static void trtChunk(Sequence s, int from, int to, boolean last, ByteBuf out) {
    ascii(out, "data: {\"model_name\":\"ensemble\",\"model_version\":\"1\",\"sequence_end\":" + last
        + ",\"sequence_id\":0,\"sequence_start\":" + (from == 0) + ",\"text_output\":\"");
    words(s, from, to, out);
    ascii(out, "\"}");
  }

  /** What follows the last content event: finish/usage events and {@code [DONE]}. */
  void end(Sequence s, int tokens, long elapsedNanos, boolean withDone, ByteBuf out) {
    if (s.api == Api.CHAT || s.api == Api.COMPLETIONS) {
      if (dialect == Dialect.LLAMA_CPP) {
        llamaCppFinalChunk(s, tokens, elapsedNanos, out);
      } else if (s.includeUsage) {
        usageChunk(s, tokens, out);
      }
    }
    if (withDone && s.api != Api.TRT_GENERATE) {
      out.writeBytes(DONE);
    }
  }

  /**
   * llama.cpp's last chunk: an empty delta (chat) or empty text, the finish reason, and usage plus
   * timings, whatever stream_options said.
   */
  private void llamaCppFinalChunk(Sequence s, int tokens, long elapsedNanos, ByteBuf out) {
    ascii(out, s.api == Api.CHAT
        ? "data: {\"choices\":[{\"finish_reason\":\"" + s.finishReason + "\",\"index\":0,\"delta\":{}}]"
        : "data: {\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\""
            + s.finishReason + "\"}]");
    ascii(out, ",\"usage\":" + usage(s, tokens) + ",\"timings\":" + timings(s, tokens, elapsedNanos));
    out.writeBytes(suffix(s));
    out.writeBytes(EVENT_END);
  }

  /** vLLM's usage chunk, asked for with {@code stream_options.include_usage}: no choices, the usage. */
  private static void usageChunk(Sequence s, int tokens, ByteBuf out) {
    ascii(out, "data: {\"id\":\"" + s.id + "\",\"object\":\"" + object(s) + "\",\"created\":" + s.createdEpochSeconds
        + ",\"model\":" + Json.quote(s.model) + ",\"choices\":[],\"usage\":" + usage(s, tokens) + "}");
    out.writeBytes(EVENT_END);
  }

  /** The error-event fault's report and the {@code [DONE]} after it, in the dialect's shape. */
  void errorEvent(Sequence s, ByteBuf out) {
    String error = "{\"code\":500,\"message\":\"emulated failure after " + s.emitted
        + " tokens (error-event fault)\",\"type\":\"server_error\"}";
    ascii(out, dialect == Dialect.LLAMA_CPP && s.api != Api.SGLANG_GENERATE && s.api != Api.TRT_GENERATE
        ? "error: " + error : "data: {\"error\":" + error + "}");
    out.writeBytes(EVENT_END);
    if (s.api != Api.TRT_GENERATE) {
      out.writeBytes(DONE);
    }
  }

  /** A chunk that is not valid JSON, for the malformed-chunk fault. */
  void malformedChunk(Sequence s, ByteBuf out) {
    ascii(out, "data: {\"id\":\"" + s.id + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" trunc");
    out.writeBytes(EVENT_END);
  }

  /** The whole text of tokens [0, n), for non-streaming bodies. */
  static String text(Sequence s, int n) {
    StringBuilder sb = new StringBuilder(n * 7);
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(s.scripted != null ? s.scripted[i] : WordTokenizer.vocabularyWord(s.tokenIndex(i)));
    }
    return sb.toString();
  }

  static String usage(Sequence s, int tokens) {
    return "{\"prompt_tokens\":" + s.promptTokens + ",\"total_tokens\":" + (s.promptTokens + tokens)
        + ",\"completion_tokens\":" + tokens
        // As vLLM with prefix caching and --enable-prompt-tokens-details; absent otherwise, as before.
        + (s.blockHashes != null ? ",\"prompt_tokens_details\":{\"cached_tokens\":" + s.cachedTokens + "}" : "")
        + "}";
  }

  private static String timings(Sequence s, int tokens, long elapsedNanos) {
    return String.format(Locale.ROOT, "{\"prompt_n\":%d,\"predicted_n\":%d,\"predicted_ms\":%.3f}",
        s.promptTokens, tokens, elapsedNanos / 1e6);
  }

  private static String sglangFinish(Sequence s, int tokens) {
    return "length".equals(s.finishReason)
        ? "{\"type\":\"length\",\"length\":" + tokens + "}"
        : "{\"type\":\"stop\",\"matched\":2}";
  }

  static String object(Sequence s) {
    return s.api == Api.CHAT ? "chat.completion.chunk" : "text_completion";
  }

  /** Bytes before the token text of a content chunk; computed once per sequence. */
  private byte[] prefix(Sequence s) {
    if (s.chunkPrefix == null) {
      String head;
      if (dialect == Dialect.VLLM) {
        head = "data: {\"id\":\"" + s.id + "\",\"object\":\"" + object(s) + "\",\"created\":" + s.createdEpochSeconds
            + ",\"model\":" + Json.quote(s.model) + ",\"choices\":[{\"index\":0,"
            + (s.api == Api.CHAT ? "\"delta\":" : "\"text\":\"");
      } else {
        head = s.api == Api.CHAT
            ? "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":"
            : "data: {\"choices\":[{\"text\":\"";
      }
      s.chunkPrefix = head.getBytes(UTF_8);
    }
    return s.chunkPrefix;
  }

  /** llama.cpp puts the envelope after the choices. */
  private byte[] suffix(Sequence s) {
    if (s.chunkSuffix == null) {
      s.chunkSuffix = (",\"created\":" + s.createdEpochSeconds + ",\"id\":\"" + s.id + "\",\"model\":"
          + Json.quote(s.model) + ",\"object\":\"" + object(s) + "\"}").getBytes(UTF_8);
    }
    return s.chunkSuffix;
  }

  private static void words(Sequence s, int from, int to, ByteBuf out) {
    if (s.scripted != null) {
      for (int i = from; i < to; i++) {
        // Scripted words are plain ASCII (letters, digits, '#', '.', '-'): nothing to escape in JSON.
        ascii(out, " " + s.scripted[i]);
      }
      return;
    }
    for (int i = from; i < to; i++) {
      out.writeBytes(WORDS[s.tokenIndex(i) & (WordTokenizer.VOCABULARY_SIZE - 1)]);
    }
  }

  private static void ascii(ByteBuf out, String s) {
    out.writeCharSequence(s, US_ASCII);
  }
}
