package dev.llmbench.llm.run;

import dev.llmbench.capacity.CapacitySearch;
import dev.llmbench.capacity.CapacitySearch.Mode;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.metrics.Slo;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A capacity search's configuration ({@code CapacitySimulation}), read once and validated; the
 * objectives are the run's {@code -Dslo} and each step's requests the serving profile's
 * ({@code -Dprofile}, {@code -Dnum.prompts}, {@code -Dwarmup.requests}, ...).
 *
 * @param search the search: {@code -Dsearch=rate|concurrency} (rate), {@code -Dsearch.start} (1),
 *     {@code -Dsearch.min} (0.1 requests/s, or 1 stream), {@code -Dsearch.max} (1000 requests/s, or 1024
 *     streams), {@code -Dsearch.tolerance} (0.05: the bracket's width as a share of its lower end),
 *     {@code -Dsearch.max.steps} (12)
 * @param slo the objectives, {@code -Dslo} (required)
 * @param percentile {@code -Dslo.percentile}: the percentile of each metric that must meet its
 *     objective (99, as {@code vllm bench sweep serve_sla}'s p99 SLA)
 * @param maxErrorRate {@code -Dsearch.max.error.rate}: a step with a larger share of failed requests
 *     fails, and is stopped as soon as it has more (0.01)
 */
public record CapacityConfig(CapacitySearch.Settings search, Slo slo, double percentile, double maxErrorRate) {

  /** The properties read here, beside the run's. */
  public static final Set<String> KEYS = Set.of("search", "search.start", "search.min", "search.max",
      "search.tolerance", "search.max.steps", "search.max.error.rate", "slo.percentile");

  /** Reads and checks the properties; a wrong one is a {@link ConfigException} saying what and how to fix it. */
  public static CapacityConfig from(Props p, BenchConfig run) {
    for (String key : new TreeSet<>(p.keysWithPrefix("search."))) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown property " + key + "; the search properties are " + new TreeSet<>(KEYS));
      }
    }
    if (run.slo() == null) {
      throw new ConfigException("a capacity search needs objectives: give -Dslo in ms, as vLLM's --goodput, e.g. "
          + "-Dslo=ttft:500,tpot:50");
    }
    Mode mode = p.enumValue("search", Mode.class, Mode.RATE);
    boolean rate = mode == Mode.RATE;
    if (rate && p.has("request.rate")) {
      throw new ConfigException("a rate search chooses each step's request rate: drop -Drequest.rate, and give "
          + "-Dsearch.start (the first step's rate) or -Dsearch.min/-Dsearch.max instead");
    }
    if (!rate && p.has("max.concurrency")) {
      throw new ConfigException("a concurrency search chooses each step's concurrency: drop -Dmax.concurrency, and "
          + "give -Dsearch.start (the first step's) or -Dsearch.min/-Dsearch.max instead");
    }
    if (!rate && run.requestRates().size() != 1) {
      throw new ConfigException("a concurrency search runs every step at one request rate, but -Drequest.rate lists "
          + run.requestRates().size());
    }
    double start;
    double min;
    double max;
    if (rate) {
      min = p.decimal("search.min", 0.1, 1e-4, 1e6);
      max = p.decimal("search.max", 1000, 1e-4, 1e6);
      start = p.decimal("search.start", Math.min(Math.max(1, min), max), 1e-4, 1e6);
    } else {
      min = p.integer("search.min", 1, 1, 100_000);
      max = p.integer("search.max", 1024, 1, 100_000);
      start = p.integer("search.start", (int) Math.min(Math.max(1, min), max), 1, 100_000);
    }
    String unit = rate ? " requests/s" : " streams";
    if (!(min <= start && start <= max)) {
      throw new ConfigException(String.format(Locale.ROOT, "the search needs search.min <= search.start <= search.max, "
          + "but had %s <= %s <= %s%s", CapacitySearch.loadName(min), CapacitySearch.loadName(start),
          CapacitySearch.loadName(max), unit));
    }
    double tolerance = p.decimal("search.tolerance", 0.05, 0.001, 0.99);
    int maxSteps = p.integer("search.max.steps", 12, 1, 1_000);
    double percentile = p.decimal("slo.percentile", 99, 1, 100);
    double maxErrorRate = p.decimal("search.max.error.rate", 0.01, 0, 1);
    return new CapacityConfig(new CapacitySearch.Settings(mode, start, min, max, tolerance, maxSteps), run.slo(),
        percentile, maxErrorRate);
  }

  public Mode mode() {
    return search.mode();
  }

  /** The search in one line, for the run's announcement and its record. */
  public String describe() {
    CapacitySearch.Settings s = search;
    return String.format(Locale.ROOT, "search=%s start=%s min=%s max=%s tolerance=%s max.steps=%d slo=%s "
        + "slo.percentile=%s max.error.rate=%s", s.mode().wireName(), CapacitySearch.loadName(s.start()),
        CapacitySearch.loadName(s.min()), CapacitySearch.loadName(s.max()), CapacitySearch.loadName(s.tolerance()),
        s.maxSteps(), slo.canonical(), CapacitySearch.loadName(percentile), CapacitySearch.loadName(maxErrorRate));
  }
}
