package dev.llmbench.llm;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.run.RunCheck;
import dev.llmbench.llm.run.StressConfig;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.PoolingApi;
import dev.llmbench.telemetry.MetricsScraper;
import dev.llmbench.stress.StressCheck;
import dev.llmbench.stress.StressChecks;
import dev.llmbench.stress.StressReport;
import dev.llmbench.workload.PoolingRequest;
import dev.llmbench.workload.PoolingRequests;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.PopulationBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scoring runbook's stress scenarios ({@code bench_score_stress.py}) as Gatling populations, one
 * after another, and their pass/fail checks ({@link StressChecks}), judged once the result folder is
 * written ({@link RunCheck}): one line per check on the console and in {@value #CHECKS_FILE}, and a
 * non-zero exit when one fails.
 *
 * <ul>
 *   <li><b>large-batch</b>: per batch size (50, 100, 200 items) a warm-up, then its runs one at a
 *       time; groups {@code large-batch batch=<n>};
 *   <li><b>concurrent</b>: per level c (2, 4, 8, 16), c users at once send c copies of each of a few
 *       distinct scoring requests (their answers kept and compared), then the same with temperature-0
 *       completions on {@code /v1/completions}; groups {@code concurrent c=<c> score} and
 *       {@code concurrent c=<c> generate};
 *   <li><b>sustained</b>: {@code stress.sustained.concurrency} users send scoring requests for
 *       {@code stress.duration}; group {@code sustained}; the server's {@code /metrics} is read every
 *       {@code stress.scrape.sec} into the run folder's {@value #METRICS_FILE}.
 * </ul>
 */
public final class Stress {
  /** The scraped {@code /metrics} pages, in the run folder: the run's own ({@link LlmRun#SERVER_METRICS_FILE}). */
  public static final String METRICS_FILE = LlmRun.SERVER_METRICS_FILE;
  /** The checks, one line each and the verdict, in the result folder. */
  public static final String CHECKS_FILE = "stress-checks.txt";
  /** The same as JSON, for a CI step. */
  public static final String CHECKS_JSON = "stress-checks.json";

  private Stress() {}

  /** The configured scenarios, one after another, their checks added to the run. */
  public static PopulationBuilder scenarios(LlmProtocolBuilder llm, StressConfig stress) {
    LlmRun run = llm.run();
    PoolingActionBuilder score = llm.pooling("score").api(stress.api()).timeout(stress.timeout()).keepAnswers();
    List<PopulationBuilder> populations = new ArrayList<>();
    long salt = 1_000;
    if (stress.runs("large-batch")) {
      for (int batch : stress.batchSizes()) {
        String group = "large-batch batch=" + batch;
        populations.add(phase(group + " warm-up", requests(llm, stress, group, 1, true, batch, ++salt), 1, score));
        populations.add(phase(group, requests(llm, stress, group, stress.runs(), false, batch, ++salt), 1, score));
      }
    }
    if (stress.runs("concurrent")) {
      PoolingActionBuilder generate = llm.pooling("generate").api(PoolingApi.COMPLETION).timeout(stress.timeout())
          .keepAnswers();
      for (int c : stress.concurrency()) {
        if (stress.concurrentApis().contains("score")) {
          String scored = "concurrent c=" + c + " score";
          populations.add(phase(scored, sameAtOnce(requests(llm, stress, scored, stress.distinct(), false,
              stress.sustainedBatch(), ++salt), c), c, score));
        }
        if (stress.concurrentApis().contains("generate")) {
          String generated = "concurrent c=" + c + " generate";
          populations.add(phase(generated, sameAtOnce(completions(llm, stress, generated, ++salt), c), c, generate));
        }
      }
    }
    if (stress.runs("sustained")) {
      List<PoolingRequest> pool = requests(llm, stress, "sustained", 64, false, stress.sustainedBatch(), ++salt);
      populations.add(scenario("sustained")
          .asLongAsDuring(s -> !run.monitor().breaker().open(), stress.duration()).on(
              feed(llm.poolingFeeder(pool).circular())
                  .group("sustained").on(exec(score)))
          .injectOpen(atOnceUsers(stress.sustainedConcurrency())));
    }
    scrape(run, stress);
    run.check((runFolder, resultFolder, rows) -> judge(stress, runFolder, resultFolder, rows));
    LlmSimulation.announce(run, stress.runProfile(), Workloads.pooling(run.config(), stress.describe(),
        stress.sustainedConcurrency(), 1));
    PopulationBuilder chain = null;
    for (int i = populations.size() - 1; i >= 0; i--) {
      chain = chain == null ? populations.get(i) : populations.get(i).andThen(chain);
    }
    return chain;
  }

  /**
   * The server's {@code /metrics}, read while the whole run goes, into the run folder: every run scrapes it
   * already ({@link LlmRun#watchServer()}, every {@code metrics.interval.ms}); only with
   * {@code -Dmetrics.url=off} does the sustained scenario scrape it itself, every {@code stress.scrape.sec}.
   */
  private static void scrape(LlmRun run, StressConfig stress) {
    if (!run.config().telemetry().metricsOff()) {
      return;
    }
    String key = run.target().apiKey();
    Map<String, String> headers = key == null ? Map.of() : Map.of("Authorization", "Bearer " + key);
    // The file is moved into the run folder when the run ends, the scraper stopped first.
    run.files().attach(METRICS_FILE,
        file -> MetricsScraper.start(URI.create(run.target().baseUrl()), file, stress.scrapeEvery(), headers));
  }

  /** Every configured scenario's checks over the run's requests and scrapes, written and summed up. */
  static RunCheck.Result judge(StressConfig stress, Path runFolder, Path resultFolder, List<RequestResult> rows)
      throws IOException {
    Path metrics = runFolder.resolve(METRICS_FILE);
    List<MetricsScraper.Scrape> scrapes = Files.exists(metrics) ? MetricsScraper.read(metrics) : List.of();
    List<StressCheck> checks = new ArrayList<>();
    // Each scenario's checks over its own groups' rows (the checks group them, the scenario picks them).
    if (stress.runs("large-batch")) {
      checks.addAll(StressChecks.largeBatch(of(rows, "large-batch"), stress.thresholds()));
    }
    if (stress.runs("concurrent")) {
      checks.addAll(StressChecks.concurrent(of(rows, "concurrent"), stress.thresholds()));
    }
    if (stress.runs("sustained")) {
      checks.addAll(StressChecks.sustained(of(rows, "sustained"), scrapes, stress.thresholds()));
    }
    StressReport.write(resultFolder.resolve(CHECKS_FILE), checks);
    StressReport.writeJson(resultFolder.resolve(CHECKS_JSON), checks);
    List<String> lines = new ArrayList<>(StressReport.lines(checks));
    return new RunCheck.Result(lines, StressReport.failed(checks), StressReport.verdictLine(checks));
  }

  private static List<RequestResult> of(List<RequestResult> rows, String scenario) {
    return rows.stream().filter(r -> r.group().startsWith(scenario)).toList();
  }

  private static PopulationBuilder phase(String name, List<PoolingRequest> requests, int workers,
      PoolingActionBuilder action) {
    return new PoolingPhase(name, requests, workers).population(action);
  }

  private static List<PoolingRequest> requests(LlmProtocolBuilder llm, StressConfig stress, String group, int count,
      boolean warmup, int batch, long salt) {
    return llm.poolingRequests(stress.api(), group, count, warmup, batch, stress.score().queryTokens(), stress.score().itemTokens(),
        stress.labels(), salt);
  }

  /** Temperature-0 completions of a few distinct prompts, their answers compared. */
  private static List<PoolingRequest> completions(LlmProtocolBuilder llm, StressConfig stress, String group,
      long salt) {
    List<PoolingRequest> out = new ArrayList<>();
    for (PoolingRequest r : requests(llm, stress, group, stress.distinct(), false, 1, salt)) {
      Ticket t = r.ticket();
      // The prompt is the query; the answer its text, as long as stress.generate.tokens.
      out.add(new PoolingRequest(new Ticket(t.index(), t.prompt(), stress.score().queryTokens(),
          stress.generateTokens(), 0, false, group), List.of(t.prompt()), List.of()));
    }
    return out;
  }

  /** Each request {@code copies} times in a row: the phase's {@code copies} users send them at the same time. */
  private static List<PoolingRequest> sameAtOnce(List<PoolingRequest> distinct, int copies) {
    List<PoolingRequest> out = new ArrayList<>();
    for (PoolingRequest r : distinct) {
      out.addAll(PoolingRequests.copies(r, r.ticket().group(), copies, false));
    }
    return out;
  }
}
