package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.UTF_8;

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
 * several tokens is one event, and so one inter-token gap, as there.
 */
public enum StreamDecoder {
  /** OpenAI chat completions: {@code choices[0].delta.content} (or {@code reasoning_content}). */
  OPENAI_CHAT(Needle.of("content\":\"")),
  /** OpenAI completions: {@code choices[0].text}. */
  OPENAI_COMPLETIONS(Needle.of("\"text\":\"")),
  /** SGLang native {@code /generate}: cumulative {@code text}, token count in {@code meta_info.completion_tokens}. */
  SGLANG_GENERATE(Needle.of("\"completion_tokens\":")),
  /** TRT-LLM / Triton {@code generate_stream}: {@code text_output} deltas, no {@code [DONE]}. */
  TRT_GENERATE(Needle.of("\"text_output\":\""));

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Needle USAGE = Needle.of("\"usage\":{");
  private static final byte[] DONE = bytes("[DONE]");
  private static final byte[] ERROR = bytes("{\"error\"");
  private static final Needle FINISH_OBJECT = Needle.of("\"finish_reason\":{");
  private static final Needle PROMPT_TOKENS = Needle.of("\"prompt_tokens\":");
  private static final Needle COMPLETION_TOKENS = Needle.of("\"completion_tokens\":");

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
    if (n == DONE.length && regionMatches(b, s, DONE)) {
      r.done = true;
      return;
    }
    if (n < 2 || b[s] != '{' || b[e - 1] != '}') {
      r.malformedEvents++;
      r.fail("malformed SSE event #" + (r.contentEvents() + r.malformedEvents) + ": "
          + preview(b, s, e));
      return;
    }
    if (n >= ERROR.length && regionMatches(b, s, ERROR)) {
      r.fail("error event from server: " + errorMessage(b, s, e));
      return;
    }
    switch (this) {
      case OPENAI_CHAT, OPENAI_COMPLETIONS, TRT_GENERATE -> {
        int at = Bytes.indexOf(b, s, e, marker);
        if (at >= 0) {
          int v = at + marker.length();
          if (v < e && b[v] != '"') {
            r.content(nanos, 1);
          }
        }
        int usage = this == TRT_GENERATE ? -1 : Bytes.indexOf(b, s, e, USAGE);
        if (usage >= 0) {
          usage(b, usage + USAGE.length(), e, r);
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
   * The counts of a usage object, from where its fields start: the two counts are numbers at its top
   * level, and the detail objects inside it have other keys. Read by bytes rather than as JSON: one
   * usage chunk per request, but Jackson's tree took about 70 µs of it on C1 (async-profiler).
   */
  private static void usage(byte[] b, int from, int e, StreamRecord r) {
    int c = Bytes.indexOf(b, from, e, COMPLETION_TOKENS);
    if (c >= 0) {
      r.usageCompletionTokens = count(b, c + COMPLETION_TOKENS.length(), e);
    }
    int p = Bytes.indexOf(b, from, e, PROMPT_TOKENS);
    if (p >= 0) {
      r.usagePromptTokens = count(b, p + PROMPT_TOKENS.length(), e);
    }
  }

  /** A non-negative integer after optional spaces, or -1 when there is none (a {@code null}, say). */
  private static int count(byte[] b, int p, int e) {
    while (p < e && b[p] == ' ') {
      p++;
    }
    return p < e && b[p] >= '0' && b[p] <= '9' ? parseInt(b, p, e) : -1;
  }

  /** The message of an OpenAI-style error body, flat or nested under "error". */
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

  private static boolean regionMatches(byte[] b, int s, byte[] needle) {
    for (int j = 0; j < needle.length; j++) {
      if (b[s + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
