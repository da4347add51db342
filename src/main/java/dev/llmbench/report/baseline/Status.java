package dev.llmbench.report.baseline;

/** How one metric of a run compares with its baseline. */
public enum Status {
  /** Within the warn band either way, or better but not surely. */
  OK("OK"),
  /** Better than the baseline by more than the warn band, and the interval of the change says so. */
  IMPROVED("IMPROVED"),
  /** Worse by more than the warn band (5 %) and at most the regression threshold; or more errors than before. */
  WARN("WARN"),
  /** Worse by more than the threshold, but within the noise: the interval of the change reaches below it. */
  WARN_NOISY("WARN (noisy)"),
  /**
   * Would be a regression, but the run's client was the bottleneck (validity verdict): not judged. The
   * error-rate gate is never downgraded.
   */
  WARN_CLIENT_BOUND("WARN (client-bound)"),
  /**
   * Would be a regression, but the baseline was taken on other hardware (CPU, cores, GPU, or the
   * server's {@code -Dserver.hardware} label): the change cannot be told apart from the machine's.
   * Take a baseline on this machine, with the same label, to judge. The
   * error-rate gate is never downgraded.
   */
  WARN_OTHER_HARDWARE("WARN (other hardware)"),
  /**
   * Would be a regression (any rule, the error-rate gate included), but the result is partial (a cut
   * side file, a simulation.log that disagrees): not judged. The warnings name the problems.
   */
  WARN_PARTIAL("WARN (partial result)"),
  /** Worse by more than the threshold (or a hard gate) with the stated confidence. Fails the run. */
  REGRESSION("REGRESSION");

  private final String label;

  Status(String label) {
    this.label = label;
  }

  /** As tables and {@code comparison.json} show it. */
  public String label() {
    return label;
  }
}
