package dev.llmbench.report.model;

/**
 * The server's telemetry in a few figures ({@code summary.json}'s {@code server}); null when unknown (no
 * scrape gave the series, no GPU sample). VRAM is summed over the machine's GPUs.
 *
 * @param scrapes scrapes of {@code /metrics} that got a page
 * @param requestsRunningPeak most requests running at one scrape during the load
 * @param requestsWaitingPeak most requests waiting at one scrape during the load
 * @param kvCacheUsagePeak highest KV-cache usage (0..1) at one scrape during the load
 * @param gpus GPUs sampled
 * @param vramBeforeMib memory used at the last sample before the first send
 * @param vramPeakMib most memory used at one sample during the load
 * @param vramAfterMib memory used at the first sample after the last answer
 * @param vramTotalMib the GPUs' memory
 * @param gpuUtilizationPeakPct highest utilisation of one GPU at one sample during the load
 * @param prefixCacheHitRate the server's prefix-cache hit rate over the load (0..1): hit tokens over queried
 *     tokens, the growth of vLLM's counters from the last scrape before the first send to the first after the
 *     last answer; else the mean of SGLang's {@code cache_hit_rate} gauge during the load; null when neither
 */
public record ServerPeaks(int scrapes, Double requestsRunningPeak, Double requestsWaitingPeak, Double kvCacheUsagePeak,
    int gpus, Double vramBeforeMib, Double vramPeakMib, Double vramAfterMib, Double vramTotalMib,
    Double gpuUtilizationPeakPct, Double prefixCacheHitRate) {

  /** Figures without a prefix-cache hit rate. */
  public ServerPeaks(int scrapes, Double requestsRunningPeak, Double requestsWaitingPeak, Double kvCacheUsagePeak,
      int gpus, Double vramBeforeMib, Double vramPeakMib, Double vramAfterMib, Double vramTotalMib,
      Double gpuUtilizationPeakPct) {
    this(scrapes, requestsRunningPeak, requestsWaitingPeak, kvCacheUsagePeak, gpus, vramBeforeMib, vramPeakMib,
        vramAfterMib, vramTotalMib, gpuUtilizationPeakPct, null);
  }
}
