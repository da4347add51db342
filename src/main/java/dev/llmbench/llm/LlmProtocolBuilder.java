package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.listFeeder;

import dev.llmbench.config.Props;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.CapacityConfig;
import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.run.OfflineConfig;
import dev.llmbench.llm.stream.Keys;
import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.stream.PoolingApi;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.workload.PoolingRequest;
import dev.llmbench.workload.PoolingRequests;
import dev.llmbench.workload.Ticket;
import java.util.ArrayList;
import io.gatling.core.protocol.Protocol;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.ProtocolBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The LLM DSL of one run, from {@link LlmSimulation#llm()}: the protocol to give {@code setUp}, the
 * streaming action, the run's prompts as a Gatling feeder, and bench_serving's plans for the
 * {@link BenchServing} helpers. Everything reads the run's configuration ({@code -Dtarget.url},
 * {@code -Dbackend}, {@code -Dprofile}, ...: docs/properties.md).
 */
public final class LlmProtocolBuilder implements ProtocolBuilder {
  private final LlmRun run;
  private final LlmProtocol protocol;
  private List<Ticket> requests;

  LlmProtocolBuilder(LlmRun run) {
    this.run = run;
    this.protocol = new LlmProtocol(run);
  }

  /**
   * A set-up step of the run: a configuration problem is explained in one line ({@link
   * LlmSimulation#explained}), and a run that cannot start stops its server.
   */
  private <T> T step(Supplier<T> step) {
    try {
      return LlmSimulation.explained(step);
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  public LlmRun run() {
    return run;
  }

  public BenchConfig config() {
    return run.config();
  }

  /**
   * One streamed generation request, every token event timed (rows TTFT, ITL, TPOT, E2E), as the
   * configuration says: {@code -Dbackend}, {@code -Dmodel}, {@code -Drequest.timeout.sec},
   * {@code -Dhttp.keepalive}. The request comes from the session ({@link #prompts()}).
   */
  public StreamActionBuilder stream(String name) {
    BenchConfig c = run.config();
    return new StreamActionBuilder(name, run, c.backend(), c.model(), c.requestTimeout(), c.httpKeepAlive());
  }

  /**
   * The run's prompts (the profile's random prompts, sized in the model's tokens, {@code -Dprompt.file}, or a
   * conversation dataset's, {@code -Ddataset.path}), as a Gatling feeder: queue by default, {@code .circular()} or
   * {@code .random()} as any feeder. Each record is one request ({@link Keys#TICKET}).
   */
  public FeederBuilder<Object> prompts() {
    return listFeeder(requests().stream().map(t -> Map.<String, Object>of(Keys.TICKET, t)).toList());
  }

  /** The run's measured requests, in order: what {@link #prompts()} feeds. */
  public synchronized List<Ticket> requests() {
    if (requests == null) {
      Workloads.Plan plan = step(() -> Workloads.serving(run.config(), run.sizing().prompts()));
      requests = plan.phases().stream().filter(p -> !p.tickets().get(0).warmup()).findFirst().orElseThrow().tickets();
    }
    return requests;
  }

  /**
   * bench_serving's run of the configured profile or prompt file, announced: for each request rate,
   * warm-up requests then the measured ones ({@link BenchServing#steps}).
   */
  public Workloads.Plan serving() {
    Workloads.Plan plan = step(() -> Workloads.serving(run.config(), run.sizing().prompts()));
    BenchConfig c = run.config();
    String profile = c.promptFile() != null || c.dataset() != null || c.trace() != null
        ? plan.phases().get(plan.phases().size() - 1).name()
        : c.sharedPrefix() != null ? c.sharedPrefix().group() : c.profile();
    LlmSimulation.announce(run, profile, plan);
    return plan;
  }

  /**
   * Multi-turn sessions ({@code -Dsession.*}), announced: {@link Sessions#conversation} is one virtual user's
   * conversation, each turn the whole history resent with its {@code X-Session-ID} header, reported per turn.
   */
  public Sessions sessions() {
    BenchConfig c = run.config();
    step(() -> {
      c.sharding().requireSingle("multi-turn sessions");
      return null;
    });
    Sessions sessions = new Sessions(c.sessions(), step(() -> run.sizing().prompts()), c.seed());
    Workloads.Plan plan = new Workloads.Plan(List.of(), List.of(), Workloads.own(c).load().withSessions(
        c.sessions().describe()));
    LlmSimulation.announce(run, "multi-turn", plan, c.sessions().describe());
    return sessions;
  }

  /**
   * A capacity search of the configured profile, announced: steps one after another at the load the
   * search chooses, each its warm-up then {@code -Dnum.prompts} measured requests ({@link Capacity#search});
   * its result is printed and written into the result folder when the run ends.
   */
  public Capacity.Search capacity(Props props) {
    step(() -> {
      run.config().sharding().requireSingle("a capacity search");
      return null;
    });
    CapacityConfig capacity = step(() -> CapacityConfig.from(props, run.config()));
    Capacity.Search search = step(() -> new Capacity.Search(run, capacity, run.sizing().prompts()));
    BenchConfig c = run.config();
    Integer limit = capacity.mode() == dev.llmbench.capacity.CapacitySearch.Mode.RATE ? c.maxConcurrency() : null;
    Workloads.Plan plan = new Workloads.Plan(List.of(), List.of(), Workloads.recorded(c,
        Workloads.resolved(c, search.numPrompts(), limit, search.first()), search.first().dataset()));
    LlmSimulation.announce(run, c.promptFile() != null || c.dataset() != null ? search.group() : c.profile(), plan,
        "capacity search "
        + capacity.describe() + ", " + search.numPrompts() + " requests a step");
    search.attach();
    run.check(search.report());
    return search;
  }

  /**
   * One request answered with one body (SGLang's {@code /v1/score} by default: {@link
   * PoolingActionBuilder#api}), sent with the run's model, timeout and keep-alive; the request comes
   * from the session ({@link #poolingFeeder}).
   */
  public PoolingActionBuilder pooling(String name) {
    BenchConfig c = run.config();
    return new PoolingActionBuilder(name, run, PoolingApi.SGLANG_SCORE, c.model(), c.requestTimeout(),
        c.httpKeepAlive(), false);
  }

  /** Pooling requests as a Gatling feeder (queue by default), each record one request ({@link Keys#POOLING}). */
  public FeederBuilder<Object> poolingFeeder(List<PoolingRequest> requests) {
    return listFeeder(requests.stream().map(r -> Map.<String, Object>of(Keys.POOLING, r)).toList());
  }

  /**
   * Pooling requests of random text in the model's tokens as the run sized its prompts ({@link
   * PoolingRequests#generate}), for {@code api} (an embedding request's planned tokens are its items'
   * alone), seeded by {@code -Dseed} and {@code salt}.
   */
  public List<PoolingRequest> poolingRequests(PoolingApi api, String group, int count, boolean warmup, int batchSize,
      int queryTokens, int itemTokens, List<Integer> labelTokenIds, long salt) {
    // The pooling APIs take no chat template: the sizing compares the server's count with no overhead.
    PromptTokens prompts = step(() -> run.poolingSizing().prompts());
    return PoolingRequests.generate(group, count, warmup, batchSize, queryTokens, itemTokens, labelTokenIds,
        api.queryPerItem(), prompts, run.config().seed() * 31 + salt);
  }

  /**
   * The scoring runbook's sweep, announced: per cell (batch size × label count) its warm-up and
   * measured runs ({@link Scoring#sweep}).
   */
  public Scoring.Plan scoring(ScoreConfig score) {
    List<Scoring.Cell> cells = new ArrayList<>();
    long salt = 0;
    for (int batch : score.batchSizes()) {
      for (int labels : score.numLabels()) {
        String name = ScoreConfig.cell(batch, labels);
        List<Integer> ids = score.labelTokenIds().subList(0, Math.max(labels, 1));
        cells.add(new Scoring.Cell(name, batch, labels,
            poolingRequests(score.api(), name, score.warmupRuns(), true, batch, score.queryTokens(), score.itemTokens(),
                ids, ++salt),
            poolingRequests(score.api(), name, score.numRuns(), false, batch, score.queryTokens(), score.itemTokens(),
                ids, ++salt)));
      }
    }
    LlmSimulation.announce(run, score.runProfile(), Workloads.pooling(run.config(), score.describe(),
        score.maxConcurrency(), score.warmupRuns()));
    run.check(Scoring.everyCellAnswered(score));
    return new Scoring.Plan(score, cells);
  }

  /**
   * An offline batch sweep (SGLang's {@code bench_one_batch} over HTTP), announced: per input length and batch
   * size that fits the server's context ({@code -Dmax.model.len}, else what the server lists), its warm-up
   * batches then its measured ones, each batch released at once ({@link Workloads#offline}).
   */
  public Workloads.Plan offline(Props props) {
    BenchConfig c = run.config();
    OfflineConfig offline = step(() -> OfflineConfig.from(props, c));
    Workloads.Plan plan = step(() -> Workloads.offline(c, offline,
        c.maxModelLen() != null ? c.maxModelLen() : run.target().maxModelLen(), run.sizing().prompts()));
    LlmSimulation.announce(run, "offline-" + offline.mode().wireName(), plan, offline.describe());
    return plan;
  }

  /**
   * bench_full.py's ISL/OSL matrix, announced: every configuration that fits the server's context
   * ({@code -Dmax.model.len}, else what the server lists), its warm-ups then its measured runs.
   */
  public Workloads.Plan matrix() {
    BenchConfig c = run.config();
    Workloads.Plan plan = step(() -> Workloads.matrix(c,
        c.maxModelLen() != null ? c.maxModelLen() : run.target().maxModelLen(), run.sizing().prompts()));
    LlmSimulation.announce(run, "matrix", plan);
    return plan;
  }
}
