package dev.llmbench.report.model;

import java.util.Objects;

/**
 * One batch size of an offline sweep ({@code OfflineSimulation}) as SGLang's {@code bench_one_batch}
 * reports it (the seed's {@code grok_perf_offline_csv.sh} CSV): the medians over the measured batches
 * of that size of each batch's figures ({@code metrics.ServingFormulas#batch}). A figure no complete
 * batch gave is NaN.
 *
 * @param group the group the batch size was measured as ({@code offline-<mode>-<input>-<output>@batch=<B>})
 * @param mode {@code normal}, {@code long_context} or {@code dummy}
 * @param batchSize requests released at once
 * @param inputLen input tokens asked for, per request
 * @param outputLen output tokens asked for, per request
 * @param batches measured batches whose every request succeeded (the figures are their medians)
 * @param failedBatches measured batches with a failed request, left out
 * @param prefillLatencySec the release to the last first token, s
 * @param medianDecodeLatencySec the median decode step latency, s
 * @param e2eLatencySec the release to the last token, s
 * @param prefillThroughput {@code input_len * batch / prefill latency}, tok/s
 * @param medianDecodeThroughput {@code batch / median decode latency}, tok/s
 * @param e2eThroughput {@code (input_len + output_len) * batch / E2E latency}, tok/s
 */
public record OfflineRow(String group, String mode, int batchSize, int inputLen, int outputLen, int batches,
    int failedBatches, double prefillLatencySec, double medianDecodeLatencySec, double e2eLatencySec,
    double prefillThroughput, double medianDecodeThroughput, double e2eThroughput) {

  public OfflineRow {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(mode, "mode");
    if (batchSize < 1) {
      throw new IllegalArgumentException("offline row " + group + ": batchSize must be >= 1, but was " + batchSize);
    }
  }
}
