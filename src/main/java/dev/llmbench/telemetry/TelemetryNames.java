package dev.llmbench.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One vocabulary for the serving engines' {@code /metrics} series: vLLM, SGLang, llama.cpp, TGI and
 * Triton/TensorRT-LLM name the same things differently ({@code vllm:num_requests_running},
 * {@code sglang:num_running_reqs}, {@code llamacpp:requests_processing}, ...). The names live in the
 * data file {@value #RESOURCE}: our name → its kind, how several samples are made one figure, and the
 * engines' selectors in the order tried (a metric name, optionally with labels that must match, as
 * {@code nv_trt_llm_request_metrics{request_type="active"}}). The first selector with a sample on a
 * page gives the figure; a series that no selector names stays in the raw scrapes only.
 */
public final class TelemetryNames {
  /** The data file, on the class path. */
  public static final String RESOURCE = "/telemetry-names.json";

  /** How one of our series is found on a page. */
  public record Series(String name, String kind, String combine, List<Selector> selectors) {}

  /** A metric name and the labels a sample must carry (a subset of its labels). */
  public record Selector(String metric, Map<String, String> labels) {
    boolean matches(PrometheusText.Sample s) {
      if (!s.name().equals(metric)) {
        return false;
      }
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!e.getValue().equals(s.labels().get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"\\s*(,|$)");
  private static final TelemetryNames DEFAULT = load();

  private final List<Series> series;

  private TelemetryNames(List<Series> series) {
    this.series = List.copyOf(series);
  }

  /** The vocabulary of {@value #RESOURCE}. */
  public static TelemetryNames standard() {
    return DEFAULT;
  }

  /** Our series, in the file's order (the columns of {@code server-metrics.csv}). */
  public List<Series> series() {
    return series;
  }

  /** Our names, in order. */
  public List<String> names() {
    return series.stream().map(Series::name).toList();
  }

  /**
   * The figures of one page by our names, in order; a series the page does not have is left out. NaN
   * samples are skipped; the samples one selector matches are summed or their largest taken, as the
   * file says.
   */
  public Map<String, Double> map(PrometheusText page) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Series s : series) {
      for (Selector sel : s.selectors()) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (PrometheusText.Sample sample : page.samples()) {
          if (sel.matches(sample) && !Double.isNaN(sample.value())) {
            sum += sample.value();
            max = Math.max(max, sample.value());
            n++;
          }
        }
        if (n > 0) {
          out.put(s.name(), "max".equals(s.combine()) ? max : sum);
          break;
        }
      }
    }
    return out;
  }

  /** Reads a vocabulary; a malformed entry is an error naming it (the file is ours: a mistake must show). */
  static TelemetryNames parse(JsonNode root) {
    List<Series> list = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("_")) {
        continue;
      }
      JsonNode v = e.getValue();
      String kind = v.path("kind").asText("");
      String combine = v.path("combine").asText("");
      if (!(kind.equals("gauge") || kind.equals("counter")) || !(combine.equals("sum") || combine.equals("max"))
          || !v.path("series").isArray() || v.path("series").isEmpty()) {
        throw new IllegalArgumentException(RESOURCE + ": '" + e.getKey() + "' needs kind gauge|counter, combine "
            + "sum|max and a non-empty series list, but was " + v);
      }
      List<Selector> selectors = new ArrayList<>();
      for (JsonNode s : v.path("series")) {
        selectors.add(selector(e.getKey(), s.asText()));
      }
      list.add(new Series(e.getKey(), kind, combine, List.copyOf(selectors)));
    }
    return new TelemetryNames(list);
  }

  static Selector selector(String owner, String text) {
    Matcher m = SELECTOR.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(RESOURCE + ": '" + owner + "' has a selector that is not name{label=\"v\"}: "
          + text);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(2) != null) {
      Matcher l = LABEL.matcher(m.group(2));
      int end = 0;
      while (end < m.group(2).length() && l.find(end) && l.start() == end) {
        labels.put(l.group(1), l.group(2));
        end = l.end();
      }
      if (end != m.group(2).length() || labels.isEmpty()) {
        throw new IllegalArgumentException(RESOURCE + ": '" + owner + "' has a malformed label list: " + text);
      }
    }
    return new Selector(m.group(1), Map.copyOf(labels));
  }

  private static TelemetryNames load() {
    try (InputStream in = TelemetryNames.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(RESOURCE + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TelemetryNames%s", names());
  }
}
