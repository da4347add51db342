package dev.llmbench.llm;

import dev.llmbench.capacity.CapacitySearch;
import dev.llmbench.capacity.CapacitySearch.Mode;
import dev.llmbench.capacity.SearchResult;
import dev.llmbench.capacity.StepVerdict;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.CapacityConfig;
import dev.llmbench.llm.run.LlmRun;
import dev.llmbench.llm.run.RunCheck;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.workload.Arrivals;
import dev.llmbench.workload.Ticket;
import io.gatling.javaapi.core.PopulationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A capacity search as Gatling populations: up to {@code -Dsearch.max.steps} steps one after another,
 * each its warm-up requests then {@code -Dnum.prompts} measured ones of the serving profile, at the load
 * the search chose from the steps before ({@link CapacitySearch}: bracketing, then bisection). Each step
 * is its own Gatling group, {@code <profile>@rate=<r>} or {@code <profile>@concurrency=<c>}, so the
 * result shows every step as a rate sweep's groups, with its latency–throughput curve. The steps are
 * {@link Phase#deferred} phases: a step learns its load when it starts, once the one before has ended
 * and been judged ({@link StepVerdict}) from its rows, read as they are written. Steps past the
 * search's end send nothing.
 *
 * <p>A step is stopped early once its failed requests exceed {@code -Dsearch.max.error.rate} of it (it
 * has failed already), and a rate step once the load generator sees the server fall behind its arrivals
 * ({@code llm.run.SaturationWatch}; {@code CapacitySimulation} sets {@code -Dstop.on.saturation=true} by
 * default). Its random prompts are drawn anew for each step (seeded by the step), so a server's
 * prefix cache does not make later steps faster than earlier ones; a prompt file's prompts are its own.
 */
public final class Capacity {
  private Capacity() {}

  /** Every step of {@code search}, each phase starting once the one before is done. */
  public static PopulationBuilder search(Search search, StreamActionBuilder stream) {
    List<Phase> phases = new ArrayList<>();
    for (int i = 0; i < search.config.search().maxSteps(); i++) {
      if (search.warmups > 0) {
        phases.add(Phase.deferred("step " + (i + 1) + " warm-up", search.warmups, false, search::warmupPlan));
      }
      phases.add(Phase.deferred("step " + (i + 1), search.maxWorkers(), search.config.mode() == Mode.RATE
          || search.fixedRate(), search::measuredPlan));
    }
    PopulationBuilder chain = null;
    for (int i = phases.size() - 1; i >= 0; i--) {
      PopulationBuilder p = phases.get(i).population(stream);
      chain = chain == null ? p : p.andThen(chain);
    }
    return chain;
  }

  /** One run's search: what it decided, and the rows of its steps as they are written. No state outlives the run. */
  public static final class Search {
    private final LlmRun run;
    private final CapacityConfig config;
    private final PromptTokens prompts;
    private final CapacitySearch search;
    private final Workloads.Base first;
    private final int warmups;
    private final List<Double> ran = new ArrayList<>();
    private final List<RunDescription.PhaseSize> phases = new ArrayList<>();
    /** The step running, or null before the first and after the last. */
    private volatile Step current;
    private SearchResult result;
    private boolean stopped;

    /** A step: its load, group, requests, and its measured rows and failures so far. */
    private record Step(int index, double load, String group, List<Ticket> warmups, List<Ticket> measured,
        int workers, Queue<RequestResult> rows, AtomicInteger failed) {
      /** Why to stop handing out its requests: once more failed than its error budget allows. */
      String stop(double maxErrorRate) {
        int f = failed.get();
        return f > Math.floor(maxErrorRate * measured.size())
            ? f + " of " + measured.size() + " requests failed" : null;
      }
    }

    Search(LlmRun run, CapacityConfig config, PromptTokens prompts) {
      this.run = run;
      this.config = config;
      this.prompts = prompts;
      this.search = new CapacitySearch(config.search());
      this.first = Workloads.base(run.config(), prompts);
      this.warmups = run.config().warmupRequests();
      run.files().requests().tap(this::row);
    }

    public CapacityConfig config() {
      return config;
    }

    /** The first step's requests, before its load: the profile's. */
    Workloads.Base first() {
      return first;
    }

    /** The group of the profile's requests, before a step's load is added to it. */
    String group() {
      return first.group();
    }

    /** The measured requests of a step. */
    int numPrompts() {
      return first.tickets().size();
    }

    /** Whether a concurrency search's steps run at a finite request rate (their requests then wait for arrivals). */
    boolean fixedRate() {
      return Double.isFinite(run.config().requestRates().get(0));
    }

    /** The most workers a step may need: a rate step's requests (or -Dmax.concurrency), a concurrency step's load. */
    int maxWorkers() {
      if (config.mode() == Mode.CONCURRENCY) {
        return (int) config.search().max();
      }
      Integer limit = run.config().maxConcurrency();
      return limit != null ? Math.min(limit, numPrompts()) : numPrompts();
    }

    private void row(RequestResult r) {
      Step s = current;
      // Only the running step's measured rows: the steps before it are judged already.
      if (r.warmup() || s == null || !s.group().equals(r.group())) {
        return;
      }
      s.rows().add(r);
      if (!r.ok()) {
        s.failed().incrementAndGet();
      }
    }

    private Phase.Planned warmupPlan() {
      Step s = open();
      return s == null ? Phase.Planned.NONE : new Phase.Planned(s.warmups(), s.warmups().size(), null);
    }

    private Phase.Planned measuredPlan() {
      Step s = warmups > 0 ? current() : open();
      return s == null ? Phase.Planned.NONE
          : new Phase.Planned(s.measured(), s.workers(), () -> s.stop(config.maxErrorRate()));
    }

    private synchronized Step current() {
      return current;
    }

    /** Judges the step that ran, then opens the next, or none when the search is over. */
    private synchronized Step open() {
      close();
      OptionalDouble next = search.next();
      if (next.isEmpty()) {
        // The steps left would send nothing, each a pass of Gatling's injector: the load ends here.
        if (!stopped) {
          stopped = true;
          run.stopLoad("the capacity search is over");
        }
        return null;
      }
      double load = next.getAsDouble();
      int index = ran.size() + 1;
      BenchConfig c = run.config();
      String group = first.group() + "@" + config.mode().wireName() + "=" + CapacitySearch.loadName(load);
      // New prompts for each step, seeded by it: a prefix cache must not favour the later steps.
      Workloads.Base base = index == 1 ? first : Workloads.base(c, prompts, c.seed() + 7_919L * (index - 1));
      List<Ticket> tickets = base.tickets().stream().map(t -> t.withGroup(group)).toList();
      double rate = config.mode() == Mode.RATE ? load : c.requestRates().get(0);
      List<Ticket> measured = Arrivals.schedule(tickets, rate, c.burstiness(), c.seed() + index, c.arrivalSchedule());
      int workers = config.mode() == Mode.CONCURRENCY ? (int) load : maxWorkers();
      List<Ticket> warm = warmups > 0 ? Workloads.warmups(tickets, warmups) : List.of();
      current = new Step(index, load, group, warm, measured, workers, new ConcurrentLinkedQueue<>(),
          new AtomicInteger());
      ran.add(load);
      if (!warm.isEmpty()) {
        phases.add(new RunDescription.PhaseSize(group + " warm-up", warm.size(), warm.size()));
      }
      phases.add(new RunDescription.PhaseSize(group, measured.size(), Math.min(workers, measured.size())));
      if (!c.quiet()) {
        System.out.println("llm-serving-bench: capacity step " + index + ": " + config.mode().wireName() + "="
            + CapacitySearch.loadName(load) + " (" + measured.size() + " requests" + (warm.isEmpty() ? "" : " after "
            + warm.size() + " warm-up") + ")");
      }
      return current;
    }

    /** Judges the step that ran, if any, and tells the search. */
    private void close() {
      Step s = current;
      if (s == null) {
        return;
      }
      current = null;
      // Judged once, then dropped with the step: a search of long steps would otherwise hold every step's
      // token gaps.
      List<RequestResult> stepRows = new ArrayList<>(s.rows());
      String stopped = s.stop(config.maxErrorRate());
      if (stopped == null) {
        stopped = liveSaturation(s.group());
      }
      StepVerdict v = StepVerdict.judge(s.index(), s.load(), s.group(), s.measured().size(), stepRows, config.slo(),
          config.percentile(), config.maxErrorRate(), config.mode() == Mode.RATE, stopped);
      search.record(v);
      if (!run.config().quiet()) {
        System.out.println("llm-serving-bench:   " + v.line(config.mode()));
      }
    }

    /** Why the step's phase stopped on over-saturation seen while it ran ({@code -Dstop.on.saturation}), or null. */
    private String liveSaturation(String group) {
      List<RunDescription.LiveSaturation> seen = run.monitor().liveSaturation();
      if (seen == null) {
        return null;
      }
      return seen.stream().filter(l -> l.phase().equals(group) && l.stopped()).findFirst()
          .map(l -> String.format(java.util.Locale.ROOT, "the server fell behind its arrivals from %.1f s (seen at "
              + "%.1f s), %d requests not sent", l.sinceSec(), l.seenSec(), l.notSent()))
          .orElse(null);
    }

    /**
     * Ends the search once the load is over: the last step judged, the run's record given the steps
     * that ran (their rates, so the post-run step knows each group's), and the result.
     */
    public synchronized SearchResult finish() {
      if (result == null) {
        close();
        result = search.result();
        List<String> rates = config.mode() == Mode.RATE ? LoadParameters.rates(ran)
            : LoadParameters.rates(run.config().requestRates());
        List<RunDescription.PhaseSize> ranPhases = List.copyOf(phases);
        run.files().redescribe(d -> d.withRan(d.load() == null ? null : d.load().withRequestRates(rates), ranPhases));
      }
      return result;
    }

    /**
     * The run's check: prints the search's result (the answer, then each step). It writes nothing: the
     * post-run step put the search into the result folder from the run folder's {@value SearchResult#JSON_FILE}
     * ({@link #attach}). It fails no run.
     */
    RunCheck report() {
      return (runFolder, resultFolder, requests) -> {
        SearchResult r = finish();
        // The answer is in the result block ("Capacity: ..."); here the steps that back it.
        List<String> lines = r.lines();
        return new RunCheck.Result(lines.subList(1, lines.size()), false, r.headline());
      };
    }

    /** Attaches the search's JSON to the run folder, written when the load is over (before the post-run step). */
    void attach() {
      run.files().attach(SearchResult.JSON_FILE, path -> () -> {
        try {
          finish().writeJson(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
