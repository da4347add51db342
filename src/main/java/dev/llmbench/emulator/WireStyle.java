package dev.llmbench.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the emulator writes its events on the wire: by default as vLLM, SGLang and llama.cpp do
 * (compact JSON, {@code data: ...} lines ending with LF, nothing else), else in other forms that
 * JSON and the SSE spec allow and some servers write, so that tests show the client reads them all.
 * A non-default style rewrites each written chunk's events (a JSON tree per event: for tests, not
 * for load).
 *
 * @param options what differs from the compact form; empty for the compact form
 */
public record WireStyle(Set<Option> options) {

  /** One way of writing events that differs from the compact form. */
  public enum Option {
    /** A space after every {@code :} and {@code ,} of the JSON, as Python's {@code json.dumps} default. */
    SPACED,
    /** Every JSON object's keys in reverse order. */
    REORDERED,
    /** Spaces in JSON strings written as {@code \u0020}. */
    ESCAPED,
    /** Indented JSON over several lines, one {@code data:} line each (the spec joins them with LF). */
    MULTILINE,
    /** Lines end with CRLF. */
    CRLF,
    /** Lines end with a lone CR. */
    CR,
    /** A comment event ({@code : keep-alive}) before every event and a comment line in it. */
    COMMENTS,
    /** {@code data:} without the optional space. */
    BARE_DATA,
    /** An {@code event: message} line before the data, an {@code id:} line after it, and {@code retry:} once. */
    FIELDS
  }

  public static final WireStyle COMPACT = new WireStyle(Set.of());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public WireStyle {
    options = options.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(options));
    if (options.contains(Option.CR) && options.contains(Option.CRLF)) {
      throw new IllegalArgumentException("wire style cannot have both cr and crlf line ends");
    }
  }

  public static WireStyle of(Option... options) {
    return new WireStyle(options.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(options)));
  }

  /** Reads a comma-separated list of options ({@code spaced,crlf}), or {@code compact}. */
  public static WireStyle parse(String key, String value) {
    if (value.isBlank() || value.trim().equalsIgnoreCase("compact")) {
      return COMPACT;
    }
    EnumSet<Option> set = EnumSet.noneOf(Option.class);
    for (String part : value.split(",")) {
      set.add(Props.parseEnum(key, part, Option.class));
    }
    try {
      return new WireStyle(set);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage() + ", but was \"" + value + "\"");
    }
  }

  public boolean compact() {
    return options.isEmpty();
  }

  /** The style as {@link #parse} reads it. */
  public String describe() {
    return compact() ? "compact" : options.stream().map(o -> o.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .collect(Collectors.joining(","));
  }

  /**
   * Rewrites events as {@link StreamFormat} writes them (compact, each {@code field: value} line
   * ending with LF, each event with a blank line) in this style; {@code id} names them in
   * {@code id:} lines. A data value that is not JSON (the malformed-chunk fault) is kept as it is.
   */
  public String rewrite(String events, String id) {
    String eol = options.contains(Option.CRLF) ? "\r\n" : options.contains(Option.CR) ? "\r" : "\n";
    StringBuilder out = new StringBuilder(events.length() * 2);
    int n = 0;
    for (String event : events.split("\n\n")) {
      if (event.isEmpty()) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      if (options.contains(Option.COMMENTS)) {
        out.append(": keep-alive").append(eol).append(eol);
      }
      if (options.contains(Option.FIELDS)) {
        lines.add("event: message");
      }
      if (options.contains(Option.COMMENTS)) {
        lines.add(":");
      }
      for (String line : event.split("\n")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(line.startsWith(": ", colon) ? colon + 2 : colon + 1);
        for (String v : json(value)) {
          lines.add(field + (options.contains(Option.BARE_DATA) ? ":" : ": ") + v);
        }
      }
      if (options.contains(Option.FIELDS)) {
        lines.add("id: " + id + "-" + n);
        if (n == 0) {
          lines.add("retry: 3000");
        }
      }
      n++;
      for (String line : lines) {
        out.append(line).append(eol);
      }
      out.append(eol);
    }
    return out.toString();
  }

  /** A JSON value in this style, as the lines of a field; anything else as it is. */
  private List<String> json(String value) {
    if (!value.startsWith("{")) {
      return List.of(value);
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(value);
    } catch (IOException e) {
      return List.of(value); // not JSON: written as it came
    }
    if (options.contains(Option.REORDERED)) {
      tree = reversed(tree);
    }
    StringWriter w = new StringWriter();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
      if (options.contains(Option.MULTILINE)) {
        g.setPrettyPrinter(new DefaultPrettyPrinter());
      } else if (options.contains(Option.SPACED)) {
        g.setPrettyPrinter(new Spaced());
      }
      if (options.contains(Option.ESCAPED)) {
        g.setCharacterEscapes(EscapedSpaces.INSTANCE);
      }
      MAPPER.writeTree(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.asList(w.toString().split("\r?\n"));
  }

  private static JsonNode reversed(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        fields.add(it.next());
      }
      Collections.reverse(fields);
      ObjectNode r = MAPPER.createObjectNode();
      fields.forEach(f -> r.set(f.getKey(), reversed(f.getValue())));
      return r;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode r = MAPPER.createArrayNode();
      a.forEach(v -> r.add(reversed(v)));
      return r;
    }
    return node;
  }

  /** Python's {@code json.dumps} separators: {@code ", "} and {@code ": "}. */
  private static final class Spaced extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }

  /** Escapes the space character as {@code \u0020} (and what JSON must escape). */
  private static final class EscapedSpaces extends CharacterEscapes {
    static final EscapedSpaces INSTANCE = new EscapedSpaces();
    private final int[] codes = standardAsciiEscapesForJSON();

    EscapedSpaces() {
      codes[' '] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return codes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
