package dev.llmbench.stress;

/** The outcome of one stress check. */
public enum StressVerdict {
  /** The measured value is within its bound. */
  PASS,
  /** The measured value breaks its bound; the run's exit code is non-zero. */
  FAIL,
  /** Nothing to judge (the server exposes no metric, the run was too short); says why, never fails the run. */
  SKIPPED
}
