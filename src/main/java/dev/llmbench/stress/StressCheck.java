package dev.llmbench.stress;

import java.util.Locale;
import java.util.Objects;

/**
 * One stress check's result: what was measured against what bound, as one line of the stress report.
 *
 * @param scenario the scenario or group the check belongs to, e.g. {@code large-batch batch=200},
 *     {@code concurrent c=8 score}, {@code sustained}
 * @param check what is checked, e.g. {@code p95 drift}, {@code OOM}, {@code score consistency}
 * @param measured the measured value with its unit, e.g. {@code +0.41 %/min (95 % CI -0.20..+1.02)}; "" when skipped
 * @param bound the requirement the measured value is held to, with its comparison, e.g. {@code <= 2 %/min};
 *     "" when skipped
 * @param verdict pass, fail or skipped
 * @param note why it was skipped, what failed and how to fix it, or ""
 */
public record StressCheck(String scenario, String check, String measured, String bound, StressVerdict verdict,
    String note) {

  public StressCheck {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(verdict, "verdict");
    measured = measured == null ? "" : measured;
    bound = bound == null ? "" : bound;
    note = note == null ? "" : note;
  }

  /** A check that had nothing to judge, and why. */
  public static StressCheck skipped(String scenario, String check, String reason) {
    return new StressCheck(scenario, check, "", "", StressVerdict.SKIPPED, reason);
  }

  /**
   * The check as one line: verdict, scenario, check, measured value and bound, then the note, e.g.
   * {@code PASS     sustained  p95 drift: +0.41 %/min (95 % CI -0.20..+1.02) <= 2 %/min} or
   * {@code FAIL     large-batch batch=200  OOM: 3 of 20 requests, not = 0 -- remedies: ...}. A failed
   * check says "not" before its bound, so the line never reads as if the bound held. Line breaks in
   * any part become spaces.
   */
  public String line() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-8s %s  %s:", verdict.name(), scenario, check));
    if (verdict == StressVerdict.SKIPPED) {
      sb.append(" skipped");
    }
    if (!measured.isEmpty()) {
      sb.append(' ').append(measured);
    }
    if (!bound.isEmpty()) {
      sb.append(verdict == StressVerdict.FAIL ? ", not " : " ").append(bound);
    }
    if (!note.isEmpty()) {
      sb.append(" -- ").append(note);
    }
    return sb.toString().replaceAll("[\\r\\n]+", " ");
  }
}
