package dev.llmbench.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a run was, as {@code llm-run.json} records it in the Gatling run folder: written by the
 * simulation when it starts ({@code LlmSimulation.announce}), completed with the {@link AfterLoad}
 * parts when the load is over, and read by the post-run step ({@code report.input.RunDescriptionFile}).
 * Version {@value #SCHEMA_VERSION}; every part is null when a run did not record it (older runs lack
 * the newer parts), and the parts recorded "only when given" are written only then.
 *
 * @param schemaVersion the file's version
 * @param startedAt when the run was announced, ISO-8601 UTC
 * @param profile the profile, or a prompt file's group
 * @param framework the serving framework's label
 * @param backend the API dialect's wire name
 * @param model the model served
 * @param targetUrl the server's base URL
 * @param serverHardware the {@code -Dserver.hardware} label; only when given
 * @param serverVersion the version the server reported at the run's start ({@code /version} and its kin,
 *     {@code llm.run.Target#serverVersion}); only when it reported one
 * @param serverLog the {@code -Dserver.log} file; only when given
 * @param load the load sent, written in line with the other fields
 * @param promptSizing how the prompts were sized; absent from runs before it was recorded
 * @param phases the phases in order
 * @param notes the NOTE lines the run printed
 * @param validity the validity policy the run was started with
 * @param accuracy the accuracy gate's result, asked before the load ({@code -Daccuracy}); only when it ran
 * @param injectors its part in a run over several injectors ({@link Injectors}); only when sharded or given
 *     {@code -Dstart.at}
 * @param afterLoad what the run recorded once its load was over, written in line with the other fields
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunDescription(Integer schemaVersion, String startedAt, String profile, String framework,
    String backend, String model, String targetUrl, String serverHardware, String serverVersion, String serverLog,
    @JsonUnwrapped LoadParameters load, Sizing promptSizing, List<PhaseSize> phases, List<String> notes,
    ValidityPolicy validity, Accuracy accuracy, Injectors injectors, @JsonUnwrapped AfterLoad afterLoad) {

  /** The version of {@code llm-run.json} this code writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  /** The description of a run that was never announced: its version and, once recorded, the after-load parts. */
  public static final RunDescription UNANNOUNCED = new RunDescription(SCHEMA_VERSION, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, AfterLoad.NONE);

  /** A description of a run on one injector without a common start and without an accuracy gate. */
  public RunDescription(Integer schemaVersion, String startedAt, String profile, String framework,
      String backend, String model, String targetUrl, String serverHardware, String serverVersion, String serverLog,
      LoadParameters load, Sizing promptSizing, List<PhaseSize> phases, List<String> notes,
      ValidityPolicy validity, AfterLoad afterLoad) {
    this(schemaVersion, startedAt, profile, framework, backend, model, targetUrl, serverHardware, serverVersion,
        serverLog, load, promptSizing, phases, notes, validity, null, null, afterLoad);
  }

  public RunDescription {
    phases = phases == null ? null : List.copyOf(phases);
    notes = notes == null ? null : List.copyOf(notes);
    afterLoad = afterLoad == null ? AfterLoad.NONE : afterLoad;
  }

  /**
   * The same description with the load and phases that ran, when they were decided while the run went
   * (a capacity search's steps) rather than planned at its start.
   */
  public RunDescription withRan(LoadParameters ranLoad, List<PhaseSize> ranPhases) {
    return new RunDescription(schemaVersion, startedAt, profile, framework, backend, model, targetUrl, serverHardware,
        serverVersion, serverLog, ranLoad, promptSizing, ranPhases, notes, validity, accuracy, injectors,
        afterLoad);
  }

  /** The same description with its after-load parts changed by {@code change}. */
  public RunDescription withAfterLoad(UnaryOperator<AfterLoad> change) {
    return new RunDescription(schemaVersion, startedAt, profile, framework, backend, model, targetUrl, serverHardware,
        serverVersion, serverLog, load, promptSizing, phases, notes, validity, accuracy, injectors,
        change.apply(afterLoad));
  }

  /** The same description with these injectors (null: a run on one injector). */
  public RunDescription withInjectors(Injectors newInjectors) {
    return new RunDescription(schemaVersion, startedAt, profile, framework, backend, model, targetUrl, serverHardware,
        serverVersion, serverLog, load, promptSizing, phases, notes, validity, accuracy, newInjectors, afterLoad);
  }

  /**
   * How the prompts were sized ({@code PromptSizer}), for the post-run check of planned input tokens
   * against the server's.
   *
   * @param method the method's wire name ({@code PromptTokens.Method})
   * @param detail the start line's words about it
   * @param templateOverheadTokens what {@code usage.prompt_tokens} adds to a prompt; null when the server gave no count
   */
  public record Sizing(String method, String detail, Integer templateOverheadTokens) {}

  /**
   * One phase of the run.
   *
   * @param name the phase's group name
   * @param requests its requests
   * @param workers its streams at once
   */
  public record PhaseSize(String name, int requests, int workers) {}

  /**
   * The validity thresholds the run was started with, in the format of
   * {@code report.input.ValidityJson#thresholds}: read when the verdict is judged, so that a bad one
   * makes the verdict unknown, not the run unreadable.
   *
   * @param strict whether a client-bound run fails ({@code -Dvalidity.strict})
   * @param thresholds the limits keyed by their property names
   */
  public record ValidityPolicy(Boolean strict, JsonNode thresholds) {}

  /**
   * What the run recorded when its load was over; each null until recorded.
   *
   * @param monitor the self-monitor's figures, in the versioned format of
   *     {@code report.input.ValidityJson#monitor}: read when the verdict is judged, so that bad figures
   *     make the verdict unknown, not the run unreadable
   * @param requests the measured requests planned, sent and not sent
   * @param breaker the circuit breaker's settings and whether it tripped
   * @param serverMemory the figures of the server's log ({@code -Dserver.log}); only when given
   * @param liveSaturation the over-saturation seen while the load ran, one per open-model phase
   *     ({@code llm.run.SaturationWatch}); only when a phase was watched
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AfterLoad(JsonNode monitor, Requests requests, Breaker breaker, ServerMemory serverMemory,
      List<LiveSaturation> liveSaturation) {
    public static final AfterLoad NONE = new AfterLoad(null, null, null, null, null);

    public AfterLoad {
      liveSaturation = liveSaturation == null ? null : List.copyOf(liveSaturation);
    }

    public AfterLoad withMonitor(JsonNode figures) {
      return new AfterLoad(figures, requests, breaker, serverMemory, liveSaturation);
    }

    public AfterLoad withRequests(Requests counts) {
      return new AfterLoad(monitor, counts, breaker, serverMemory, liveSaturation);
    }

    public AfterLoad withBreaker(Breaker state) {
      return new AfterLoad(monitor, requests, state, serverMemory, liveSaturation);
    }

    public AfterLoad withServerMemory(ServerMemory figures) {
      return new AfterLoad(monitor, requests, breaker, figures, liveSaturation);
    }

    public AfterLoad withLiveSaturation(List<LiveSaturation> phases) {
      return new AfterLoad(monitor, requests, breaker, serverMemory, phases);
    }
  }

  /**
   * Over-saturation of one open-model phase as the load generator saw it while the phase ran
   * ({@code llm.run.SaturationWatch}: the post-run rule on the points so far).
   *
   * @param phase the phase's name
   * @param saturated whether the server was seen falling behind its arrivals
   * @param sinceSec since when, seconds from the phase's first send; null when not saturated
   * @param seenSec when that was seen, seconds from the phase's first send; null when not saturated
   * @param stopped whether the step stopped there ({@code -Dstop.on.saturation=true})
   * @param notSent the phase's measured requests not sent because it stopped
   */
  public record LiveSaturation(String phase, boolean saturated, Double sinceSec, Double seenSec, boolean stopped,
      long notSent) {}

  /**
   * The measured requests of the run.
   *
   * @param planned planned; -1 when unknown
   * @param sent sent
   * @param notSent not sent (the circuit breaker stopped the run)
   */
  public record Requests(Long planned, Long sent, Long notSent) {}

  /**
   * The circuit breaker ({@code dev.llmbench.stream.CircuitBreaker}): its settings, and whether, when
   * and why it tripped.
   *
   * @param enabled whether it was on
   * @param consecutiveFailures connection failures in a row that trip it
   * @param errorRate the error rate over the window that trips it
   * @param windowRequests the window's requests
   * @param tripped whether it tripped
   * @param reason why it tripped; null when it did not
   * @param trippedAt when it tripped, ISO-8601 UTC; null when it did not
   */
  public record Breaker(Boolean enabled, Integer consecutiveFailures, Double errorRate, Integer windowRequests,
      Boolean tripped, String reason, String trippedAt) {}
}
