package dev.llmbench.report.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.llmbench.io.Numbers;
import dev.llmbench.metrics.Slo;
import dev.llmbench.report.baseline.BaselineCheck;
import dev.llmbench.report.input.ValidityJson;
import dev.llmbench.report.model.Distribution;
import dev.llmbench.report.model.ErrorCount;
import dev.llmbench.report.model.GroupMetrics;
import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.MatrixRow;
import dev.llmbench.report.model.Accuracy;
import dev.llmbench.report.model.PromptSizing;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.report.model.ServerMemory;
import dev.llmbench.report.model.PrefixCacheView;
import dev.llmbench.report.model.ServerPeaks;
import dev.llmbench.report.model.SteadyState;
import dev.llmbench.report.model.TimeSlice;
import dev.llmbench.report.model.Validity;
import dev.llmbench.report.stats.MatrixTable;
import dev.llmbench.report.stats.ServingMetrics;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: the run's metrics, one object per group with SGLang {@code bench_serving.py}'s
 * key names, so tools that read its {@code --output-file} lines read a group object:
 *
 * <pre>
 * {
 *   "schemaVersion" : 1,
 *   "metadata" : { "runId", "startedAt", "profile", "framework", "backend", "model", "targetUrl", "serverHardware",
 *                  "serverVersion" (what the server reported at the start, "" when nothing),
 *                  "parameters" : { name: value, ... sorted by name } },
 *   "validity" : {                       absent when unknown (a run folder without self-monitor figures)
 *     "verdict" : "valid" | "client-bound" | "server-failing",
 *     "reasons" : [ one line per crossed threshold, with the figure and the limit; or why the server failed ],
 *     "strict" : whether validity.strict was set,
 *     "thresholds" : { "validity.loop.lag.ms", "validity.read.lag.ms", "validity.send.lag.ms", "validity.gc.pause.ms",
 *                      "validity.cpu.share" },
 *     "monitor" : { the self-monitor's figures, see dev.llmbench.report.input.ValidityJson },
 *     "requests" : { "planned", "sent", "notSent", "measured", "connectionFailures", "breakerTripped",
 *                    "trippedAt" }   absent for runs from before the circuit breaker; planned -1 when unknown
 *   },
 *   "slo" : { "ttft_ms", "tpot_ms", "e2el_ms" },   only when the run had service-level objectives (-Dslo, vLLM's
 *            --goodput); an objective not given is absent
 *   "resends" : requests sent again on a new connection because the reused one they were written to closed
 *               before any byte of the answer (warm-ups included; their times start at the new send),
 *   "groups" : [ {
 *     "group" : name, "backend" : the run's backend,
 *     "duration" (s), "completed", "failed",
 *     "total_input_tokens", "total_input" (the newer bench_serving name, same value),
 *     "total_input_tokens_planned", "total_output_tokens", "total_output" (newer name, same value),
 *     "request_throughput" (req/s), "input_throughput", "output_throughput", "total_throughput" (tok/s),
 *     "concurrency",
 *     for X in ttft, tpot, itl, e2e_latency, itl_per_token (ms):
 *       "mean_X_ms", "median_X_ms", "std_X_ms", "p90_X_ms", "p95_X_ms", "p99_X_ms", "max_X_ms",
 *     for X in client_queue_time, e2el_including_client_queue (ms, vLLM's names; each only when known, rule:
 *     report.stats.ServingMetrics — the queue time for a phase with a schedule or a concurrency limit, E2E
 *     including it only for a finite request rate):
 *       "mean_X_ms", "median_X_ms", "std_X_ms", "p90_X_ms", "p95_X_ms", "p99_X_ms", "max_X_ms",
 *     "count_itl", "count_itl_per_token",
 *     "mean_tokens_per_chunk", "median_tokens_per_chunk", "std_…", "p90_…", "p95_…", "p99_…", "max_tokens_per_chunk",
 *     "count_chunks", "count_requests_chunk_tokens_unknown" (completed requests left out of ITL per token and
 *     tokens per chunk: merged chunks whose token counts the API did not give),
 *     a pooling group also "total_items" and "items_per_second" (IPS),
 *     with objectives (see "slo"; absent for a pooling group without an e2el objective, the only one it can meet):
 *       "good_requests" (completed requests that met every objective), "request_goodput" (req/s, vLLM's key),
 *       "output_token_goodput" (output tokens of good requests per second), "slo_attainment" (good over
 *       measured requests, failed ones included, 0..1),
*     "errors" (count), "error_rate" (0..1), "errors_by_message" : [ { "message", "count" }, ... most frequent first ],
 *     "steady_state" : {                  the group's steady-state window (rule: report.stats.TimeSlices), beside
 *                                          the whole-run keys above; absent when none of its requests was sent
 *       "start_s", "end_s" (s from the group's first send), "plateau_in_flight", "requests" (sent within it),
 *       "completed", "request_throughput" (req/s), "output_throughput" (tok/s),
 *       for X in ttft, tpot, e2e_latency: "mean_X_ms", "median_X_ms", "p99_X_ms"
 *     },
 *     "saturation" : {                    only for an open-model group (a finite -Drequest.rate) of at least 10 sent
 *                                          requests: whether the server fell behind its arrivals (rule:
 *                                          report.stats.OverSaturation, after GuideLLM's over-saturation detector)
 *       "saturated" (true when in-flight requests and TTFT both rose to the group's end), "since_s" (when it
 *       started, s from the group's first send; null when not saturated), "window_s" (the sliding windows'
 *       width), "windows", "rising_windows" (windows at the end that rose, one after another),
 *       "fit_from_s", "fit_to_s" (the span the slopes were fitted on: since_s to the last send, or the last
 *       window when not saturated), for X in in_flight_slope_per_s (requests/s), ttft_slope_ms_per_s (ms/s):
 *       "X", "X_ci95_low", "X_ci95_high" (its 95 % confidence interval; null when not fitted), "X_points"
 *     },
 *     "time_slices" : [ {                 only with -Dslice.sec (AIPerf's --slice-duration); a request is in
 *                                          the slice of its send
 *       "index", "start_s", "end_s", "requests", "completed", "failed", "request_throughput" (req/s),
 *       "output_throughput" (tok/s), for X in ttft, tpot, itl, e2e_latency: "mean_X_ms", "median_X_ms",
 *       "p99_X_ms", "mean_in_flight"
 *     }, ... in time order ]
 *   }, ... in the order the run measured the groups ],
 *   "promptSizing" : {                   absent for a run that did not record how its prompts were sized
 *     "method" : "tokenizer-file" | "server-tokenize" | "default-vocabulary" | "word-tokenizer",
 *     "templateOverheadTokens" : what the server adds to each prompt, null when unknown,
 *     "requests", "inputTokensPlanned", "inputTokensServer" (usage.prompt_tokens less the overhead; null
 *     when unknown), "deviation" ((server - planned) / planned, null when unknown),
 *     "warning" : the WARN line when they differ by more than 5 %, else null
 *   },
 *   "accuracy" : {                       only for a run with the accuracy gate (-Daccuracy=gsm8k, docs/accuracy.md),
 *                                        asked before the load (report.model.Accuracy)
 *     "benchmark" ("gsm8k"), "questions", "shots", "maxTokens", "concurrency", "correct", "invalid" (replies
 *     without a number), "errors" (failed requests, counted as wrong), "accuracy" (correct / questions, 0..1),
 *     "ci95Low", "ci95High" (its 95 % Wilson interval), "threshold", "passed" (accuracy >= threshold; false
 *     fails the run once these results are written), "durationSec"
 *   },
 *   "server" : {                         only for a run that recorded the server's /metrics or GPUs (the series are
 *                                        server-metrics.csv and gpu.csv); each figure null when unknown
 *     "scrapes" (pages read), "requestsRunningPeak", "requestsWaitingPeak", "kvCacheUsagePeak" (0..1), during
 *     the load; "gpus" (sampled, 0 without nvidia-smi), "vramBeforeMiB" (last sample before the first send),
 *     "vramPeakMiB" (during the load), "vramAfterMiB" (first sample after the last answer), "vramTotalMiB",
 *     "gpuUtilizationPeakPct"; VRAM summed over the GPUs; "prefixCacheHitRate" (0..1, only when the server's
 *     /metrics has a prefix cache: vLLM's hit over queried tokens during the load, else SGLang's gauge's mean)
 *   },
 *   "prefixCache" : {                    only when the server reported cached prompt tokens per request (vLLM's
 *                                        usage.prompt_tokens_details.cached_tokens, SGLang's meta_info.cached_tokens)
 *     "requests", "hits" (at least one cached token), "misses", "cachedTokenShare" (cached over prompt tokens,
 *     0..1), "ttftMsMeanHits", "ttftMsMeanMisses", "ttftMsMedianHits", "ttftMsMedianMisses" (null for no request)
 *   },
 *   "serverMemory" : { "source", "modelGiB", "kvCacheGiB", "kvCacheTokens" },   only with -Dserver.log; a
 *                     figure the log does not give is null
 *   "matrix" : [ {                       only for a run of the ISL/OSL matrix: bench_full.py's table
 *     "group", "isl", "osl", "category", "label", "completed", "failed",
 *     "mean_ttft_ms", "mean_tpot_ms", "mean_decode_throughput" (tok/s), "mean_e2e_throughput" (tok/s),
 *     "mean_e2e_latency_ms", "mean_output_tokens"
 *   }, ... ]
 *   "offline" : [ {                      only for an offline sweep (OfflineSimulation): SGLang bench_one_batch's
 *                                        figures per batch size (report.stats.OfflineTable), in run order
 *     "group", "mode" (normal, long_context, dummy), "batch_size", "input_len", "output_len", "batches" (measured
 *     batches whose every request succeeded), "failed_batches", "prefill_latency_s" (release to the last first
 *     token), "median_decode_latency_s" (median step: the last request's token k minus its token k-1),
 *     "e2e_latency_s" (release to the last token), "prefill_throughput" (input_len * batch / prefill latency,
 *     tok/s), "median_decode_throughput" (batch / median decode latency, tok/s), "e2e_throughput"
 *     ((input_len + output_len) * batch / E2E latency, tok/s); medians over the batches, null when none gave it
 *   }, ... ]
 *   "poolingTable" : [ {                 only for a run of pooling requests (scoring, rerank, embeddings): the
 *                                        scoring runbook's table
 *     "group", "batch", "labels" (null when the group does not say), "completed", "failed", "items_per_second",
 *     "request_throughput", "mean_latency_ms", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms" (null
 *     without an answer), "status" (against the baseline: OK, WARN, REGRESSION, ..., or no baseline)
 *   }, ... ]
 *   "capacity" : {                       only for a run that made a capacity search (CapacitySimulation; its
 *                                        run folder's capacity.json, see report.input.CapacityFile)
 *     "search" : "rate" | "concurrency", "answer" (the highest load that met the objectives; null when none did),
 *     "failed_at" (the lowest that missed them; null when none did), "bracket_share" ((failed_at - answer) /
 *     answer), "stop" ("converged", "max_passed", "min_failed", "max_steps"; null when the run ended first),
 *     "passed_at_or_below", "failed_above" (steps backing the answer), "tolerance", "headline",
 *     "steps" : [ { "step", "rate" | "concurrency" (its load), "group", "passed", "planned", "completed",
 *       "failed", "error_rate" (0..1), "request_throughput" (req/s), "output_throughput" (tok/s),
 *       "percentile", "pN_X_ms" for each objective X in ttft, tpot, e2el (the percentile measured, null when
 *       unmeasured), "saturated" (null when not judged), "stopped_early" (null when not), "misses" : [ ... ]
 *     }, ... in the order they ran ]
 *   }
 * }
 * </pre>
 *
 * Groups without values for a statistic show 0, as bench_serving does. Numbers are written with
 * {@link Numbers#decimal} (Locale.ROOT, at most six decimals); line ends are {@code \n}.
 */
final class JsonSummaryFormat implements ReportFormat {
  /** The baseline check whose statuses the pooling table shows, or null. */
  private final BaselineCheck baseline;

  JsonSummaryFormat(BaselineCheck baseline) {
    this.baseline = baseline;
  }

  /** Shared with comparison.json, so both files look alike. */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();
  static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  @Override
  public void write(RunSummary s, Writer out) throws IOException {
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(PRINTER);
      gen.writeStartObject();
      gen.writeNumberField("schemaVersion", RunSummary.SCHEMA_VERSION);
      writeMetadata(gen, s.metadata());
      if (s.validity() != null) {
        writeValidity(gen, s.validity());
      }
      writeSlo(gen, ServingMetrics.slo(s.metadata()));
      gen.writeNumberField("resends", s.resends());
      gen.writeArrayFieldStart("groups");
      for (GroupMetrics g : s.groups()) {
        writeGroup(gen, g, s.metadata(), s.timeline(g.group()));
      }
      gen.writeEndArray();
      writeMatrix(gen, s);
      OfflineFormats.json(gen, s);
      PoolingFormats.json(gen, s, baseline);
      if (s.promptSizing() != null) {
        writePromptSizing(gen, s.promptSizing());
      }
      if (CapacityFormats.applies(s)) {
        CapacityFormats.json(gen, s.capacity());
      }
      if (s.server() != null) {
        writeServer(gen, s.server());
      }
      if (s.prefixCache() != null) {
        writePrefixCache(gen, s.prefixCache());
      }
      if (s.accuracy() != null) {
        writeAccuracy(gen, s.accuracy());
      }
      gen.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  /** The objectives the groups' goodput was judged against; nothing when the run had none. */
  private static void writeSlo(JsonGenerator gen, Slo slo) throws IOException {
    if (slo == null) {
      return;
    }
    gen.writeObjectFieldStart("slo");
    if (slo.ttftMs() != null) {
      decimal(gen, "ttft_ms", slo.ttftMs());
    }
    if (slo.tpotMs() != null) {
      decimal(gen, "tpot_ms", slo.tpotMs());
    }
    if (slo.e2elMs() != null) {
      decimal(gen, "e2el_ms", slo.e2elMs());
    }
    gen.writeEndObject();
  }

  private static void writeMetadata(JsonGenerator gen, RunMetadata m) throws IOException {
    gen.writeObjectFieldStart("metadata");
    gen.writeStringField("runId", m.runId());
    gen.writeStringField("startedAt", m.startedAt());
    gen.writeStringField("profile", m.profile());
    gen.writeStringField("framework", m.framework());
    gen.writeStringField("backend", m.backend());
    gen.writeStringField("model", m.model());
    gen.writeStringField("targetUrl", m.targetUrl());
    gen.writeStringField("serverHardware", m.serverHardware());
    gen.writeStringField("serverVersion", m.serverVersion());
    gen.writeObjectFieldStart("parameters");
    for (var e : m.parameters().entrySet()) {
      gen.writeStringField(e.getKey(), e.getValue());
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private static void writeAccuracy(JsonGenerator gen, Accuracy a) throws IOException {
    gen.writeObjectFieldStart("accuracy");
    gen.writeStringField("benchmark", a.benchmark());
    gen.writeNumberField("questions", a.questions());
    gen.writeNumberField("shots", a.shots());
    gen.writeNumberField("maxTokens", a.maxTokens());
    gen.writeNumberField("concurrency", a.concurrency());
    gen.writeNumberField("correct", a.correct());
    gen.writeNumberField("invalid", a.invalid());
    gen.writeNumberField("errors", a.errors());
    decimal(gen, "accuracy", a.accuracy());
    decimal(gen, "ci95Low", a.ciLow());
    decimal(gen, "ci95High", a.ciHigh());
    decimal(gen, "threshold", a.threshold());
    gen.writeBooleanField("passed", a.passed());
    decimal(gen, "durationSec", a.durationSec());
    gen.writeEndObject();
  }

  private static void writePromptSizing(JsonGenerator gen, PromptSizing p)
      throws IOException {
    gen.writeObjectFieldStart("promptSizing");
    gen.writeStringField("method", p.method());
    if (p.templateOverheadTokens() == null) {
      gen.writeNullField("templateOverheadTokens");
    } else {
      gen.writeNumberField("templateOverheadTokens", p.templateOverheadTokens());
    }
    gen.writeNumberField("requests", p.requests());
    gen.writeNumberField("inputTokensPlanned", p.plannedTokens());
    if (p.serverTokens() == null) {
      gen.writeNullField("inputTokensServer");
    } else {
      gen.writeNumberField("inputTokensServer", p.serverTokens());
    }
    // Null also when nothing was planned (every request failed): nothing to compare.
    if (p.deviation() == null) {
      gen.writeNullField("deviation");
    } else {
      gen.writeFieldName("deviation");
      gen.writeRawValue(Numbers.decimal(p.deviation()));
    }
    if (p.warn()) {
      gen.writeStringField("warning", p.line());
    } else {
      gen.writeNullField("warning");
    }
    gen.writeEndObject();
  }

  private static void writeValidity(JsonGenerator gen, Validity v) throws IOException {
    gen.writeObjectFieldStart("validity");
    gen.writeStringField("verdict", v.verdict().wireName());
    gen.writeArrayFieldStart("reasons");
    for (String reason : v.reasons()) {
      gen.writeString(reason);
    }
    gen.writeEndArray();
    gen.writeBooleanField("strict", v.strict());
    writeFlat(gen, "thresholds", ValidityJson.thresholds(v.thresholds()));
    writeFlat(gen, "monitor", ValidityJson.monitor(v.monitor()));
    if (v.server() != null) {
      writeFlat(gen, "requests", ValidityJson.requests(v.server()));
    }
    gen.writeEndObject();
  }

  /** An object of numbers (integers as they are, decimals with {@link Numbers#decimal}), booleans, strings and nulls. */
  private static void writeFlat(JsonGenerator gen, String name, Map<String, Object> fields) throws IOException {
    gen.writeObjectFieldStart(name);
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object value = e.getValue();
      if (value == null) {
        gen.writeNullField(e.getKey());
      } else if (value instanceof Double d) {
        decimal(gen, e.getKey(), d);
      } else if (value instanceof Number n) {
        gen.writeNumberField(e.getKey(), n.longValue());
      } else if (value instanceof Boolean b) {
        gen.writeBooleanField(e.getKey(), b);
      } else if (value instanceof String text) {
        gen.writeStringField(e.getKey(), text);
      } else {
        throw new IllegalStateException(name + "." + e.getKey() + " is neither a number nor null: " + value);
      }
    }
    gen.writeEndObject();
  }

  private static void writeGroup(JsonGenerator gen, GroupMetrics g, RunMetadata m, GroupTimeline t)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("group", g.group());
    gen.writeStringField("backend", m.backend());
    decimal(gen, "duration", g.durationSeconds());
    gen.writeNumberField("completed", g.completed());
    gen.writeNumberField("failed", g.failed());
    gen.writeNumberField("total_input_tokens", g.totalInputTokens());
    gen.writeNumberField("total_input", g.totalInputTokens());
    gen.writeNumberField("total_input_tokens_planned", g.totalInputTokensPlanned());
    gen.writeNumberField("total_output_tokens", g.totalOutputTokens());
    gen.writeNumberField("total_output", g.totalOutputTokens());
    decimal(gen, "request_throughput", g.requestThroughput());
    decimal(gen, "input_throughput", g.inputThroughput());
    decimal(gen, "output_throughput", g.outputThroughput());
    decimal(gen, "total_throughput", g.totalThroughput());
    decimal(gen, "concurrency", g.concurrency());
    for (Columns.Dist d : Columns.DISTRIBUTIONS) {
      for (Columns.Stat stat : Columns.STATS) {
        decimal(gen, stat.name() + "_" + d.jsonStem() + (d.millis() ? "_ms" : ""), stat.get().apply(d.get().apply(g)));
      }
    }
    for (Columns.Dist d : Columns.CLIENT_QUEUE) {
      Distribution q = d.get().apply(g);
      if (q != null) {
        for (Columns.Stat stat : Columns.STATS) {
          decimal(gen, stat.name() + "_" + d.jsonStem() + "_ms", stat.get().apply(q));
        }
      }
    }
    gen.writeNumberField("count_itl", g.itlMs().count());
    gen.writeNumberField("count_itl_per_token", g.itlPerTokenMs().count());
    gen.writeNumberField("count_chunks", g.tokensPerChunk().count());
    gen.writeNumberField("count_requests_chunk_tokens_unknown", g.chunkTokensUnknown());
    if (g.pooling()) {
      gen.writeNumberField("total_items", g.totalItems());
      decimal(gen, "items_per_second", g.itemThroughput());
    }
    if (g.hasGoodput()) {
      gen.writeNumberField("good_requests", g.goodput().goodRequests());
      decimal(gen, "request_goodput", g.goodput().requestGoodput());
      decimal(gen, "output_token_goodput", g.goodput().outputTokenGoodput());
      decimal(gen, "slo_attainment", g.goodput().sloAttainment());
    }
    gen.writeNumberField("errors", g.failed());
    decimal(gen, "error_rate", g.errorRate());
    gen.writeArrayFieldStart("errors_by_message");
    for (ErrorCount e : g.errors()) {
      gen.writeStartObject();
      gen.writeStringField("message", e.message());
      gen.writeNumberField("count", e.count());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    if (t != null) {
      writeTimeline(gen, t);
    }
    gen.writeEndObject();
  }

  /** A group's steady state and, when cut, its time slices. */
  private static void writeTimeline(JsonGenerator gen, GroupTimeline t) throws IOException {
    SteadyState s = t.steadyState();
    if (s != null) {
      gen.writeObjectFieldStart("steady_state");
      decimal(gen, "start_s", s.startSec());
      decimal(gen, "end_s", s.endSec());
      gen.writeNumberField("plateau_in_flight", s.plateauInFlight());
      gen.writeNumberField("requests", s.requests());
      gen.writeNumberField("completed", s.completed());
      decimal(gen, "request_throughput", s.requestThroughput());
      decimal(gen, "output_throughput", s.outputThroughput());
      centre(gen, "ttft", s.ttftMs());
      centre(gen, "tpot", s.tpotMs());
      centre(gen, "e2e_latency", s.e2eMs());
      gen.writeEndObject();
    }
    Saturation sat = t.saturation();
    if (sat != null) {
      gen.writeObjectFieldStart("saturation");
      gen.writeBooleanField("saturated", sat.saturated());
      writeNullable(gen, "since_s", sat.sinceSec());
      decimal(gen, "window_s", sat.windowSec());
      gen.writeNumberField("windows", sat.windows());
      gen.writeNumberField("rising_windows", sat.risingWindows());
      decimal(gen, "fit_from_s", sat.fromSec());
      decimal(gen, "fit_to_s", sat.toSec());
      slope(gen, "in_flight_slope_per_s", sat.inFlight());
      slope(gen, "ttft_slope_ms_per_s", sat.ttftMs());
      gen.writeEndObject();
    }
    if (t.slices().isEmpty()) {
      return;
    }
    gen.writeArrayFieldStart("time_slices");
    for (TimeSlice ts : t.slices()) {
      gen.writeStartObject();
      gen.writeNumberField("index", ts.index());
      decimal(gen, "start_s", ts.startSec());
      decimal(gen, "end_s", ts.endSec());
      gen.writeNumberField("requests", ts.requests());
      gen.writeNumberField("completed", ts.completed());
      gen.writeNumberField("failed", ts.failed());
      decimal(gen, "request_throughput", ts.requestThroughput());
      decimal(gen, "output_throughput", ts.outputThroughput());
      centre(gen, "ttft", ts.ttftMs());
      centre(gen, "tpot", ts.tpotMs());
      centre(gen, "itl", ts.itlMs());
      centre(gen, "e2e_latency", ts.e2eMs());
      decimal(gen, "mean_in_flight", ts.meanInFlight());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** {@code <name>}, {@code <name>_ci95_low}, {@code <name>_ci95_high}, {@code <name>_points}; null when not fitted. */
  private static void slope(JsonGenerator gen, String name, Saturation.Slope s) throws IOException {
    writeNullable(gen, name, finite(s.perSecond()));
    writeNullable(gen, name + "_ci95_low", finite(s.low()));
    writeNullable(gen, name + "_ci95_high", finite(s.high()));
    gen.writeNumberField(name + "_points", s.points());
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** {@code mean_X_ms}, {@code median_X_ms}, {@code p99_X_ms}: 0 when there is no value, as for a group. */
  private static void centre(JsonGenerator gen, String stem, Distribution d) throws IOException {
    decimal(gen, "mean_" + stem + "_ms", d.mean());
    decimal(gen, "median_" + stem + "_ms", d.median());
    decimal(gen, "p99_" + stem + "_ms", d.p99());
  }

  private static void decimal(JsonGenerator gen, String name, double value) throws IOException {
    gen.writeFieldName(name);
    gen.writeNumber(Numbers.decimal(value));
  }

  /** The server's telemetry in a few figures ({@code server}), only for runs that recorded it. */
  private static void writeServer(JsonGenerator gen, ServerPeaks p) throws IOException {
    gen.writeObjectFieldStart("server");
    gen.writeNumberField("scrapes", p.scrapes());
    writeNullable(gen, "requestsRunningPeak", p.requestsRunningPeak());
    writeNullable(gen, "requestsWaitingPeak", p.requestsWaitingPeak());
    writeNullable(gen, "kvCacheUsagePeak", p.kvCacheUsagePeak());
    gen.writeNumberField("gpus", p.gpus());
    writeNullable(gen, "vramBeforeMiB", p.vramBeforeMib());
    writeNullable(gen, "vramPeakMiB", p.vramPeakMib());
    writeNullable(gen, "vramAfterMiB", p.vramAfterMib());
    writeNullable(gen, "vramTotalMiB", p.vramTotalMib());
    writeNullable(gen, "gpuUtilizationPeakPct", p.gpuUtilizationPeakPct());
    if (p.prefixCacheHitRate() != null) {
      writeNullable(gen, "prefixCacheHitRate", p.prefixCacheHitRate());
    }
    gen.writeEndObject();
  }

  /** The client's view of the prefix cache ({@code prefixCache}), only when the server reported cached tokens. */
  private static void writePrefixCache(JsonGenerator gen, PrefixCacheView v) throws IOException {
    gen.writeObjectFieldStart("prefixCache");
    gen.writeNumberField("requests", v.requests());
    gen.writeNumberField("hits", v.hits());
    gen.writeNumberField("misses", v.misses());
    writeNullable(gen, "cachedTokenShare", v.cachedTokenShare());
    writeNullable(gen, "ttftMsMeanHits", v.ttftMsMeanHits());
    writeNullable(gen, "ttftMsMeanMisses", v.ttftMsMeanMisses());
    writeNullable(gen, "ttftMsMedianHits", v.ttftMsMedianHits());
    writeNullable(gen, "ttftMsMedianMisses", v.ttftMsMedianMisses());
    gen.writeEndObject();
  }

  /** The server's memory figures and bench_full.py's table, only for runs that have them. */
  private static void writeMatrix(JsonGenerator gen, RunSummary s) throws IOException {
    ServerMemory mem = s.serverMemory();
    if (mem != null) {
      gen.writeObjectFieldStart("serverMemory");
      gen.writeStringField("source", mem.source());
      writeNullable(gen, "modelGiB", mem.modelGiB());
      writeNullable(gen, "kvCacheGiB", mem.kvCacheGiB());
      if (mem.kvCacheTokens() == null) {
        gen.writeNullField("kvCacheTokens");
      } else {
        gen.writeNumberField("kvCacheTokens", mem.kvCacheTokens());
      }
      gen.writeEndObject();
    }
    List<MatrixRow> rows = MatrixTable.of(s);
    if (rows.isEmpty()) {
      return;
    }
    gen.writeArrayFieldStart("matrix");
    for (MatrixRow r : rows) {
      gen.writeStartObject();
      gen.writeStringField("group", r.group());
      gen.writeNumberField("isl", r.isl());
      gen.writeNumberField("osl", r.osl());
      gen.writeStringField("category", r.category());
      gen.writeStringField("label", r.label());
      gen.writeNumberField("completed", r.completed());
      gen.writeNumberField("failed", r.failed());
      writeNullable(gen, "mean_ttft_ms", r.ttftMs());
      writeNullable(gen, "mean_tpot_ms", r.tpotMs());
      writeNullable(gen, "mean_decode_throughput", r.decodeThroughput());
      writeNullable(gen, "mean_e2e_throughput", r.e2eThroughput());
      writeNullable(gen, "mean_e2e_latency_ms", r.e2eMs());
      writeNullable(gen, "mean_output_tokens", r.outputTokens());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** A number, or null when it is unknown (null or NaN: no request gave it). */
  /** A decimal, or null when unknown (NaN): shared by the files of this package that write summary.json. */
  static void writeNullable(JsonGenerator gen, String name, Double v) throws IOException {
    if (v == null || v.isNaN()) {
      gen.writeNullField(name);
    } else {
      gen.writeFieldName(name);
      gen.writeNumber(Numbers.decimal(v));
    }
  }
}
