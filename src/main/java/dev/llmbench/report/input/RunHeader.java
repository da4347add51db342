package dev.llmbench.report.input;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The first record of a {@code simulation.log} (record type 0), written once when the run starts.
 *
 * <p>The log holds no simulation id: Gatling names the run folder with it, so take it from there.
 *
 * @param gatlingVersion the Gatling version that wrote the log, e.g. {@code 3.15.1}
 * @param simulationClassName fully qualified class name of the simulation
 * @param startEpochMillis when the run started, milliseconds since the epoch; every other record's
 *     time is stored relative to it
 * @param runDescription the run description ({@code -rd}), "" when none
 * @param scenarios scenario names, indexed by the scenario index that user records carry
 * @param assertions the simulation's assertions, each as Gatling's own opaque (boopickle) bytes;
 *     compared by content, so do not modify them
 */
public record RunHeader(
    String gatlingVersion,
    String simulationClassName,
    long startEpochMillis,
    String runDescription,
    List<String> scenarios,
    List<byte[]> assertions) {

  public RunHeader {
    Objects.requireNonNull(gatlingVersion, "gatlingVersion");
    Objects.requireNonNull(simulationClassName, "simulationClassName");
    Objects.requireNonNull(runDescription, "runDescription");
    scenarios = List.copyOf(scenarios);
    assertions = List.copyOf(assertions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunHeader h && gatlingVersion.equals(h.gatlingVersion)
        && simulationClassName.equals(h.simulationClassName) && startEpochMillis == h.startEpochMillis
        && runDescription.equals(h.runDescription) && scenarios.equals(h.scenarios)
        && Arrays.deepEquals(assertions.toArray(), h.assertions.toArray());
  }

  @Override
  public int hashCode() {
    return Objects.hash(gatlingVersion, simulationClassName, startEpochMillis, runDescription, scenarios,
        Arrays.deepHashCode(assertions.toArray()));
  }

  @Override
  public String toString() {
    return "RunHeader[gatlingVersion=" + gatlingVersion + ", simulationClassName=" + simulationClassName
        + ", startEpochMillis=" + startEpochMillis + ", runDescription=" + runDescription + ", scenarios="
        + scenarios + ", assertions=" + assertions.size() + "]";
  }
}
