package dev.llmbench.report.render;

import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.GroupMetrics;
import java.util.List;
import java.util.function.Function;

/**
 * The distributions of a group and the names the reports give them: bench_serving's ({@code ttft},
 * {@code tpot}, {@code itl}, {@code e2e_latency}) and ours beside them ({@code itl_per_token},
 * {@code tokens_per_chunk}).
 */
final class Columns {
  private Columns() {}

  /** A distribution of a group, its JSON stem (bench_serving's), its CSV stem, and whether it is in ms. */
  record Dist(String jsonStem, String csvStem, boolean millis, Function<GroupMetrics, Distribution> get) {}

  static final List<Dist> DISTRIBUTIONS = List.of(
      new Dist("ttft", "ttft", true, GroupMetrics::ttftMs),
      new Dist("tpot", "tpot", true, GroupMetrics::tpotMs),
      new Dist("itl", "itl", true, GroupMetrics::itlMs),
      new Dist("e2e_latency", "e2e", true, GroupMetrics::e2eMs),
      new Dist("itl_per_token", "itl_per_token", true, GroupMetrics::itlPerTokenMs),
      new Dist("tokens_per_chunk", "tokens_per_chunk", false, GroupMetrics::tokensPerChunk));

  /**
   * The client-side distributions vLLM's {@code bench serve} adds under {@code --max-concurrency}, by its
   * names: client queue time and E2E including it. Each may be absent (null) from a group, and is then
   * left out of {@code summary.json} and the page, and empty in {@code summary.csv}.
   */
  static final List<Dist> CLIENT_QUEUE = List.of(
      new Dist("client_queue_time", "client_queue_time", true, GroupMetrics::clientQueueTimeMs),
      new Dist("e2el_including_client_queue", "e2el_including_client_queue", true,
          GroupMetrics::e2elIncludingClientQueueMs));

  /** A statistic of a distribution and its name. */
  record Stat(String name, Function<Distribution, Double> get) {}

  static final List<Stat> STATS = List.of(
      new Stat("mean", Distribution::mean),
      new Stat("median", Distribution::median),
      new Stat("std", Distribution::std),
      new Stat("p90", Distribution::p90),
      new Stat("p95", Distribution::p95),
      new Stat("p99", Distribution::p99),
      new Stat("max", Distribution::max));
}
