package dev.llmbench.report.compare;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an hour of each server costs, as {@code --cost.per.hour} / {@code -Dcost.per.hour} give it: one number,
 * the same price for every framework ({@code 2.5}), or {@code <framework>=<usd>} pairs ({@code vllm=2.5,sglang=3}),
 * where a framework not named has no cost. Mixing the two is refused: which would win is not obvious.
 *
 * @param everyFramework USD per hour for every framework, or null when the prices are pairs
 * @param byFramework USD per hour by framework (or label), empty when {@code everyFramework} is given
 */
public record HourlyPrices(Double everyFramework, Map<String, Double> byFramework) {

  public HourlyPrices {
    byFramework = Collections.unmodifiableMap(new LinkedHashMap<>(byFramework));
  }

  /**
   * Parses a price list; {@code option} names where it came from ({@code --cost.per.hour}, {@code -Dcost.per.hour})
   * in the one-line error.
   */
  public static HourlyPrices parse(String option, String value) throws CompareException {
    String list = value == null ? "" : value.trim();
    if (list.isEmpty()) {
      throw new CompareException(option + " needs a price: one number of USD per hour for every framework (2.5) or "
          + "<framework>=<usd> pairs (vllm=2.5,sglang=3)");
    }
    if (!list.contains("=")) {
      return new HourlyPrices(usd(option, list), Map.of());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || pair.substring(0, eq).isBlank()) {
        throw new CompareException(option + " takes <framework>=<usd> pairs, or one number for every framework,"
            + " but got \"" + pair.trim() + "\" in \"" + list + "\"");
      }
      String framework = pair.substring(0, eq).trim();
      if (out.put(framework, usd(option + " for " + framework, pair.substring(eq + 1).trim())) != null) {
        throw new CompareException(option + " names " + framework + " twice");
      }
    }
    return new HourlyPrices(null, out);
  }

  private static double usd(String what, String price) throws CompareException {
    double usd;
    try {
      usd = Double.parseDouble(price);
    } catch (NumberFormatException e) {
      throw new CompareException(what + " must be a number of USD per hour, but was \"" + price + "\"", e);
    }
    if (!Double.isFinite(usd) || usd < 0) {
      throw new CompareException(what + " must be a finite price of at least 0, but was " + price);
    }
    return usd;
  }

  /** The price of each result's framework, as {@link Comparisons#of} takes them. */
  public Map<String, Double> of(List<ResultRun> results) {
    if (everyFramework == null) {
      return byFramework;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    results.forEach(r -> out.put(r.framework(), everyFramework));
    return out;
  }

  /** The frameworks named that are not among {@code frameworks} (none for one price for all). */
  public List<String> unknown(Collection<String> frameworks) {
    return byFramework.keySet().stream().filter(f -> !frameworks.contains(f)).toList();
  }

  /** These prices without those of frameworks not among {@code frameworks} (a one-for-all price stays as it is). */
  public HourlyPrices onlyFor(Collection<String> frameworks) {
    Map<String, Double> kept = new LinkedHashMap<>(byFramework);
    kept.keySet().retainAll(frameworks);
    return new HourlyPrices(everyFramework, kept);
  }

  /** The option's value again, as {@link #parse} reads it; empty when no framework is priced. */
  public String option() {
    if (everyFramework != null) {
      return Double.toString(everyFramework);
    }
    return byFramework.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
