package dev.llmbench.report.compare;

/**
 * The figures a framework comparison puts side by side, each by its {@code summary.json} key
 * (bench_serving's names, see {@code report.render.JsonSummaryFormat}), with its unit and which way is
 * better. Goodput rows are shown only when some result has them (a run with {@code -Dslo}).
 */
public enum HeadlineMetric {
  REQUEST_THROUGHPUT("request_throughput", "Request throughput", "req/s", true),
  OUTPUT_THROUGHPUT("output_throughput", "Output throughput", "tok/s", true),
  TOTAL_THROUGHPUT("total_throughput", "Total throughput", "tok/s", true),
  MEAN_TTFT("mean_ttft_ms", "Mean TTFT", "ms", false),
  MEDIAN_TTFT("median_ttft_ms", "Median TTFT", "ms", false),
  P99_TTFT("p99_ttft_ms", "P99 TTFT", "ms", false),
  MEAN_TPOT("mean_tpot_ms", "Mean TPOT", "ms", false),
  MEDIAN_TPOT("median_tpot_ms", "Median TPOT", "ms", false),
  P99_TPOT("p99_tpot_ms", "P99 TPOT", "ms", false),
  MEAN_ITL("mean_itl_ms", "Mean ITL", "ms", false),
  MEDIAN_ITL("median_itl_ms", "Median ITL", "ms", false),
  P99_ITL("p99_itl_ms", "P99 ITL", "ms", false),
  MEDIAN_E2E("median_e2e_latency_ms", "Median E2E", "ms", false),
  P99_E2E("p99_e2e_latency_ms", "P99 E2E", "ms", false),
  REQUEST_GOODPUT("request_goodput", "Request goodput", "req/s", true),
  OUTPUT_TOKEN_GOODPUT("output_token_goodput", "Output token goodput", "tok/s", true),
  ERROR_RATE("error_rate", "Error rate", "0..1", false);

  private final String key;
  private final String label;
  private final String unit;
  private final boolean higherIsBetter;

  HeadlineMetric(String key, String label, String unit, boolean higherIsBetter) {
    this.key = key;
    this.label = label;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }

  /** Its key in a {@code summary.json} group and in {@code comparison-<ts>.json}. */
  public String key() {
    return key;
  }

  /** How the tables name it, with its unit: {@code Output throughput (tok/s)}. */
  public String heading() {
    return label + " (" + unit + ")";
  }

  public String unit() {
    return unit;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Whether a result that lacks it simply did not measure it (goodput without objectives), rather than broke. */
  boolean optional() {
    return this == REQUEST_GOODPUT || this == OUTPUT_TOKEN_GOODPUT;
  }
}
