package dev.llmbench.report.model;

/**
 * A group's goodput against the run's service-level objectives (vLLM's {@code --goodput}): a completed
 * request is good when it meets every objective that applies to it (computed by
 * {@code report.stats.ServingMetrics}; failed requests are never good).
 *
 * @param goodRequests completed requests that met every objective
 * @param requestGoodput good requests per second of the group's duration (vLLM's {@code request_goodput})
 * @param outputTokenGoodput output tokens of the good requests per second of the group's duration
 * @param sloAttainment good requests over measured requests (failed ones included), 0..1; 0 when none was measured
 */
public record Goodput(long goodRequests, double requestGoodput, double outputTokenGoodput, double sloAttainment) {

  public Goodput {
    if (goodRequests < 0) {
      throw new IllegalArgumentException("goodRequests must be >= 0, but was " + goodRequests);
    }
    if (!(requestGoodput >= 0) || !Double.isFinite(requestGoodput)) {
      throw new IllegalArgumentException("requestGoodput must be finite and >= 0, but was " + requestGoodput);
    }
    if (!(outputTokenGoodput >= 0) || !Double.isFinite(outputTokenGoodput)) {
      throw new IllegalArgumentException("outputTokenGoodput must be finite and >= 0, but was " + outputTokenGoodput);
    }
    if (!(sloAttainment >= 0 && sloAttainment <= 1)) {
      throw new IllegalArgumentException("sloAttainment must be in [0, 1], but was " + sloAttainment);
    }
  }
}
