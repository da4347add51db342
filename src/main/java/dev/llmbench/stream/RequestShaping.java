package dev.llmbench.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a run adds to every streamed request besides the prompt: bench_serving's {@code --extra-request-body}
 * ({@code -Dextra.body}), extra HTTP headers ({@code -Dextra.headers}), LoRA adapters asked for as the model
 * ({@code --lora-name}, {@code -Dlora.modules}) and a sampling temperature ({@code -Dtemperature}).
 * Parsed once; the extra body's fields are serialised once, so a request pays only for copying them.
 *
 * The extra fields are merged as bench_serving's {@code {**payload, **extra_request_body}} merges them.
 */
public final class RequestShaping {
  /** No shaping: requests exactly as before. */
  public static final RequestShaping NONE = new RequestShaping(new ObjectMapper().createObjectNode(), Map.of(),
      List.of(), null);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** RFC 9110's token: what a header name may be. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Header names whose values are never recorded nor printed: they usually carry credentials. */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(auth|token|key|secret|password|passwd|cookie|credential|session|signature).*");
  /** Headers the request head writes itself: given twice they would confuse the server. */
  // Ours, or ones the JDK's client refuses to set (expect, upgrade): the probes before the load carry them too.
  private static final Set<String> OWN_HEADERS = Set.of("host", "content-type", "content-length", "accept",
      "connection", "transfer-encoding", "x-request-id", "expect", "upgrade");

  private final ObjectNode extraBody;
  private final Map<String, String> extraHeaders;
  private final List<String> loraModules;
  private final Double temperature;
  // Worked out once here, not per request: the hot path only copies them (a class, not a record, to hold them).
  private final Set<String> overridden;
  private final String extraFields;
  private final String headerLines;

  public RequestShaping(ObjectNode extraBody, Map<String, String> extraHeaders, List<String> loraModules,
      Double temperature) {
    if (temperature != null && !(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException("temperature must be a number in [0, 100], but was " + temperature);
    }
    this.extraBody = extraBody.deepCopy();
    this.extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(extraHeaders));
    this.loraModules = List.copyOf(loraModules);
    this.temperature = temperature;
    Set<String> names = new TreeSet<>();
    this.extraBody.fieldNames().forEachRemaining(names::add);
    this.overridden = Collections.unmodifiableSet(names);
    String json = this.extraBody.toString();
    this.extraFields = json.substring(1, json.length() - 1);
    StringBuilder lines = new StringBuilder();
    this.extraHeaders.forEach((n, v) -> lines.append(n).append(": ").append(v).append("\r\n"));
    this.headerLines = lines.toString();
  }

  /** Fields merged at the top level of every request body, overriding ours of the same name; empty for none. */
  public ObjectNode extraBody() {
    return extraBody.deepCopy();
  }

  /** Header name to value, in the order given; empty for none. */
  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  /** Adapters; each request asks for one of them instead of the model; empty for none. */
  public List<String> loraModules() {
    return loraModules;
  }

  /** The sampling temperature; null keeps 0, as every request of this project otherwise. */
  public Double temperature() {
    return temperature;
  }

