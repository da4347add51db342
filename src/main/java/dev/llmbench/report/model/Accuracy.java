package dev.llmbench.report.model;

import java.util.Locale;

/**
 * The accuracy gate's result ({@code llm.run.AccuracyGate}), as {@code llm-run.json} records it and
 * {@code summary.json} shows it under {@code accuracy}: exact-match accuracy on GSM8K test questions
 * before the load, with its 95 % Wilson interval, judged against a threshold.
 *
 * @param benchmark the benchmark's name ({@code gsm8k})
 * @param questions questions asked (the first ones of the test split)
 * @param shots few-shot examples before each question
 * @param maxTokens the {@code max_tokens} of each request
 * @param concurrency requests in flight at once
 * @param correct replies whose last number equals the reference's
 * @param invalid replies with no number at all (wrong, and counted apart, as SGLang's script does)
 * @param errors requests that failed (an HTTP error, a timeout, an unreadable body); counted as wrong
 * @param accuracy {@code correct / questions}
 * @param ciLow the 95 % Wilson interval's lower end
 * @param ciHigh its upper end
 * @param threshold the least accuracy that passes ({@code -Daccuracy.threshold})
 * @param passed whether {@code accuracy >= threshold} (the point estimate is judged, as SGLang's CI
 *     scripts judge it; the interval says how sure that is)
 * @param durationSec how long the questions took, seconds
 */
public record Accuracy(String benchmark, int questions, int shots, int maxTokens, int concurrency, int correct,
    int invalid, int errors, double accuracy, double ciLow, double ciHigh, double threshold, boolean passed,
    double durationSec) {

  /**
   * The one line the console, the result block and the page show: {@code accuracy gate passed: gsm8k 0.95
   * (95 % CI 0.91–0.97) >= threshold 0.80 over 200 questions}, or {@code accuracy gate FAILED: ... < ...}.
   */
  public String line() {
    return String.format(Locale.ROOT, "accuracy gate %s: %s %.2f (95 %% CI %.2f\u2013%.2f) %s threshold %.2f over %d "
        + "questions", passed ? "passed" : "FAILED", benchmark, accuracy, ciLow, ciHigh, passed ? ">=" : "<", threshold,
        questions);
  }

  /** The details after the line: shots, invalid replies, errors and the time taken. */
  public String details() {
    return String.format(Locale.ROOT, "%d of %d right, %d-shot, %d without a number, %d failed requests, %.1f s at "
        + "%d in flight", correct, questions, shots, invalid, errors, durationSec, concurrency);
  }
}
