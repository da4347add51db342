package dev.llmbench.report.baseline;

import dev.llmbench.report.model.GroupMetrics;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The headline metrics a run is compared on, per group, with bench_serving's key names and the
 * direction in which each one is better. Their order is the order of every table and file.
 */
public enum Metric {
  REQUEST_THROUGHPUT("request_throughput", "req/s", Direction.HIGHER_IS_BETTER, GroupMetrics::requestThroughput),
  /** Items scored, ranked or embedded per second: the scoring runbook's IPS (pooling groups only). */
  ITEMS_THROUGHPUT("items_per_second", "items/s", Direction.HIGHER_IS_BETTER, GroupMetrics::itemThroughput),
  INPUT_THROUGHPUT("input_throughput", "tok/s", Direction.HIGHER_IS_BETTER, GroupMetrics::inputThroughput),
  OUTPUT_THROUGHPUT("output_throughput", "tok/s", Direction.HIGHER_IS_BETTER, GroupMetrics::outputThroughput),
  TOTAL_THROUGHPUT("total_throughput", "tok/s", Direction.HIGHER_IS_BETTER, GroupMetrics::totalThroughput),
  MEAN_TTFT("mean_ttft_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.ttftMs().mean()),
  MEDIAN_TTFT("median_ttft_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.ttftMs().median()),
  P95_TTFT("p95_ttft_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.ttftMs().p95()),
  P99_TTFT("p99_ttft_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.ttftMs().p99()),
  MEAN_TPOT("mean_tpot_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.tpotMs().mean()),
  MEDIAN_TPOT("median_tpot_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.tpotMs().median()),
  P95_TPOT("p95_tpot_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.tpotMs().p95()),
  P99_TPOT("p99_tpot_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.tpotMs().p99()),
  MEAN_ITL("mean_itl_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.itlMs().mean()),
  MEDIAN_ITL("median_itl_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.itlMs().median()),
  P95_ITL("p95_itl_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.itlMs().p95()),
  P99_ITL("p99_itl_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.itlMs().p99()),
  MEAN_E2E("mean_e2e_latency_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.e2eMs().mean()),
  MEDIAN_E2E("median_e2e_latency_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.e2eMs().median()),
  P95_E2E("p95_e2e_latency_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.e2eMs().p95()),
  P99_E2E("p99_e2e_latency_ms", "ms", Direction.LOWER_IS_BETTER, g -> g.e2eMs().p99()),
  ERROR_RATE("error_rate", "0..1", Direction.LOWER_IS_BETTER, GroupMetrics::errorRate),
  /** Good requests per second against the run's objectives (vLLM's {@code request_goodput}; only with {@code -Dslo}). */
  REQUEST_GOODPUT("request_goodput", "req/s", Direction.HIGHER_IS_BETTER,
      g -> g.goodput() == null ? Double.NaN : g.goodput().requestGoodput()),
  /** Good over measured requests (only with {@code -Dslo}). */
  SLO_ATTAINMENT("slo_attainment", "0..1", Direction.HIGHER_IS_BETTER,
      g -> g.goodput() == null ? Double.NaN : g.goodput().sloAttainment());

  /**
   * The metrics of a pooling group: one answer per request and no tokens streamed, so no TTFT, TPOT,
   * ITL or token throughput; its latency is E2E (the runbook's p50/p95/p99) and its throughput IPS.
   */
  private static final Set<Metric> POOLING = EnumSet.of(REQUEST_THROUGHPUT, ITEMS_THROUGHPUT, MEAN_E2E, MEDIAN_E2E,
      P95_E2E, P99_E2E, ERROR_RATE);

  /** The metrics of a group judged against service-level objectives, and of no other ({@code -Dslo}). */
  private static final Set<Metric> GOODPUT = EnumSet.of(REQUEST_GOODPUT, SLO_ATTAINMENT);

  /**
   * Whether a group has this metric: a pooling group ({@link #POOLING}) or a generation group (all but
   * IPS); the goodput metrics only for a group with goodput ({@link GroupMetrics#hasGoodput}).
   *
   * @param poolingGroup whether the group sent pooling requests
   * @param withGoodput whether the group was judged against service-level objectives
   */
  public boolean appliesTo(boolean poolingGroup, boolean withGoodput) {
    if (GOODPUT.contains(this)) {
      return withGoodput;
    }
    return poolingGroup ? POOLING.contains(this) : this != ITEMS_THROUGHPUT;
  }

  /** Which way is better. */
  public enum Direction {
    HIGHER_IS_BETTER("higher"),
    LOWER_IS_BETTER("lower");

    private final String word;

    Direction(String word) {
      this.word = word;
    }

    /** {@code higher} or {@code lower}, as the baseline CSV's {@code better} column writes it. */
    public String word() {
      return word;
    }
  }

  private final String key;
  private final String unit;
  private final Direction direction;
  private final ToDoubleFunction<GroupMetrics> value;

  Metric(String key, String unit, Direction direction, ToDoubleFunction<GroupMetrics> value) {
    this.key = key;
    this.unit = unit;
    this.direction = direction;
    this.value = value;
  }

  /** bench_serving's key ({@code summary.json}), e.g. {@code p99_ttft_ms}. */
  public String key() {
    return key;
  }

  public String unit() {
    return unit;
  }

  public Direction direction() {
    return direction;
  }

  /** The metric's value in a group's metrics. */
  public double of(GroupMetrics g) {
    return value.applyAsDouble(g);
  }

  /** A 95th-percentile latency: the p95 hard gate applies to it. */
  public boolean isP95Latency() {
    return key.startsWith("p95_");
  }

  /** The metric with this key, if any. */
  public static Optional<Metric> byKey(String key) {
    return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
  }

}
