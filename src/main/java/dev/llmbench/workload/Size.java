package dev.llmbench.workload;

/** How big a run of a profile is: {@code smoke} (seconds to a minute on the emulator) or {@code full}. */
public enum Size {
  SMOKE,
  FULL
}
