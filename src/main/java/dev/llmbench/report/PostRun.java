package dev.llmbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.baseline.Baselines;
import dev.llmbench.report.baseline.CurrentRun;
import dev.llmbench.report.baseline.SummaryValidity;
import dev.llmbench.report.input.CapacityFile;
import dev.llmbench.report.input.RequestRecord;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.input.SimulationLogReader;
import dev.llmbench.report.input.TelemetryFiles;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.ClientSecond;
import dev.llmbench.report.model.CapacitySearchResult;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.PromptSizing;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.Injectors;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ServerHealth;
import dev.llmbench.report.model.ServerMemory;
import dev.llmbench.report.model.ServerTelemetry;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.render.CapacityFormats;
import dev.llmbench.report.render.ComparisonFormats;
import dev.llmbench.report.render.CurveFormats;
import dev.llmbench.report.render.MatrixFormats;
import dev.llmbench.report.render.OfflineFormats;
import dev.llmbench.report.render.PoolingFormats;
import dev.llmbench.report.render.PageSeries;
import dev.llmbench.report.render.ReportFormatFactory;
import dev.llmbench.report.render.ReportFormatType;
import dev.llmbench.report.render.ResultBlock;
import dev.llmbench.report.render.TelemetryFormats;
import dev.llmbench.report.stats.ClientTimeline;
import dev.llmbench.report.stats.PrefixCacheStats;
import dev.llmbench.report.stats.PoolingTable;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.report.stats.ValidityCheck;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a Gatling run folder of this project into a result folder
 * {@code reports/<framework>/<profile>-<timestamp>/}: {@code summary.json} (bench_serving's keys),
 * {@code summary.csv}, {@code requests.csv}, {@code metadata.json} (machine, commit, run parameters,
 * the Gatling report's path, and whether the result is partial), for a capacity search its
 * {@code capacity.json} and {@code capacity.csv}, and the result block. It then
 * rebuilds the index of all results, {@code reports/summary/index.csv} ({@link SummaryIndex}).
 *
 * <p>Runs by itself at the end of every LLM simulation, and standalone on any run folder through the
 * post-run command ({@code dev.llmbench.cli.PostRunCommand}, {@code mvn -q exec:java@post-run}). It
 * reads with {@code report.input}, summarises with {@code report.stats}, compares with
 * {@code report.baseline} and writes with {@code report.render}: the orchestrator on top of them.
 */
public final class PostRun {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Where a result went, what it says, what is wrong with it if anything, and what the baseline
   * comparison said (null when none was asked for).
   */
  public record Outcome(Path resultFolder, RunSummary summary, List<String> problems, BaselineCheck baseline,
      Analysis analysis) {
    public Outcome(Path resultFolder, RunSummary summary, List<String> problems) {
      this(resultFolder, summary, problems, null, null);
    }

    public boolean partial() {
      return !problems.isEmpty();
    }
  }

  /**
   * A run folder read and summarised, nothing written yet.
   *
   * @param runFolder the Gatling run folder
   * @param summary the run's metrics
   * @param requests the side file's rows, warm-ups included
   * @param machine what {@code metadata.json} will hold
   * @param problems why the result is partial, if it is
   * @param telemetry the server's telemetry the run recorded ({@code /metrics}, GPUs), or null when none
   * @param samples each group's TTFT, TPOT and ITL as its distributions sorted them, for the page's CDFs
   */
  public record Analysis(Path runFolder, RunSummary summary, List<RequestResult> requests, ObjectNode machine,
      List<String> problems, ServerTelemetry telemetry, Map<String, ServingMetrics.SortedSamples> samples) {

    /** The run as the baseline module needs it. */
    public CurrentRun current() {
      return new CurrentRun(summary, requests, Baselines.hardware(machine), commit(), runFolder, problems);
    }

    /** Why the run was client-bound, from its validity verdict as {@code summary.json} carries it; empty when valid. */
    public List<String> clientBoundReasons() throws IOException {
      return SummaryValidity.clientBoundReasons(summaryJson(summary));
    }

    /** The run as one part of a new baseline. */
    public Baselines.Run baselineRun() {
      return new Baselines.Run(summary.metadata(), summary.groups(), requests, Baselines.hardware(machine), commit());
    }

    private String commit() {
      JsonNode c = machine.get("gitCommit");
      return c == null || c.isNull() ? "unknown" : c.asText();
    }
  }

  private PostRun() {}

  /** Writes the result folder of a run, without a baseline comparison. */
  public static Outcome process(Path runFolder, Path reports, Path projectDir, Instant now) throws IOException {
    return process(runFolder, reports, projectDir, now, null);
  }

  /**
   * Writes the result folder of a run. With baseline options that ask for it, the run is compared with
   * its baseline first, so {@code comparison.json} and the page's comparison section go into the folder
   * in the same atomic step.
   */
  public static Outcome process(Path runFolder, Path reports, Path projectDir, Instant now, BaselineOptions options)
      throws IOException {
    Analysis a = analyse(runFolder, projectDir, now);
    RunSummary summary = a.summary();
    StringWriter summaryJson = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(summary, summaryJson);
    BaselineCheck check = null;
    if (options != null && options.compare()) {
      // The validity verdict travels in summary.json; reading it back from there keeps one source of truth.
      List<String> clientBound = SummaryValidity.clientBoundReasons(MAPPER.readTree(summaryJson.toString()));
      check = BaselineCheck.of(options.dir(), options.file(), a.current(), clientBound, options.thresholds());
    }
    BaselineCheck baseline = check;
    ServerTelemetry telemetry = a.telemetry();
    RunMetadata m = summary.metadata();
    Instant started = Instant.parse(m.startedAt());
    List<ClientSecond> timeline = ClientTimeline.of(a.requests());
    Path folder = ResultFolder.write(reports, m.framework(), m.profile(), started, dir -> {
      for (ReportFormatType type : ReportFormatType.values()) {
        try (Writer out = Files.newBufferedWriter(dir.resolve(type.fileName()), StandardCharsets.UTF_8)) {
          if (type == ReportFormatType.JSON) {
            // Again, now with the pooling table's statuses from the comparison (the same bytes without one).
            ReportFormatFactory.json(baseline).write(summary, out);
          } else if (type == ReportFormatType.HTML) {
            ReportFormatFactory.html(baseline, PageSeries.of(telemetry, timeline, a.samples())).write(summary, out);
          } else {
            ReportFormatFactory.create(type).write(summary, out);
          }
        }
      }
      if (MatrixFormats.applies(summary)) {
        try (Writer out = Files.newBufferedWriter(dir.resolve(MatrixFormats.FILE_NAME), StandardCharsets.UTF_8)) {
          MatrixFormats.csv(summary, out);
        }
      }
      if (OfflineFormats.applies(summary)) {
        try (Writer out = Files.newBufferedWriter(dir.resolve(OfflineFormats.FILE_NAME), StandardCharsets.UTF_8)) {
          OfflineFormats.csv(summary, out);
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve(OfflineFormats.CONFIG_FILE), StandardCharsets.UTF_8)) {
          OfflineFormats.config(summary, out);
        }
      }
      if (CurveFormats.applies(summary)) {
        CurveFormats.png(summary, dir.resolve(CurveFormats.FILE_NAME));
      }
      if (PoolingFormats.applies(summary)) {
        try (Writer out = Files.newBufferedWriter(dir.resolve(PoolingFormats.FILE_NAME), StandardCharsets.UTF_8)) {
          PoolingFormats.csv(summary, baseline, out);
        }
      }
      if (CapacityFormats.applies(summary)) {
        // Written again from what was read, so the result's copy is the version this code writes.
        CapacityFile.write(summary.capacity(), dir.resolve(CapacityFile.FILE_NAME));
        try (Writer out = Files.newBufferedWriter(dir.resolve(CapacityFormats.CSV_FILE), StandardCharsets.UTF_8)) {
          CapacityFormats.csv(summary.capacity(), out);
        }
      }
      if (baseline != null) {
        try (Writer out = Files.newBufferedWriter(dir.resolve(ComparisonFormats.FILE_NAME), StandardCharsets.UTF_8)) {
          ComparisonFormats.json(baseline, out);
        }
      }
      writeTimeSeries(dir, runFolder, telemetry, timeline);
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("metadata.json").toFile(), a.machine());
      Files.writeString(dir.resolve("gatling-report.txt"),
          runFolder.toAbsolutePath().resolve("index.html") + System.lineSeparator(), StandardCharsets.UTF_8);
    });
    SummaryIndex.rebuild(reports);
    return new Outcome(folder, summary, a.problems(), baseline, a);
  }

  /** A summary as {@code summary.json} holds it, parsed (for fields other modules add, such as the validity verdict). */
  public static JsonNode summaryJson(RunSummary summary) throws IOException {
    StringWriter json = new StringWriter();
    ReportFormatFactory.create(ReportFormatType.JSON).write(summary, json);
    return MAPPER.readTree(json.toString());
  }

  /** Reads a run folder and summarises it, writing nothing. */
  public static Analysis analyse(Path runFolder, Path projectDir, Instant now) throws IOException {
    Path requestsFile = runFolder.resolve(RequestLogWriter.FILE_NAME);
    if (!Files.isRegularFile(requestsFile)) {
      throw new IOException(runFolder + " has no " + RequestLogWriter.FILE_NAME
          + ": not a run of an llm-serving-bench simulation, or it stopped before writing one");
    }
    List<String> problems = new ArrayList<>();
    RequestLogReader.Result read = RequestLogReader.read(requestsFile);
    if (read.truncatedAtLine() > 0) {
      problems.add(RequestLogWriter.FILE_NAME + " is cut at line " + read.truncatedAtLine() + "; the results stop there");
    }
    RunDescription run = RunDescriptionFile.of(null);
    Path runFile = runFolder.resolve(RunDescriptionFile.FILE_NAME);
    if (Files.isRegularFile(runFile)) {
      run = RunDescriptionFile.read(runFile);
    } else {
      problems.add(RunDescriptionFile.FILE_NAME + " is missing: the run's parameters are unknown");
    }
    String gatlingVersion = run.injectors() != null && run.injectors().shards() != null
        ? checkShards(runFolder, run.injectors(), problems)
        : checkAgainstSimulationLog(runFolder.resolve("simulation.log"), read.requests(), problems);

    Instant started = run.startedAt() != null ? Instant.parse(run.startedAt()) : now;
    RunMetadata metadata = RunMetadata.of(runFolder.getFileName().toString(), started.toString(),
        known(run.profile()), known(run.framework()), known(run.backend()), known(run.model()),
        MachineMetadata.withoutCredentials(Objects.requireNonNullElse(run.targetUrl(), "")),
        Objects.requireNonNullElse(run.serverHardware(), ""),
        Objects.requireNonNullElse(run.serverVersion(), ""), parameters(run));
    ServingMetrics.Summarized summarized = ServingMetrics.summarizeWithSamples(metadata, read.requests());
    RunSummary summary = summarized.summary()
        .withValidity(validity(run, read.requests(), problems))
        .withServerMemory(serverMemory(run))
        .withAccuracy(run.accuracy());
    ServerTelemetry telemetry = telemetry(runFolder, read.requests(), problems);
    summary = summary.withPromptSizing(promptSizing(run, summary))
        .withCapacity(capacity(runFolder.resolve(CapacityFile.FILE_NAME), problems))
        .withServer(telemetry == null || telemetry.empty() ? null
            : ClientTimeline.peaks(telemetry, ClientTimeline.loadEndSec(read.requests())))
        .withPrefixCache(PrefixCacheStats.of(read.requests()));

    ObjectNode machine = MachineMetadata.of(run, now, projectDir);
    machine.put("gatlingVersion", gatlingVersion);
    machine.put("gatlingRunFolder", runFolder.toAbsolutePath().toString());
    machine.put("gatlingReport", runFolder.toAbsolutePath().resolve("index.html").toString());
    machine.put("partial", !problems.isEmpty());
    machine.set("problems", MAPPER.valueToTree(problems));
    return new Analysis(runFolder, summary, read.requests(), machine, List.copyOf(problems), telemetry,
        summarized.samples());
  }

  /**
   * The capacity search the run made ({@code capacity.json}, which {@code CapacitySimulation} leaves in
   * the run folder); null when it made none. A file that cannot be read is a problem of the result, which
   * is then written without the search.
   */
  static CapacitySearchResult capacity(Path file, List<String> problems) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return CapacityFile.read(file);
    } catch (IOException e) {
      problems.add(CapacityFile.FILE_NAME + " cannot be read (" + e.getMessage() + "); the result has no capacity "
          + "search");
      return null;
    }
  }

  /**
   * What the run recorded of the server ({@code server-metrics.jsonl}, {@code gpu.jsonl}) on the axis of its
   * requests; null when it recorded none. Files that cannot be read are a problem of the result, which is
   * then written without them.
   */
  static ServerTelemetry telemetry(Path runFolder, List<RequestResult> rows, List<String> problems) {
    try {
      return TelemetryFiles.read(runFolder, ClientTimeline.originNanos(rows), ClientTimeline.originEpochMicros(rows));
    } catch (IOException | RuntimeException e) {
      problems.add("the server's telemetry cannot be read (" + e.getMessage() + "); the result has none");
      return null;
    }
  }

  /**
   * The run's time series, on one axis ({@link TelemetryFormats}): {@code timeline.csv} from the requests;
   * {@code server-metrics.csv} (and the raw pages, {@code server-metrics.jsonl}) when the server's
   * {@code /metrics} answered; {@code gpu.csv} when GPUs were sampled.
   */
  private static void writeTimeSeries(Path dir, Path runFolder, ServerTelemetry telemetry, List<ClientSecond> timeline)
      throws IOException {
    if (!timeline.isEmpty()) {
      try (Writer out = Files.newBufferedWriter(dir.resolve(TelemetryFormats.TIMELINE_FILE), StandardCharsets.UTF_8)) {
        TelemetryFormats.timelineCsv(timeline, out);
      }
    }
    if (telemetry == null) {
      return;
    }
    if (!telemetry.points().isEmpty()) {
      try (Writer out = Files.newBufferedWriter(dir.resolve(TelemetryFormats.SERVER_FILE), StandardCharsets.UTF_8)) {
        TelemetryFormats.serverCsv(telemetry, out);
      }
      Files.copy(runFolder.resolve(TelemetryFiles.SERVER_METRICS), dir.resolve(TelemetryFiles.SERVER_METRICS));
    }
    if (!telemetry.gpus().isEmpty()) {
      try (Writer out = Files.newBufferedWriter(dir.resolve(TelemetryFormats.GPU_FILE), StandardCharsets.UTF_8)) {
        TelemetryFormats.gpuCsv(telemetry, out);
      }
    }
  }

  /**
   * The memory figures of the server's log the run was given ({@code -Dserver.log}), as the run read
   * them when it ended ({@code serverMemory} in {@code llm-run.json}); null when it was given none.
   * A log that could not be read leaves the memory columns unknown, with the reason beside them; the
   * result is not partial for it, as no measured figure is missing.
   */
  static ServerMemory serverMemory(RunDescription run) {
    return run.afterLoad().serverMemory();
  }

  /**
   * The check of planned input tokens against the server's, from the sizing the run recorded
   * ({@code promptSizing} in {@code llm-run.json}); null for a run from before it was recorded.
   */
  static PromptSizing promptSizing(RunDescription run, RunSummary summary) {
    RunDescription.Sizing s = run.promptSizing();
    return s == null ? null : PromptSizing.of(Objects.requireNonNullElse(s.method(), "unknown"),
        s.templateOverheadTokens(), summary.groups());
  }

  /**
   * The steps that {@code -Dstop.on.saturation} stopped, as the problem line says them: {@code
   * (stop.on.saturation: the server fell behind <phase> from <s> s)}; "" when none.
   */
  static String saturationStops(RunDescription.AfterLoad after) {
    if (after.liveSaturation() == null) {
      return "";
    }
    List<String> stopped = after.liveSaturation().stream().filter(RunDescription.LiveSaturation::stopped)
        .map(l -> String.format(Locale.ROOT, "the server fell behind %s from %.1f s", l.phase(),
            l.sinceSec() == null ? Double.NaN : l.sinceSec()))
        .toList();
    return stopped.isEmpty() ? "" : " (stop.on.saturation: " + String.join(", ", stopped) + ")";
  }

  /**
   * The run's validity verdict, judged from the self-monitor's figures and the thresholds the run was
   * started with (both in {@code llm-run.json}), and from the server's health (the circuit breaker's
   * record there, and the requests that failed before any response byte); null when the run has no figures (a run folder from
   * before the self-monitor, or a run that stopped before its load started). Figures that cannot be
   * read are a problem of the result, and the verdict is then unknown.
   */
  static Validity validity(RunDescription run, List<RequestResult> requests, List<String> problems) {
    ServerHealth server = null;
    try {
      List<RequestResult> measured = requests.stream().filter(r -> !r.warmup()).toList();
      long fast = measured.stream()
          .filter(r -> RequestResult.isConnectionFailure(r.ok(), r.httpStatus(), r.error())).count();
      server = ValidityJson.server(run.afterLoad(), measured.size(), fast);
    } catch (IllegalArgumentException e) {
      problems.add("llm-run.json: " + e.getMessage() + "; the requests not sent are unknown");
    }
    if (server != null && server.stoppedEarly()) {
      problems.add("the run stopped sending" + (server.tripped() ? " (circuit breaker: " + server.breakerReason() + ")"
          : "") + saturationStops(run.afterLoad()) + "; " + server.notSentPhrase());
    }
    JsonNode monitor = run.afterLoad().monitor();
    if (monitor == null || monitor.isNull()) {
      return null;
    }
    try {
      RunDescription.ValidityPolicy policy = run.validity();
      ValidityThresholds thresholds = ValidityJson.thresholds(policy == null ? null : policy.thresholds());
      boolean strict = policy != null && Boolean.TRUE.equals(policy.strict());
      return ValidityCheck.judge(ValidityJson.monitor(monitor), thresholds, strict, server);
    } catch (IllegalArgumentException e) {
      problems.add("llm-run.json: " + e.getMessage() + "; the validity verdict is unknown");
      return null;
    }
  }

  /**
   * The side file and simulation.log are written by different code: their counts must agree, row kind
   * by row kind ({@link SimulationLogCheck}). A cut log, or a count that differs, marks the result partial.
   */
  /** The run's parameters as a result keeps them: its load's, and its injectors' when it had several or a common start. */
  static java.util.SortedMap<String, String> parameters(RunDescription run) {
    java.util.SortedMap<String, String> p = run.load().asMap();
    if (run.injectors() != null) {
      p.putAll(run.injectors().asParameters());
    }
    return p;
  }

  /**
   * A merged run ({@code ShardMerge}) keeps each shard's {@code simulation.log} and side file in
   * {@code shard-<i>/}: each log is cross-checked with its own shard's requests, as a single run's is.
   *
   * @return the Gatling version of shard 0's log
   */
  private static String checkShards(Path runFolder, Injectors injectors, List<String> problems) throws IOException {
    String version = null;
    for (Injectors.Shard shard : injectors.shards()) {
      Path folder = runFolder.resolve(ShardMerge.shardFolder(shard.index()));
      Path requests = folder.resolve(RequestLogWriter.FILE_NAME);
      List<String> found = new ArrayList<>();
      String v = !Files.isRegularFile(requests) ? null
          : checkAgainstSimulationLog(folder.resolve("simulation.log"), RequestLogReader.read(requests).requests(), found);
      if (!Files.isRegularFile(requests)) {
        found.add(requests + " is missing: the shard's requests could not be cross-checked");
      }
      found.forEach(p -> problems.add("shard " + shard.index() + ": " + p));
      version = version == null ? v : version;
    }
    return version;
  }

  private static String checkAgainstSimulationLog(Path log, List<RequestResult> requests, List<String> problems) {
    if (!Files.isRegularFile(log)) {
      problems.add("simulation.log is missing: the requests could not be cross-checked");
      return null;
    }
    SimulationLogCheck rows = new SimulationLogCheck();
    try {
      SimulationLogReader.Result r = SimulationLogReader.read(log, new SimulationLogReader.Visitor() {
        @Override
        public void onRequest(RequestRecord request) {
          rows.row(request.name());
        }
      });
      if (r.partial()) {
        problems.add("simulation.log stops early: " + r.stopReason());
      } else {
        problems.addAll(rows.mismatches(requests));
      }
      return r.header() == null ? null : r.header().gatlingVersion();
    } catch (IOException | RuntimeException e) {
      problems.add("simulation.log cannot be read: " + e.getMessage());
      return null;
    }
  }

  /** The result block of the benchmark-runner procedure, one per group. */
  public static String resultBlock(Outcome o) {
    StringBuilder sb = new StringBuilder();
    RunMetadata m = o.summary().metadata();
    boolean pooling = PoolingFormats.applies(o.summary());
    for (GroupMetrics g : o.summary().groups()) {
      // A pooling group's figures are a row of the runbook's table below (its block is on the page).
      if (!(pooling && PoolingTable.of(o.summary()).stream().anyMatch(r -> r.group().equals(g.group())))) {
        ResultBlock.lines(m, g).forEach(line -> sb.append(line).append(System.lineSeparator()));
        String steady = ResultBlock.steadyState(g, o.summary().timeline(g.group()));
        if (steady != null) {
          sb.append(steady).append(System.lineSeparator());
        }
        String saturation = ResultBlock.saturation(o.summary().timeline(g.group()));
        if (saturation != null) {
          sb.append(saturation).append(System.lineSeparator());
        }
      }
    }
    if (pooling) {
      PoolingFormats.console(o.summary(), o.baseline()).forEach(line -> sb.append(line).append(System.lineSeparator()));
    }
    if (MatrixFormats.applies(o.summary())) {
      MatrixFormats.console(o.summary()).forEach(line -> sb.append(line).append(System.lineSeparator()));
    }
    if (OfflineFormats.applies(o.summary())) {
      OfflineFormats.console(o.summary()).forEach(line -> sb.append(line).append(System.lineSeparator()));
    }
    if (CapacityFormats.applies(o.summary())) {
      sb.append(CapacityFormats.console(o.summary().capacity())).append(System.lineSeparator());
    }
    ResultBlock.validity(o.summary().validity()).forEach(line -> sb.append(line).append(System.lineSeparator()));
    String prefixCache = ResultBlock.prefixCache(o.summary());
    if (prefixCache != null) {
      sb.append(prefixCache).append(System.lineSeparator());
    }
    if (o.summary().promptSizing() != null) {
      sb.append(o.summary().promptSizing().line()).append(System.lineSeparator());
    }
    if (o.summary().accuracy() != null) {
      sb.append(o.summary().accuracy().line()).append(System.lineSeparator());
    }
    if (o.summary().resends() > 0) {
      sb.append("Re-sent on a new connection: ").append(o.summary().resends())
          .append(" request(s) whose reused connection the server closed before any byte of the answer")
          .append(System.lineSeparator());
    }
    sb.append("Results in ").append(o.resultFolder()).append(System.lineSeparator());
    if (o.partial()) {
      sb.append("PARTIAL RESULT: ").append(String.join("; ", o.problems())).append(System.lineSeparator());
    }
    if (o.baseline() != null) {
      ComparisonFormats.console(o.baseline()).forEach(line -> sb.append(line).append(System.lineSeparator()));
    }
    return sb.toString();
  }

  /**
   * The result block of a quiet run ({@code -Dquiet=true}, the scoring runbook's {@code --quiet}): the
   * final table (the runbook's for a pooling run, else each group's block), then only what needs
   * attention: a verdict other than valid, a partial result, the baseline's verdict.
   */
  public static String quietBlock(Outcome o) {
    List<String> lines = new ArrayList<>();
    RunMetadata m = o.summary().metadata();
    if (PoolingFormats.applies(o.summary())) {
      lines.addAll(PoolingFormats.console(o.summary(), o.baseline()));
    } else {
      o.summary().groups().forEach(g -> lines.addAll(ResultBlock.lines(m, g)));
    }
    if (CapacityFormats.applies(o.summary())) {
      lines.add(CapacityFormats.console(o.summary().capacity()));
    }
    Validity v = o.summary().validity();
    if (v != null && (v.clientBound() || v.serverFailing())) {
      lines.addAll(ResultBlock.validity(v));
    }
    if (o.partial()) {
      lines.add("PARTIAL RESULT: " + String.join("; ", o.problems()));
    }
    if (o.baseline() != null) {
      lines.add(o.baseline().message());
    }
    StringBuilder sb = new StringBuilder();
    lines.forEach(line -> sb.append(line).append(System.lineSeparator()));
    return sb.toString();
  }

  /** A recorded name, or {@code unknown} when the run did not record it. */
  private static String known(String recorded) {
    return recorded == null ? "unknown" : recorded;
  }
}
