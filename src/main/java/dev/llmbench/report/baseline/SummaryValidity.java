package dev.llmbench.report.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's validity verdict from its {@code summary.json}: the top-level object
 * {@code "validity": {"verdict": "valid" | "client-bound" | "server-failing", "reasons": ["..."]}}. A summary without it
 * (written before the verdict existed) is valid. The comparison takes the reasons as an input
 * ({@link Baselines#compare}), so any other source of the verdict can be wired in the same way.
 */
public final class SummaryValidity {
  private SummaryValidity() {}

  /**
   * Why the run was client-bound; empty when it was valid or says nothing.
   *
   * @throws IllegalArgumentException when the verdict is none of {@code valid}, {@code client-bound} and
   *     {@code server-failing}
   */
  public static List<String> clientBoundReasons(JsonNode summary) {
    JsonNode validity = summary == null ? null : summary.get("validity");
    if (validity == null || validity.isNull()) {
      return List.of();
    }
    String verdict = validity.path("verdict").asText("");
    switch (verdict) {
      case "valid", "server-failing":
        // A server-failing run is partial (it stopped sending, or most requests never reached the
        // server): the comparison says so from its problems, not as a client-bound run.
        return List.of();
      case "client-bound":
        List<String> reasons = new ArrayList<>();
        validity.path("reasons").forEach(r -> reasons.add(r.asText()));
        return reasons.isEmpty() ? List.of("the run's validity verdict is client-bound") : List.copyOf(reasons);
      default:
        throw new IllegalArgumentException("summary.json: validity.verdict must be \"valid\", \"client-bound\" or "
            + "\"server-failing\", but was \"" + verdict + "\"");
    }
  }
}
