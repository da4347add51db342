package dev.llmbench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The text of a streamed answer, kept for a request whose answer the next request sends back (a multi-turn
 * session resends the whole conversation, the server's own answers included, as chat clients do). The byte
 * patterns that time every event read no text ({@link StreamDecoder}); this parses each event of such a
 * request once more, which only these requests pay. At most {@link #MAX_CHARS} characters are kept: an
 * answer longer than that is resent cut there (its count says so, {@link #truncated()}).
 */
public final class Transcript {
  /** The most characters kept of one answer: 4 MiB of text, far beyond any turn a benchmark asks for. */
  public static final int MAX_CHARS = 4 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final StringBuilder text = new StringBuilder();
  private boolean truncated;

  /** Reads one event's data {@code b[s, e)}: its text, added (SGLang's cumulative text: replacing). */
  void read(StreamDecoder decoder, byte[] b, int s, int e) {
    if (e <= s || b[s] != '{') {
      return; // [DONE], a keep-alive: no text
    }
    JsonNode event;
    try {
      event = MAPPER.readTree(b, s, e - s);
    } catch (IOException ex) {
      return; // a malformed event fails the request where it is timed (StreamDecoder)
    }
    switch (decoder) {
      case SGLANG_GENERATE -> {
        JsonNode t = event.get("text");
        if (t != null && t.isTextual()) {
          text.setLength(0);
          add(t.asText());
        }
      }
      case TRT_GENERATE -> add(event.path("text_output").asText(""));
      default -> {
        for (JsonNode choice : event.path("choices")) {
          // Chat's delta content; completions' text. Reasoning is not part of the answer a client resends.
          add(choice.path("delta").path("content").asText(choice.path("text").asText("")));
        }
      }
    }
  }

  private void add(String part) {
    int room = MAX_CHARS - text.length();
    if (part.length() > room) {
      truncated = true;
      part = part.substring(0, Math.max(0, room));
    }
    text.append(part);
  }

  /** The text read so far. */
  public String text() {
    return text.toString();
  }

  /** Whether the answer was longer than {@link #MAX_CHARS} and cut there. */
  public boolean truncated() {
    return truncated;
  }
}