  /**
   * {@code -Dextra.body}: a JSON object, e.g. {@code {"top_p":0.9,"top_k":20}}.
   *
   * @throws IllegalArgumentException naming what is wrong, in one line
   */
  public static ObjectNode parseExtraBody(String raw) {
    JsonNode node;
    try {
      node = MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      // gatling-maven-plugin hands its fork -Dextra.body='{"top_k":20}' as {\"top_k\":20}: the quotes escaped for
      // a command line that never unescapes them. Read that form too, rather than refuse what the user typed.
      String unescaped = raw.replace("\\\"", "\"");
      try {
        node = unescaped.equals(raw) ? null : MAPPER.readTree(unescaped);
      } catch (JsonProcessingException ignored) {
        node = null;
      }
      if (node == null) {
        throw new IllegalArgumentException("extra.body is not valid JSON (" + e.getOriginalMessage()
            + "); give a JSON object such as {\"top_p\":0.9}", e);
      }
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("extra.body must be a JSON object such as {\"top_p\":0.9}, but was "
          + (node == null ? "empty" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    for (String own : List.of("stream", "prompt", "messages", "text", "text_input")) {
      if (node.has(own)) {
        throw new IllegalArgumentException("extra.body must not set \"" + own + "\": the benchmark writes it (the"
            + " prompt and the stream are what it measures)");
      }
    }
    return (ObjectNode) node;
  }

  /**
   * {@code -Dextra.headers}: {@code Name: value} pairs separated by {@code ;} (curl's {@code -H} form, several
   * in one property), e.g. {@code X-A: 1; X-B: 2}.
   *
   * @throws IllegalArgumentException naming the bad pair, in one line
   */
  public static Map<String, String> parseHeaders(String raw) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String part : raw.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      String name = colon < 0 ? part.trim() : part.substring(0, colon).trim();
      if (colon < 0 || !HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("extra.headers takes 'Name: value' pairs separated by ';' (e.g. "
            + "X-A: 1; X-B: 2), but got \"" + (isSecret(name) ? name + ": ..." : part.trim()) + "\"");
      }
      String value = part.substring(colon + 1).trim();
      if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0x7e)) {
        throw new IllegalArgumentException("extra.headers: the value of " + name
            + " must be printable ASCII (no line breaks)");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (OWN_HEADERS.contains(lower)) {
        throw new IllegalArgumentException("extra.headers must not set " + name + ": the benchmark writes it");
      }
      if (headers.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
        throw new IllegalArgumentException("extra.headers names " + name + " twice");
      }
      headers.put(name, value);
    }
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("extra.headers is empty; give 'Name: value' pairs separated by ';'");
    }
    return headers;
  }

  /** {@code -Dlora.modules}: adapter names separated by commas. */
  public static List<String> parseLoraModules(String raw) {
    List<String> names = new ArrayList<>();
    for (String part : raw.split(",")) {
      String name = part.trim();
      if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == '"' || c == '\\')) {
        throw new IllegalArgumentException("lora.modules takes adapter names separated by commas (e.g. a,b), but was \""
            + raw + "\"");
      }
      names.add(name);
    }
    return names;
  }

  /** Whether a header's value is kept out of records and messages: its name suggests a credential. */
  public static boolean isSecret(String headerName) {
    return SECRET_NAME.matcher(headerName).matches();
  }

  public boolean none() {
    return extraBody.isEmpty() && extraHeaders.isEmpty() && loraModules.isEmpty() && temperature == null;
  }

  /** The extra body as recorded: its canonical JSON (fields as given), null when none. */
  public String recordedExtraBody() {
    return extraBody.isEmpty() ? null : extraBody.toString();
  }

  /**
   * The extra headers as recorded: {@code Name: value; ...}, a value whose header name looks like a
   * credential written as {@code Name: (secret)}; null when none. So the record never holds a key, and a
   * baseline still compares the same headers.
   */
  public String recordedHeaders() {
    if (extraHeaders.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    extraHeaders.forEach((n, v) -> parts.add(n + ": " + (isSecret(n) ? "(secret)" : v)));
    return String.join("; ", parts);
  }

  /** The adapters as recorded, comma-separated; null when none. */
  public String recordedLoraModules() {
    return loraModules.isEmpty() ? null : String.join(",", loraModules);
  }

  /** The top-level field names the extra body sets: the backend does not write its own of these. */
  Set<String> overridden() {
    return overridden;
  }

  /** The extra fields serialised as they go inside the body's object: {@code "a":1,"b":2}. */
  String extraFields() {
    return extraFields;
  }

  /** Whether there are extra fields to merge. */
  boolean hasExtraBody() {
    return !overridden.isEmpty();
  }

  /** The header lines for the request head, each ending in CRLF. */
  public String headerLines() {
    return headerLines;
  }

  /**
   * The adapter request {@code index} of its phase asks for: drawn uniformly at random as bench_serving's
   * {@code random.randint(0, len(lora_names) - 1)}, but from the run's seed and the request's index, so the
   * same request gets the same adapter in every run, whatever order the requests are sent in.
   */
  public String loraFor(long seed, int index) {
    if (loraModules.isEmpty()) {
      return null;
    }
    // SplitMix64 of (seed, index): a well-mixed draw per request with no shared state between stream loops.
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return loraModules.get((int) Math.floorMod(z, (long) loraModules.size()));
  }
}
