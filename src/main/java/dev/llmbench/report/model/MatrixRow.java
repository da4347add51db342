package dev.llmbench.report.model;

import java.util.Objects;

/**
 * One configuration of the ISL/OSL matrix as {@code bench_full.py}'s table shows it: means over the
 * configuration's measured requests that succeeded. A mean that no request gave is NaN.
 *
 * @param group the group the configuration was measured as ({@code matrix-<isl>-<osl>})
 * @param isl input length asked for, tokens
 * @param osl output length asked for, tokens
 * @param category prefill-heavy, balanced or decode-heavy; "" when the configuration is not in the matrix's data
 * @param label what the configuration stands for; "" when not in the matrix's data
 * @param completed measured requests that succeeded
 * @param failed measured requests that failed
 * @param ttftMs mean time to first token, ms
 * @param tpotMs mean time per output token after the first, ms
 * @param decodeThroughput mean of completion tokens / (E2E − TTFT), tok/s
 * @param e2eThroughput mean of completion tokens / E2E, tok/s
 * @param e2eMs mean end-to-end latency, ms
 * @param outputTokens mean output tokens
 */
public record MatrixRow(String group, int isl, int osl, String category, String label, long completed, long failed,
    double ttftMs, double tpotMs, double decodeThroughput, double e2eThroughput, double e2eMs, double outputTokens) {

  public MatrixRow {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(label, "label");
  }
}
