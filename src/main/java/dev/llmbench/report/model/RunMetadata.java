package dev.llmbench.report.model;

import dev.llmbench.io.Urls;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run was: where it ran, against what, with which load parameters (from {@code llm-run.json}).
 *
 * @param runId the run's id (Gatling's run folder name); never blank
 * @param startedAt when the run started, ISO-8601 UTC, as the run recorded it (injected, never read from a clock here)
 * @param profile the load profile, e.g. {@code smoke}
 * @param framework the serving framework, e.g. {@code vllm}, "" when unknown
 * @param backend the API shape the load generator spoke (bench_serving's {@code backend})
 * @param model the model name
 * @param targetUrl the server's base URL, without credentials
 * @param serverHardware what the server runs on, as the user labelled it ({@code -Dserver.hardware}), "" when not
 *     given: a remote server's hardware is known only from that label
 * @param serverVersion the version the server reported at the run's start ({@code /version} and its kin), "" when
 *     it reported none (or the run is older than the probe)
 * @param parameters every other load parameter, by name (sorted)
 */
public record RunMetadata(String runId, String startedAt, String profile, String framework, String backend,
    String model, String targetUrl, String serverHardware, String serverVersion, SortedMap<String, String> parameters) {

  public RunMetadata {
    Objects.requireNonNull(runId, "runId");
    if (runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(framework, "framework");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(targetUrl, "targetUrl");
    if (targetUrl.matches("(?i)^[a-z][a-z0-9+.-]*://[^/@]*@.*")) {
      throw new IllegalArgumentException("targetUrl must not carry credentials, but was "
          + Urls.hideCredentials(targetUrl));
    }
    Objects.requireNonNull(serverHardware, "serverHardware");
    Objects.requireNonNull(serverVersion, "serverVersion");
    Objects.requireNonNull(parameters, "parameters");
    parameters.forEach((k, v) -> {
      Objects.requireNonNull(k, "parameter name");
      Objects.requireNonNull(v, "parameter '" + k + "'");
    });
    parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
  }

  /** Metadata with parameters from any map (copied and sorted), of a server that reported no version. */
  public static RunMetadata of(String runId, String startedAt, String profile, String framework, String backend,
      String model, String targetUrl, String serverHardware, Map<String, String> parameters) {
    return of(runId, startedAt, profile, framework, backend, model, targetUrl, serverHardware, "", parameters);
  }

  /** Metadata with parameters from any map (copied and sorted). */
  public static RunMetadata of(String runId, String startedAt, String profile, String framework, String backend,
      String model, String targetUrl, String serverHardware, String serverVersion, Map<String, String> parameters) {
    return new RunMetadata(runId, startedAt, profile, framework, backend, model, targetUrl, serverHardware,
        serverVersion, new TreeMap<>(parameters));
  }
}
