package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.stream.Bytes.Needle;
import java.io.IOException;

/**
 * Reads the {@code data} payload of one SSE event of a given API shape. Ordinary content events are
 * recognised by a byte pattern, without building a string or a JSON tree; JSON is parsed only for
 * the rare events that need it (usage, errors).
 *
 * <p>What counts as a content event follows {@code bench_serving.py}: a chunk whose text is not empty
 * (the chat role chunk, with {@code "content":""} or {@code null}, is not one). A chunk carrying
 * several tokens is one event, and so one inter-token gap, as there. A reasoning model's thinking is
 * output too: {@code reasoning_content} (SGLang, older vLLM) and {@code reasoning} (vLLM since late
 * 2025, Ollama, which sends it beside an empty {@code "content":""}).
 */
public enum StreamDecoder {
  /** OpenAI chat completions: {@code choices[0].delta.content} (or {@code reasoning_content}, {@code reasoning}). */
  OPENAI_CHAT(Needle.of("content\":\"")),
  /** OpenAI completions: {@code choices[0].text}. */
  OPENAI_COMPLETIONS(Needle.of("\"text\":\"")),
  /** SGLang native {@code /generate}: cumulative {@code text}, token count in {@code meta_info.completion_tokens}. */
  SGLANG_GENERATE(Needle.of("\"completion_tokens\":")),
  /** TRT-LLM / Triton {@code generate_stream}: {@code text_output} deltas, no {@code [DONE]}. */
  TRT_GENERATE(Needle.of("\"text_output\":\""));

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();
  private static final Needle USAGE = Needle.of("\"usage\":{");
  private static final Needle REASONING = Needle.of("\"reasoning\":\"");
  private static final byte[] DONE = bytes("[DONE]");
  private static final byte[] ERROR = bytes("{\"error\"");
  private static final Needle FINISH_OBJECT = Needle.of("\"finish_reason\":{");
  private static final Needle PROMPT_TOKENS = Needle.of("\"prompt_tokens\":");

  private final Needle marker;

  StreamDecoder(Needle marker) {
    this.marker = marker;
  }

  /** Whether the stream of this shape ends with {@code data: [DONE]}. */
  public boolean endsWithDone() {
    return this != TRT_GENERATE;
  }

  void onData(byte[] b, int s, int e, long nanos, StreamRecord r) {
    int n = e - s;
    if (n == DONE.length && Bytes.startsWith(b, s, e, DONE)) {
      r.done = true;
      return;
    }
    if (n < 2 || b[s] != '{' || b[e - 1] != '}') {
      r.malformedEvents++;
      r.fail("malformed SSE event #" + (r.contentEvents() + r.malformedEvents) + ": "
          + preview(b, s, e));
      return;
    }
    if (Bytes.startsWith(b, s, e, ERROR)) {
      serverError(b, s, e, r);
      return;
    }
    switch (this) {
      case OPENAI_CHAT, OPENAI_COMPLETIONS, TRT_GENERATE -> {
        if (hasText(b, s, e, marker) || this == OPENAI_CHAT && hasText(b, s, e, REASONING)) {
          r.content(nanos, 1);
        }
        if (this != TRT_GENERATE && Bytes.indexOf(b, s, e, USAGE) >= 0) {
          usage(b, s, e, r);
        }
      }
      case SGLANG_GENERATE -> {
        int at = Bytes.indexOf(b, s, e, marker);
        if (at < 0) {
          return;
        }
        int tokens = parseInt(b, at + marker.length(), e);
        int seen = r.usageCompletionTokens < 0 ? 0 : r.usageCompletionTokens;
        if (tokens > seen) {
          // Cumulative text: the new tokens are the growth of completion_tokens.
          r.content(nanos, tokens - seen);
          r.usageCompletionTokens = tokens;
        }
        if (r.usagePromptTokens < 0) {
          int p = Bytes.indexOf(b, s, e, PROMPT_TOKENS);
          if (p >= 0) {
            r.usagePromptTokens = parseInt(b, p + PROMPT_TOKENS.length(), e);
          }
        }
        if (Bytes.indexOf(b, s, e, FINISH_OBJECT) >= 0) {
          r.done = true;
        }
      }
    }
  }

  /**
   * Whether one of {@code needle}'s matches (each ending in a string's opening quote) is followed by a
   * non-empty string. An ordinary chunk's first match says so; only a chunk with an empty first value
   * (a role chunk, Ollama's {@code "content":"","reasoning":"..."}) is searched further.
   */
  private static boolean hasText(byte[] b, int s, int e, Needle needle) {
    for (int at = Bytes.indexOf(b, s, e, needle); at >= 0; at = Bytes.indexOf(b, at + needle.length(), e, needle)) {
      int v = at + needle.length();
      if (v < e && b[v] != '"') {
        return true;
      }
    }
    return false;
  }

  /**
   * The counts of a usage chunk, read with Jackson's streaming parser: the whole chunk is checked as
   * JSON (a malformed one is an error, as any malformed event), and the two counts are taken only at
   * the usage object's top level (its detail objects have counts of their own). No tree: Jackson's
   * tree took about 70 µs per request on C1 (async-profiler); this takes about 1 µs per usage chunk.
   */
  private static void usage(byte[] b, int s, int e, StreamRecord r) {
    try (JsonParser p = JSON.createParser(b, s, e - s)) {
      p.nextToken(); // the chunk's object: onData saw its braces
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.START_OBJECT && name.equals("usage")) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && key.equals("completion_tokens")) {
              r.usageCompletionTokens = p.getIntValue();
            } else if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && key.equals("prompt_tokens")) {
              r.usagePromptTokens = p.getIntValue();
            } else {
              p.skipChildren(); // a detail object; nothing for a scalar
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "content after the chunk's object");
      }
    } catch (IOException ex) {
      r.malformedEvents++;
      r.fail("malformed usage event: " + preview(b, s, e));
    }
  }

  /** The message of an OpenAI-style error body, flat or nested under "error". */
  /** Fails the request with the error a server reported in its stream, in {@code b[s, e)} (JSON or not). */
  static void serverError(byte[] b, int s, int e, StreamRecord r) {
    r.fail("error event from server: " + errorMessage(b, s, e));
  }

  public static String errorMessage(byte[] b, int s, int e) {
    try {
      JsonNode root = MAPPER.readTree(b, s, e - s);
      JsonNode err = root.has("error") ? root.get("error") : root;
      if (err.isTextual()) {
        return err.asText();
      }
      JsonNode msg = err.path("message");
      return msg.isMissingNode() ? preview(b, s, e) : msg.asText();
    } catch (IOException ex) {
      return preview(b, s, e);
    }
  }

  static String preview(byte[] b, int s, int e) {
    String text = new String(b, s, Math.min(e - s, 120), UTF_8);
    return e - s > 120 ? text + "..." : text;
  }

  private static int parseInt(byte[] b, int p, int e) {
    while (p < e && b[p] == ' ') {
      p++;
    }
    int v = 0;
    while (p < e && b[p] >= '0' && b[p] <= '9') {
      v = v * 10 + (b[p++] - '0');
    }
    return v;
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
