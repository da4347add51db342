package dev.llmbench.report.model;

import java.util.Objects;

/**
 * One cell of the scoring runbook's table: a pooling group (a batch size, and for SGLang's
 * {@code /v1/score} a label count) and its figures over the measured requests. Latencies are E2E, the
 * only latency a one-answer request has; a figure no request gave is NaN.
 *
 * @param group the group the cell was measured as ({@code batch=8 labels=2})
 * @param batch items per request, or null when the group's name does not say
 * @param labels label tokens per request, or null (the APIs other than SGLang's score have none)
 * @param completed measured requests that succeeded
 * @param failed measured requests that failed
 * @param itemsPerSecond items of the completed requests over the cell's duration (IPS)
 * @param requestsPerSecond completed requests over the cell's duration
 * @param meanMs mean latency, ms
 * @param p50Ms median latency (numpy's), ms
 * @param p95Ms 95th percentile, ms
 * @param p99Ms 99th percentile, ms
 */
public record PoolingRow(String group, Integer batch, Integer labels, long completed, long failed,
    double itemsPerSecond, double requestsPerSecond, double meanMs, double p50Ms, double p95Ms, double p99Ms) {

  public PoolingRow {
    Objects.requireNonNull(group, "group");
  }
}
