package dev.llmbench.report.stats;

import dev.llmbench.report.model.PrefixCacheView;
import dev.llmbench.requests.RequestResult;
import java.util.Arrays;
import java.util.List;

/** The client's view of the server's prefix cache, from the cached tokens of each request ({@link PrefixCacheView}). */
public final class PrefixCacheStats {
  private PrefixCacheStats() {}

  /** The view of the measured successful requests whose server reported cached tokens; null when none did. */
  public static PrefixCacheView of(List<RequestResult> requests) {
    List<RequestResult> told = requests.stream().filter(r -> !r.warmup() && r.ok() && r.cachedTokens() >= 0).toList();
    if (told.isEmpty()) {
      return null;
    }
    long prompt = 0;
    long cached = 0;
    for (RequestResult r : told) {
      prompt += r.promptTokens();
      cached += r.cachedTokens();
    }
    double[] hits = ttftsMs(told, true);
    double[] misses = ttftsMs(told, false);
    return new PrefixCacheView(told.size(), (int) told.stream().filter(r -> r.cachedTokens() > 0).count(),
        (int) told.stream().filter(r -> r.cachedTokens() == 0).count(), prompt == 0 ? 0 : (double) cached / prompt,
        mean(hits), mean(misses), median(hits), median(misses));
  }

  /** TTFTs in ms of the hits (or the misses) that got a first token, sorted. */
  private static double[] ttftsMs(List<RequestResult> told, boolean hit) {
    return told.stream().filter(r -> (r.cachedTokens() > 0) == hit && r.ttftMicros() >= 0)
        .mapToDouble(r -> r.ttftMicros() / 1_000.0).sorted().toArray();
  }

  private static Double mean(double[] sorted) {
    return sorted.length == 0 ? null : Arrays.stream(sorted).average().orElseThrow();
  }

  private static Double median(double[] sorted) {
    return sorted.length == 0 ? null : Numpy.median(sorted);
  }
}
