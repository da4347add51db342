package dev.llmbench.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A server's {@code /metrics} page in the Prometheus text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), read into samples. Each sample line is
 * {@code name[{label="value",...}] value [timestamp]}; {@code #} lines (HELP, TYPE, comments, OpenMetrics'
 * {@code # EOF}) and blank lines are skipped. Label values may hold the escapes {@code \\}, {@code \"} and
 * {@code \n}; values may be {@code NaN}, {@code +Inf}, {@code -Inf}. A line that does not parse is
 * skipped and counted ({@link #malformedLines()}), never fatal: one odd line of a server's page must not
 * cost the run its memory check.
 */
public final class PrometheusText {

  /**
   * One sample.
   *
   * @param name the metric name, e.g. {@code vllm:kv_cache_usage_perc}
   * @param labels its labels in page order (empty when none)
   * @param value its value (may be NaN or infinite)
   * @param timestampMillis the sample's own timestamp in ms since the epoch, or null when the page gave none
   */
  public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {}

  private final List<Sample> samples;
  private final int malformedLines;

  private PrometheusText(List<Sample> samples, int malformedLines) {
    this.samples = samples;
    this.malformedLines = malformedLines;
  }

  /** Reads a page; never throws (a null page has no samples). */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int malformed = 0;
    if (text != null) {
      for (String line : text.split("\r?\n|\r")) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        Sample sample = parseLine(s);
        if (sample == null) {
          malformed++;
        } else {
          samples.add(sample);
        }
      }
    }
    return new PrometheusText(Collections.unmodifiableList(samples), malformed);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** How many lines were neither samples, comments nor blank. */
  public int malformedLines() {
    return malformedLines;
  }

  /**
   * The first of {@code aliases} (in the order given) that has a sample with a number (not NaN), for
   * metrics that servers name differently ({@code vllm:kv_cache_usage_perc}, {@code sglang:token_usage}, ...).
   */
  public Optional<String> firstPresent(String... aliases) {
    for (String alias : aliases) {
      for (Sample s : samples) {
        if (s.name.equals(alias) && !Double.isNaN(s.value)) {
          return Optional.of(alias);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The value of the first of {@code aliases} present ({@link #firstPresent}): the largest over its
   * series (e.g. one per model or engine), NaN samples left out; empty when none is present.
   */
  public OptionalDouble value(String... aliases) {
    Optional<String> name = firstPresent(aliases);
    if (name.isEmpty()) {
      return OptionalDouble.empty();
    }
    double max = Double.NEGATIVE_INFINITY;
    for (Sample s : samples) {
      if (s.name.equals(name.get()) && !Double.isNaN(s.value)) {
        max = Math.max(max, s.value);
      }
    }
    return OptionalDouble.of(max);
  }

  /** One sample line, or null when it does not parse. */
  private static Sample parseLine(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && isNameChar(s.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    String name = s.substring(0, i);
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && s.charAt(i) == '{') {
      i = parseLabels(s, i + 1, labels);
      if (i < 0) {
        return null;
      }
    }
    String[] rest = s.substring(i).strip().split("[ \t]+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      return null;
    }
    double value;
    Long timestamp = null;
    try {
      value = parseValue(rest[0]);
      if (rest.length == 2) {
        timestamp = Long.parseLong(rest[1]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return new Sample(name, Collections.unmodifiableMap(labels), value, timestamp);
  }

  /** Reads {@code a="x",b="y"}} from {@code i}; the index after the '}', or -1 when malformed. */
  private static int parseLabels(String s, int i, Map<String, String> labels) {
    int n = s.length();
    while (true) {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      if (s.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < n && isNameChar(s.charAt(i), i == start) && s.charAt(i) != ':') {
        i++;
      }
      if (i == start) {
        return -1;
      }
      String key = s.substring(start, i);
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i >= n || s.charAt(i) != '=') {
        return -1;
      }
      i++;
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i >= n || s.charAt(i) != '"') {
        return -1;
      }
      i++;
      StringBuilder value = new StringBuilder();
      boolean closed = false;
      while (i < n) {
        char c = s.charAt(i++);
        if (c == '\\') {
          if (i >= n) {
            return -1;
          }
          char e = s.charAt(i++);
          value.append(e == 'n' ? '\n' : e); // \\ and \" stand for themselves
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.append(c);
        }
      }
      if (!closed) {
        return -1;
      }
      labels.put(key, value.toString());
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i < n && s.charAt(i) == ',') {
        i++; // a trailing comma before '}' is allowed
      } else if (i >= n || s.charAt(i) != '}') {
        return -1;
      }
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
  }

  private static double parseValue(String v) {
    switch (v) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        // Double.parseDouble also takes "Infinity", hex floats and a trailing 'd'/'f': none is Prometheus'.
        if (v.indexOf('I') >= 0 || v.indexOf('N') >= 0 || v.indexOf('x') >= 0 || v.indexOf('X') >= 0
            || v.endsWith("d") || v.endsWith("D") || v.endsWith("f") || v.endsWith("F")) {
          throw new NumberFormatException(v);
        }
        return Double.parseDouble(v);
    }
  }
}
