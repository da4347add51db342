package dev.llmbench.report.input;

import java.io.IOException;

/**
 * A {@code simulation.log} that this reader cannot read at all: another Gatling version, not a
 * simulation log, or cut inside its run header. Damage after the header is not thrown but reported
 * in {@link SimulationLogReader.Result}.
 */
public final class SimulationLogException extends IOException {
  private static final long serialVersionUID = 1L;

  public SimulationLogException(String message) {
    super(message);
  }

  public SimulationLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
