package dev.llmbench.llm;

import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.PromptSizer;
import dev.llmbench.llm.run.Sharding;
import dev.llmbench.llm.run.Target;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.model.Accuracy;
import dev.llmbench.report.model.Injectors;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.report.model.RunDescription;
import java.time.Instant;
import java.util.List;

/** Builds the description of a run as it starts ({@code llm-run.json}, {@link RunDescription}). */
final class RunDescriptions {
  private RunDescriptions() {}

  /**
   * The run as announced: the plan's load (the profile's defaults resolved by {@link Workloads}), with
   * the target's part and how the prompts were sized; the after-load parts are recorded at its end.
   *
   * @param sizing how the prompts were sized; null when they were not
   * @param model the model served
   * @param accuracy the accuracy gate's result; null when the run has none
   */
  static RunDescription of(String profile, BenchConfig config, Target target, Workloads.Plan plan,
      PromptSizer.Sizing sizing, String model, Accuracy accuracy) {
    LoadParameters load = plan.load().withTarget(target.embedded(),
        target.embedded() ? target.emulator().config().describe() : null)
        // The objectives with the load: the post-run step judges goodput from the run folder alone.
        .withSlo(config.slo() == null ? null : config.slo().canonical())
        // The slice length too, so a report rebuilt from the folder cuts the same slices.
        .withSliceSec(config.sliceSec());
    // Only when given (serverHardware, serverVersion, serverLog): older runs compare as before. The log's figures are
    // read when the run ends (LlmSimulation.after()).
    return new RunDescription(RunDescription.SCHEMA_VERSION, Instant.now().toString(), profile, config.framework(),
        config.backend().wireName(), model, target.baseUrl(), config.serverHardware(),
        target.serverVersion(),
        config.serverLog() == null ? null : config.serverLog().toString(), sizing == null ? load : sizing.record(load),
        sizing == null ? null : sizing.record(),
        plan.phases().stream().map(p -> new RunDescription.PhaseSize(p.name(), p.tickets().size(), p.workers()))
            .toList(), List.copyOf(plan.notes()), RunDescriptionFile.policy(config.validityStrict(), config.validity()),
        accuracy, injectors(config.sharding()), RunDescription.AfterLoad.NONE);
  }

  /** A shard's record of its part ({@link Injectors}); null for one injector without a common start. */
  static Injectors injectors(Sharding s) {
    return s.recorded() ? new Injectors(s.index(), s.count(), s.startAtEpochMs(), null) : null;
  }
}
