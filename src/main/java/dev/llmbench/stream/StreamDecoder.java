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
 * the rare events that need it (usage, errors), and for any event not in the compact form the
 * patterns read ({@code "key":value}, as vLLM, SGLang, llama.cpp and TRT-LLM write it): a server
 * that writes {@code "key": value} (Python's {@code json.dumps} default) is read by the full parse,
 * event by event, counted in {@link StreamRecord#fallbackParses}. The patterns look for a key with
 * its quotes, in any order and at any place, and check the bytes after it; they rely on the known
 * shapes having each key once (logprobs' {@code "content":[...]} is an array, not text), and on no
 * server escaping the letters of a key's name in a chunk that has content (one without content and
 * with a backslash anywhere is parsed whole).
 *
 * <p>What counts as a content event follows {@code bench_serving.py}: a chunk whose text is not empty
 * (the chat role chunk, with {@code "content":""} or {@code null}, is not one). A chunk carrying
 * several tokens is one event, and so one inter-token gap, as there. A reasoning model's thinking is
 * output too: {@code reasoning_content} (SGLang, older vLLM) and {@code reasoning} (vLLM since late
 * 2025, Ollama, which sends it beside an empty {@code "content":""}).
 */
public enum StreamDecoder {
  /** OpenAI chat completions: {@code choices[0].delta.content} (or {@code reasoning_content}, {@code reasoning}). */
  OPENAI_CHAT(Needle.of("content\""), "usage"),
  /** OpenAI completions: {@code choices[0].text}. */
  OPENAI_COMPLETIONS(Needle.of("\"text\""), "usage"),
  /** SGLang native {@code /generate}: cumulative {@code text}, token count in {@code meta_info.completion_tokens}. */
  SGLANG_GENERATE(Needle.of("\"completion_tokens\""), "meta_info"),
  /** TRT-LLM / Triton {@code generate_stream}: {@code text_output} deltas, no {@code [DONE]}. */
  TRT_GENERATE(Needle.of("\"text_output\""), null);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();
  private static final Needle USAGE = Needle.of("\"usage\"");
  private static final Needle REASONING = Needle.of("\"reasoning\"");
  private static final byte[] DONE = bytes("[DONE]");
  private static final byte[] ERROR = bytes("{\"error\"");
  private static final byte[] NULL = bytes("null");
  private static final Needle ERROR_KEY = Needle.of("\"error\"");
  private static final Needle FINISH_REASON = Needle.of("\"finish_reason\"");
  private static final Needle PROMPT_TOKENS = Needle.of("\"prompt_tokens\"");
  private static final Needle CACHED_TOKENS = Needle.of("\"cached_tokens\"");

  /** What the byte patterns found for a key ({@link #stringKey}, {@link #valueAt}). */
  private static final int ABSENT = -1;
  /** The key is there, but not in the compact form the patterns read (whitespace around its colon). */
  private static final int UNSURE = -2;
  private static final int EMPTY = -3;
  private static final int TEXT = -4;

  private final Needle marker;
  /** The object holding the token counts ({@code prompt_tokens}, {@code completion_tokens}); null for none. */
  private final String countsKey;

  StreamDecoder(Needle marker, String countsKey) {
    this.marker = marker;
    this.countsKey = countsKey;
  }

  /** Whether the stream of this shape ends with {@code data: [DONE]}. */
  public boolean endsWithDone() {
    return this != TRT_GENERATE;
  }

  /**
   * Reads one event's data {@code b[s, e)}. The byte patterns decide the compact form servers write
   * ({@code "key":value}); an event they cannot decide (a key with whitespace around its colon, a
   * value of an unexpected type, a chunk without the content key that has a backslash in it, which
   * could hide an escaped key) is read by a full JSON parse instead, counted in
   * {@link StreamRecord#fallbackParses}. On the ordinary token event the patterns answer at their
   * first match, as before.
   */
  void onData(byte[] b, int s, int e, long nanos, StreamRecord r) {
    if (r.transcript != null) {
      r.transcript.read(this, b, s, e); // a session's turn only: the single-turn path pays this null check
    }
    int n = e - s;
    if (n == DONE.length && Bytes.startsWith(b, s, e, DONE)) {
      r.done = true;
    } else if (n < 2 || b[s] != '{' || b[e - 1] != '}') {
      onLooseData(b, s, e, nanos, r);
    } else {
      onObject(b, s, e, nanos, r);
    }
  }

  /** Data without the compact form's exact braces: JSON allows whitespace around the value. */
  private void onLooseData(byte[] b, int s, int e, long nanos, StreamRecord r) {
    int ts = skipSpace(b, s, e);
    int te = e;
    while (te > ts && space(b[te - 1])) {
      te--;
    }
    if (te == ts) {
      return; // an empty data value carries nothing (a keep-alive)
    }
    if (te - ts == DONE.length && Bytes.startsWith(b, ts, te, DONE)) {
      r.done = true;
    } else if (te - ts < 2 || b[ts] != '{' || b[te - 1] != '}') {
      malformed(b, s, e, r, null);
    } else {
      onObject(b, ts, te, nanos, r);
    }
  }

  /** An event whose data is {@code {...}}, in {@code b[s, e)}. */
  private void onObject(byte[] b, int s, int e, long nanos, StreamRecord r) {
    if (Bytes.startsWith(b, s, e, ERROR)) {
      serverError(b, s, e, r);
    } else if (this == SGLANG_GENERATE) {
      onSglangObject(b, s, e, nanos, r);
    } else {
      onDeltaObject(b, s, e, nanos, r);
    }
  }

  /** A chunk of the delta APIs (OpenAI chat and completions, TRT-LLM): content by its key, usage by the parse. */
  private void onDeltaObject(byte[] b, int s, int e, long nanos, StreamRecord r) {
    int text = stringKey(b, s, e, marker);
    if (text != TEXT && this == OPENAI_CHAT) {
      int reasoning = stringKey(b, s, e, REASONING);
      text = reasoning == TEXT || reasoning == UNSURE ? reasoning : text == ABSENT ? reasoning : text;
    }
    if (text != TEXT && valueAt(b, s, e, ERROR_KEY) != ABSENT) {
      parse(b, s, e, nanos, r, true, null); // an "error" key, not first: the parse reads it
      return;
    }
    int usage = this == TRT_GENERATE ? ABSENT : valueAt(b, s, e, USAGE);
    boolean usageObject = usage >= 0 && b[usage] == '{';
    if (text == UNSURE || usage == UNSURE || usage >= 0 && !usageObject && !isNull(b, usage, e)
        || text == ABSENT && !usageObject && Bytes.indexOf(b, s, e, (byte) '\\') >= 0) {
      fallback(b, s, e, nanos, r);
      return;
    }
    if (text == TEXT) {
      r.content(nanos, 1);
    }
    if (usageObject) {
      // The usage chunk's counts (and its content, when the patterns found no content key: a
      // llama.cpp final chunk has an empty delta) by the parse that checks the chunk is JSON.
      parse(b, s, e, nanos, r, text != TEXT, "malformed usage event: ");
    }
  }

  /** A chunk of SGLang's cumulative stream: its counts and finish from {@code meta_info}. */
  private void onSglangObject(byte[] b, int s, int e, long nanos, StreamRecord r) {
    int at = valueAt(b, s, e, marker);
    int prompt = r.usagePromptTokens < 0 ? valueAt(b, s, e, PROMPT_TOKENS) : ABSENT;
    int finish = valueAt(b, s, e, FINISH_REASON);
    if (at == UNSURE || at >= 0 && !digit(b[at]) || prompt == UNSURE || prompt >= 0 && !digit(b[prompt])
        || finish == UNSURE || finish >= 0 && b[finish] != '{' && b[finish] != '"' && !isNull(b, finish, e)
        || (at == ABSENT || finish == ABSENT) && Bytes.indexOf(b, s, e, (byte) '\\') >= 0) {
      fallback(b, s, e, nanos, r);
      return;
    }
    if (r.usageCachedTokens < 0) {
      int cached = valueAt(b, s, e, CACHED_TOKENS);
      if (cached >= 0 && digit(b[cached])) {
        r.usageCachedTokens = parseInt(b, cached, e);
      }
    }
    sglang(r, nanos, at >= 0 ? parseInt(b, at, e) : -1, prompt >= 0 ? parseInt(b, prompt, e) : -1,
        finish >= 0 && (b[finish] == '{' || b[finish] == '"'));
  }

  /** Counts a malformed event and fails the request with its start. */
  private static void malformed(byte[] b, int s, int e, StreamRecord r, String message) {
    r.malformedEvents++;
    r.fail((message != null ? message : "malformed SSE event #" + (r.contentEvents() + r.malformedEvents) + ": ")
        + preview(b, s, e));
  }

  /** SGLang's cumulative stream: the new tokens are the growth of {@code completion_tokens}. */
  private static void sglang(StreamRecord r, long nanos, int tokens, int prompt, boolean finished) {
    int seen = r.usageCompletionTokens < 0 ? 0 : r.usageCompletionTokens;
    if (tokens > seen) {
      r.content(nanos, tokens - seen);
      r.usageCompletionTokens = tokens;
    }
    if (prompt >= 0 && r.usagePromptTokens < 0) {
      r.usagePromptTokens = prompt;
    }
    if (finished) {
      r.done = true;
    }
  }

  /**
   * A key's string value, for keys found by {@code needle} (the key's name and closing quote): TEXT
   * when one is a non-empty string in compact form; EMPTY when every one is an empty string, null or
   * not a string; ABSENT when there is none; UNSURE when one is not in compact form. An ordinary
   * chunk's first match says TEXT; only a chunk with an empty first value (a role chunk, Ollama's
   * {@code "content":"","reasoning":"..."}) is searched further. A match not followed by a colon is
   * the end of a string value, not a key.
   */
  private static int stringKey(byte[] b, int s, int e, Needle needle) {
    int found = ABSENT;
    for (int at = Bytes.indexOf(b, s, e, needle); at >= 0; at = Bytes.indexOf(b, at + needle.length(), e, needle)) {
      int v = at + needle.length();
      if (v + 1 < e && b[v] == ':') {
        byte c = b[v + 1];
        if (c == '"') {
          if (v + 2 < e && b[v + 2] != '"') {
            return TEXT;
          }
        } else if (space(c)) {
          return UNSURE;
        }
        found = EMPTY; // "", null, or another type (logprobs' "content":[...]): no text there
      } else if (colonAfterSpace(b, v, e)) {
        return UNSURE;
      }
    }
    return found;
  }

  /**
   * Where the value of the first key found by {@code needle} starts, when in compact form; ABSENT
   * when there is no such key, UNSURE when it is not in compact form.
   */
  private static int valueAt(byte[] b, int s, int e, Needle needle) {
    for (int at = Bytes.indexOf(b, s, e, needle); at >= 0; at = Bytes.indexOf(b, at + needle.length(), e, needle)) {
      int v = at + needle.length();
      if (v + 1 < e && b[v] == ':') {
        return space(b[v + 1]) ? UNSURE : v + 1;
      }
      if (colonAfterSpace(b, v, e)) {
        return UNSURE;
      }
    }
    return ABSENT;
  }

  /** Whether whitespace then a colon follow {@code v}: a key, with whitespace before its colon. */
  private static boolean colonAfterSpace(byte[] b, int v, int e) {
    int p = skipSpace(b, v, e);
    return p > v && p < e && b[p] == ':';
  }

  private static int skipSpace(byte[] b, int p, int e) {
    while (p < e && space(b[p])) {
      p++;
    }
    return p;
  }

  /** JSON's whitespace. */
  private static boolean space(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNull(byte[] b, int p, int e) {
    return Bytes.startsWith(b, p, e, NULL);
  }

  /** An event the patterns could not decide, read by the full parse. */
  private void fallback(byte[] b, int s, int e, long nanos, StreamRecord r) {
    r.fallbackParses++;
    parse(b, s, e, nanos, r, true, null);
  }

  /**
   * Reads a whole chunk with Jackson's streaming parser, each field at its place in the API's shape
   * (whitespace, key order and escapes as JSON allows): the text of {@code choices[].delta} (chat:
   * {@code content}, {@code reasoning_content}, {@code reasoning}) or {@code choices[].text}, the
   * token counts of the top-level {@code usage} (not those of its detail objects) or SGLang's
   * {@code meta_info}, an {@code error}, and TRT-LLM's {@code text_output}. No tree, which costs far
   * more per request (docs/injector-efficiency.md, "What made the difference"). A chunk that is not
   * JSON is a malformed event, its counts not trusted.
   *
   * @param content whether a content event is recorded from what is read (false when the byte
   *     patterns have already recorded it)
   * @param malformed the start of the error message for a chunk that is not JSON, null for the usual one
   */
  private void parse(byte[] b, int s, int e, long nanos, StreamRecord r, boolean content, String malformed) {
    boolean text = false;
    boolean error = false;
    boolean finished = false;
    int prompt = -1;
    int completion = -1;
    try (JsonParser p = JSON.createParser(b, s, e - s)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonParseException(p, "not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("error") && value != JsonToken.VALUE_NULL) {
          error = true;
          p.skipChildren();
        } else if (value == JsonToken.START_OBJECT && name.equals(countsKey)) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NUMBER_INT && key.equals("completion_tokens")) {
              completion = p.getIntValue();
            } else if (v == JsonToken.VALUE_NUMBER_INT && key.equals("prompt_tokens")) {
              prompt = p.getIntValue();
            } else if (v == JsonToken.VALUE_NUMBER_INT && key.equals("cached_tokens")) {
              r.usageCachedTokens = p.getIntValue(); // SGLang's meta_info
            } else if (v == JsonToken.START_OBJECT && key.equals("prompt_tokens_details")) {
              cachedTokens(p, r); // vLLM's usage, with prefix caching
            } else {
              if (key.equals("finish_reason")) {
                finished = v == JsonToken.START_OBJECT || v == JsonToken.VALUE_STRING; // read for SGLang only
              }
              p.skipChildren(); // a detail object; nothing for a scalar
            }
          }
        } else if (this == TRT_GENERATE) {
          text |= name.equals("text_output") && nonEmptyString(p, value);
          p.skipChildren();
        } else if (this != SGLANG_GENERATE && name.equals("choices") && value == JsonToken.START_ARRAY) {
          text |= choices(p);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "content after the chunk's object");
      }
    } catch (IOException ex) {
      malformed(b, s, e, r, malformed);
      return;
    }
    if (error) {
      serverError(b, s, e, r);
    } else if (this == SGLANG_GENERATE) {
      sglang(r, nanos, completion, prompt, finished);
    } else {
      if (content && text) {
        r.content(nanos, 1);
      }
      if (prompt >= 0) {
        r.usagePromptTokens = prompt;
      }
      if (completion >= 0) {
        r.usageCompletionTokens = completion;
      }
    }
  }

  /** Reads {@code cached_tokens} of a {@code prompt_tokens_details} object (the parser at its start); leaves it at its end. */
  private static void cachedTokens(JsonParser p, StreamRecord r) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NUMBER_INT && key.equals("cached_tokens")) {
        r.usageCachedTokens = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
  }

  /** Whether an element of the {@code choices} array (the parser at its start) carries text; leaves it at its end. */
  private boolean choices(JsonParser p) throws IOException {
    boolean text = false;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT) {
        text |= choice(p);
      } else if (t == null) {
        throw new JsonParseException(p, "unclosed choices");
      } else {
        p.skipChildren();
      }
    }
    return text;
  }

  /** Whether one element of {@code choices} (the parser at its start) carries text; leaves it at its end. */
  private boolean choice(JsonParser p) throws IOException {
    boolean text = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (this == OPENAI_COMPLETIONS) {
        text |= name.equals("text") && nonEmptyString(p, value);
        p.skipChildren();
      } else if (name.equals("delta") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken v = p.nextToken();
          text |= (key.equals("content") || key.equals("reasoning_content") || key.equals("reasoning"))
              && nonEmptyString(p, v);
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return text;
  }

  private static boolean nonEmptyString(JsonParser p, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING && p.getTextLength() > 0;
  }

  /** Fails the request with the error a server reported in its stream, in {@code b[s, e)} (JSON or not). */
  static void serverError(byte[] b, int s, int e, StreamRecord r) {
    r.fail("error event from server: " + errorMessage(b, s, e));
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

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
