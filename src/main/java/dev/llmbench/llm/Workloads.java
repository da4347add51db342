package dev.llmbench.llm;

import dev.llmbench.config.ConfigException;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.OfflineConfig;
import dev.llmbench.llm.run.Sharding;
import dev.llmbench.llm.run.TraceSettings;
import dev.llmbench.report.stats.OfflineTable;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.stream.RequestShaping;
import dev.llmbench.workload.Arrivals;
import dev.llmbench.workload.Dataset;
import dev.llmbench.workload.Profiles.Matrix;
import dev.llmbench.workload.Profiles.MatrixConfig;
import dev.llmbench.workload.Profiles.RandomProfile;
import dev.llmbench.workload.Profiles;
import dev.llmbench.workload.PromptFile;
import dev.llmbench.workload.RandomDataset;
import dev.llmbench.workload.Size;
import dev.llmbench.workload.Ticket;
import dev.llmbench.workload.TraceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Turns a {@link BenchConfig} into the phases of a run. */
public final class Workloads {
  private Workloads() {}

  /**
   * What a run will do: its phases, the notes (skipped configs) to show the user, and the load it
   * resolved from the properties and the profile's defaults, once (what {@code llm-run.json} records
   * and a baseline compares; the target's part is added by the simulation).
   */
  public record Plan(List<Phase> phases, List<String> notes, LoadParameters load) {
    /** Measured prompts per rate step; null where prompts are not the unit (the matrix). */
    public Integer numPrompts() {
      return load.numPrompts();
    }

    /** Most streams at once; null for no limit, or when the injection profile decides ({@link #own}). */
    public Integer maxConcurrency() {
      return load.maxConcurrency() == null ? null : load.maxConcurrency().limit();
    }
  }

  /**
   * A random profile or a prompt file: for each request rate, a warm-up phase (bench_serving sends
   * them before the benchmark and leaves them out) and the measured phase.
   */
  public static Plan serving(BenchConfig c) {
    return serving(c, PromptTokens.WORDS);
  }

  /**
   * As {@link #serving(BenchConfig)}, random prompts built by {@code prompts}, which also counts a
   * prompt file's prompts ({@link PromptTokens#count}).
   */
  public static Plan serving(BenchConfig c, PromptTokens prompts) {
    if (c.trace() != null) {
      return trace(c, prompts);
    }
    Base b = base(c, prompts);
    Integer concurrency = c.maxConcurrency() != null ? c.maxConcurrency() : b.profileConcurrency();
    // On several injectors, this one's share (Sharding): its tickets of the whole list, its streams,
    // its rate with its own arrival seed. The plan's load stays the whole run's, as llm-run.json records it.
    Sharding shard = c.sharding();
    shard.requireShares("num.prompts", b.tickets().size());
    if (concurrency != null) {
      shard.requireShares("max.concurrency", concurrency);
    }
    List<Ticket> mine = shard.tickets(b.tickets());
    Integer streams = concurrency == null ? null : shard.share(concurrency);
    List<Phase> phases = new ArrayList<>();
    boolean steps = c.requestRates().size() > 1;
    for (double rate : c.requestRates()) {
      String name = b.group() + (steps ? "@rate=" + rateName(rate) : "");
      List<Ticket> tickets = mine.stream().map(t -> t.withGroup(name)).toList();
      if (c.warmupRequests() > 0) {
        List<Ticket> warmups = warmups(tickets, c.warmupRequests());
        phases.add(new Phase(name + " warm-up", warmups, warmups.size()));
      }
      List<Ticket> scheduled = Arrivals.schedule(tickets, shard.rate(rate), c.burstiness(),
          shard.arrivalSeed(c.seed()), c.arrivalSchedule());
      phases.add(new Phase(name, scheduled, streams == null ? scheduled.size() : streams));
    }
    List<String> notes = shard.sharded() && c.burstiness() != 1.0 && c.requestRates().stream().anyMatch(r -> !r.isInfinite())
        ? List.of("burstiness=" + c.burstiness() + " on " + shard.count() + " injectors: each sends gamma arrivals at "
            + "rate/" + shard.count() + "; their union is not one gamma process (only Poisson arrivals add up to Poisson)")
        : List.of();
    return new Plan(phases, notes, recorded(c, resolved(c, b.tickets().size(), concurrency, b), b.dataset())
        .withDataset(c.sharedPrefix() == null ? null : c.sharedPrefix().describe()));
  }

  /**
   * A trace replay ({@code -Dtrace.path}): a warm-up phase, then the trace's requests, each due at its time in
   * the trace (divided by {@code -Dtrace.speed}) from the phase's start, as many workers as requests (an open
   * model: each is sent at its time whatever the others do) unless {@code -Dmax.concurrency} limits them. A
   * late send shows as the run's send lag, as for any scheduled arrival ({@link Phase}).
   */
  static Plan trace(BenchConfig c, PromptTokens prompts) {
    // The trace decides arrivals and lengths: a property that would be silently overridden is refused.
    if (c.requestRates().size() != 1 || !c.requestRates().get(0).isInfinite() || c.burstiness() != 1.0
        || c.promptFile() != null || c.numPrompts() != null) {
      throw new ConfigException("trace.path sets the arrivals, lengths and count: leave out request.rate, burstiness, "
          + "prompt.file and num.prompts (use trace.speed and trace.max.requests)");
    }
    c.sharding().requireSingle("a trace replay");
    TraceSettings s = c.trace();
    TraceFile.Trace trace = TraceFile.read(s.path(), s.format(), s.maxRequests(), s.blockTokens(), s.secMultiplier());
    String group = "trace-" + s.path().getFileName().toString().replaceAll("\\.(jsonl?|csv)$", "");
    List<Ticket> tickets = TraceFile.tickets(trace, s.speed(), c.seed(), prompts, group);
    List<Phase> phases = new ArrayList<>();
    if (c.warmupRequests() > 0) {
      List<Ticket> warmups = warmups(tickets, c.warmupRequests());
      phases.add(new Phase(group + " warm-up", warmups, warmups.size()));
    }
    phases.add(new Phase(group, tickets, c.maxConcurrency() == null ? tickets.size() : c.maxConcurrency()));
    List<String> notes = trace.skipped() == 0 ? List.of() : List.of("skipped " + trace.skipped() + " rows of "
        + s.path().getFileName() + " without a response (failed requests in the trace)");
    LoadParameters load = resolved(c, tickets.size(), c.maxConcurrency(), null, null, null)
        .withTrace(new LoadParameters.Trace(s.path().getFileName().toString(), trace.format().wireName(),
            trace.sha256(), s.speed(), s.maxRequests(), trace.blockTokens(),
            trace.format() == TraceFile.Format.TIMED_TRACE ? s.secMultiplier() : null));
    return new Plan(phases, notes, load);
  }

  /**
   * A serving run's measured requests before any arrival time: the profile's random prompts or the
   * prompt file's, the group they are named for, and the lengths resolved from the profile (null for a
   * prompt file).
   *
   * @param profileConcurrency the profile's concurrency at this size, null for none
   */
  record Base(List<Ticket> tickets, String group, Integer profileConcurrency, Integer inputLen, Integer outputLen,
      Double rangeRatio, Dataset.Loaded dataset) {
    Base(List<Ticket> tickets, String group, Integer profileConcurrency, Integer inputLen, Integer outputLen,
        Double rangeRatio) {
      this(tickets, group, profileConcurrency, inputLen, outputLen, rangeRatio, null);
    }
  }

  static Base base(BenchConfig c, PromptTokens prompts) {
    return base(c, prompts, c.seed());
  }

  /** As {@link #base(BenchConfig, PromptTokens)}, random prompts drawn with {@code seed} (a prompt file's are its own). */
  static Base base(BenchConfig c, PromptTokens prompts, long seed) {
    if (c.sharedPrefix() != null) {
      // Shared prefixes: the dataset's own count and lengths; no profile concurrency, no random lengths.
      return new Base(c.sharedPrefix().generate(prompts, seed), c.sharedPrefix().group(), null, null, null, null, null);
    }
    if (c.dataset() != null) {
      // A conversation dataset: its rows sampled with the run's seed, counted as a prompt file's are.
      Dataset.Loaded d = Dataset.load(c.dataset(), c.numPrompts(), c.seed(), prompts::count);
      String group = c.dataset().format().wireName() + "-"
          + c.dataset().path().getFileName().toString().replaceAll("\\.(jsonl?|json)$", "");
      return new Base(d.tickets(), group, null, null, null, null, d);
    }
    if (c.promptFile() != null) {
      List<Ticket> base = PromptFile.read(c.promptFile(), c.randomOutputLen() != null ? c.randomOutputLen() : 256,
          prompts::count);
      if (c.numPrompts() != null) {
        base = base.subList(0, Math.min(base.size(), c.numPrompts()));
      }
      String group = "prompts-" + c.promptFile().getFileName().toString().replaceAll("\\.jsonl?$", "");
      return new Base(base, group, null, null, null, null);
    }
    RandomProfile p = Profiles.load().random(c.profile());
    int n = c.numPrompts() != null ? c.numPrompts() : p.numPrompts(c.size());
    int inputLen = c.randomInputLen() != null ? c.randomInputLen() : p.inputLen();
    int outputLen = c.randomOutputLen() != null ? c.randomOutputLen() : p.outputLen();
    double rangeRatio = c.randomRangeRatio() != null ? c.randomRangeRatio() : p.rangeRatio();
    List<Ticket> base = RandomDataset.generate(n, inputLen, outputLen, rangeRatio, seed, prompts);
    String group = c.numPrompts() == null && c.randomInputLen() == null && c.randomOutputLen() == null
        && c.randomRangeRatio() == null ? p.name() : "random-" + inputLen + "-" + outputLen;
    return new Base(base, group, p.maxConcurrency(c.size()), inputLen, outputLen, rangeRatio);
  }

  /** bench_serving's warm-ups of a phase: {@code n} requests that reuse its first prompt and ask for at most 32 tokens. */
  static List<Ticket> warmups(List<Ticket> tickets, int n) {
    Ticket first = tickets.get(0);
    List<Ticket> warmups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      warmups.add(new Ticket(i, first.prompt(), first.inputTokens(), Math.min(first.outputTokens(), 32), 0, true,
          first.group(), first.messagesJson()));
    }
    return warmups;
  }

  /**
   * The ISL/OSL matrix as bench_full.py runs it: one stream at a time, for each configuration its
   * warm-up runs then its measured runs; configurations that do not fit the server's context are
   * skipped with a note.
   */
  public static Plan matrix(BenchConfig c, Integer maxModelLen) {
    return matrix(c, maxModelLen, PromptTokens.WORDS);
  }

  /** As {@link #matrix(BenchConfig, Integer)}, prompts built by {@code prompts}. */
  public static Plan matrix(BenchConfig c, Integer maxModelLen, PromptTokens prompts) {
    c.sharding().requireSingle("the ISL/OSL matrix");
    Matrix m = Profiles.load().matrix();
    boolean smoke = c.size() == Size.SMOKE;
    int divisor = smoke ? m.smokeDivisor() : 1;
    int warmups = smoke ? m.smokeWarmupRuns() : m.warmupRuns();
    int runs = smoke ? m.smokeMeasuredRuns() : m.measuredRuns();
    List<String> notes = new ArrayList<>();
    List<Ticket> tickets = new ArrayList<>();
    Random words = Seeds.random(c.seed());
    for (MatrixConfig config : m.configs()) {
      if (smoke && !m.runsAtSmoke(config)) {
        continue;
      }
      int isl = config.isl(divisor);
      int osl = config.osl(divisor);
      String name = config.name(divisor);
      if (maxModelLen != null && isl + osl > maxModelLen) {
        notes.add(String.format(Locale.ROOT, "skipped %s (%s): ISL+OSL = %d exceeds the server's max model length %d",
            name, config.label(), isl + osl, maxModelLen));
        continue;
      }
      PromptTokens.Built prompt = prompts.build(isl, words);
      for (int i = 0; i < warmups + runs; i++) {
        tickets.add(new Ticket(tickets.size(), prompt.text(), prompt.tokens(), osl, 0, i < warmups, name));
      }
    }
    if (tickets.isEmpty()) {
      throw new ConfigException("no matrix configuration fits the server's max model length ("
          + maxModelLen + "); pass -Dmax.model.len if the server reports it wrongly");
    }
    return new Plan(List.of(new Phase("matrix", tickets, 1)), List.copyOf(notes),
        recorded(c, resolved(c, null, 1, null, null, null), null));
  }

  /**
   * An offline batch sweep as SGLang's {@code bench_one_batch} runs one, over HTTP: for each input length and
   * batch size {@code B} (the group {@code offline-<mode>-<input>-<output>@batch=<B>}), its warm-up batches then
   * its measured ones, each a phase of {@code B} requests and {@code B} workers, so the whole batch is released at
   * once and the next batch waits until it has ended (closed model). Every request has its own random prompt
   * (the engine's prefix cache must not serve one request's prefill from another's) and asks for exactly the
   * output length. Configurations whose input + output exceed the server's max model length are skipped with
   * a note, as the matrix does.
   */
  public static Plan offline(BenchConfig c, OfflineConfig o, Integer maxModelLen, PromptTokens prompts) {
    List<String> notes = new ArrayList<>();
    List<Phase> phases = new ArrayList<>();
    Random words = Seeds.random(c.seed());
    for (int[] config : o.configurations()) {
      int input = config[0];
      int batch = config[1];
      String group = OfflineTable.group(o.mode().wireName(), input, o.outputLen(), batch);
      if (maxModelLen != null && input + o.outputLen() > maxModelLen) {
        notes.add(String.format(Locale.ROOT, "skipped %s: input + output = %d exceeds the server's max model length %d",
            group, input + o.outputLen(), maxModelLen));
        continue;
      }
      for (int run = 0; run < o.warmups() + o.runs(); run++) {
        boolean warmup = run < o.warmups();
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          PromptTokens.Built prompt = prompts.build(input, words);
          tickets.add(new Ticket(i, prompt.text(), prompt.tokens(), o.outputLen(), 0, warmup, group));
        }
        // Gatling needs unique scenario names; the group is what the reports know the batch size by.
        String name = group + (warmup ? " warm-up " + (run + 1) : " batch " + (run - o.warmups() + 1));
        phases.add(new Phase(name, tickets, batch));
      }
    }
    if (phases.isEmpty()) {
      throw new ConfigException("no offline configuration fits the server's max model length (" + maxModelLen
          + "); pass -Dmax.model.len if the server reports it wrongly, or shorter -Dinput.len/-Doutput.len");
    }
    LoadParameters load = new LoadParameters(null, null, c.size().name().toLowerCase(Locale.ROOT), null, null, null,
        null, null, c.seed(), c.httpKeepAlive() ? null : false, Seeds.SAMPLING_VERSION, null, null, null,
        o.outputLen(), null, null);
    return new Plan(List.copyOf(phases), List.copyOf(notes), recorded(c, load, null));
  }

  /**
   * The load of a simulation whose own injection profile sends the requests: no phases, and of
   * bench_serving's parameters only those of its prompts (the arrivals, counts and concurrency are the
   * profile's, in the simulation's code), so that a baseline compares runs of the same simulation.
   */
  public static Plan own(BenchConfig c) {
    Integer numPrompts = c.numPrompts();
    Integer inputLen = null;
    Integer outputLen = c.randomOutputLen();
    Double rangeRatio = null;
    if (c.promptFile() == null) {
      // The prompts' lengths and count, resolved: a baseline compares runs of the same prompts only.
      RandomProfile p = Profiles.load().random(c.profile());
      numPrompts = numPrompts != null ? numPrompts : p.numPrompts(c.size());
      inputLen = c.randomInputLen() != null ? c.randomInputLen() : p.inputLen();
      outputLen = outputLen != null ? outputLen : p.outputLen();
      rangeRatio = c.randomRangeRatio() != null ? c.randomRangeRatio() : p.rangeRatio();
    }
    if (c.dataset() != null) {
      inputLen = null;
      outputLen = c.dataset().fixedOutputTokens();
      rangeRatio = null;
      numPrompts = c.numPrompts();
    }
    LoadParameters load = new LoadParameters(null, null, c.size().name().toLowerCase(Locale.ROOT), numPrompts, null,
        null, null, null, c.seed(), c.httpKeepAlive() ? null : false, Seeds.SAMPLING_VERSION, null,
        c.promptFile() == null ? null : c.promptFile().toString(), inputLen, outputLen, rangeRatio, null);
    return new Plan(List.of(), List.of(), recorded(c, load, null));
  }


  /**
   * A pooling run's load ({@link Scoring}, the stress scenarios): no phases of tickets (its own
   * populations send it), and its workload described, so a baseline compares only the same workload.
   */
  public static Plan pooling(BenchConfig c, String workload, int maxConcurrency, int warmups) {
    c.sharding().requireSingle("a pooling run");
    LoadParameters load = new LoadParameters(null, null, null, null, LoadParameters.MaxConcurrency.of(maxConcurrency),
        null, null, null, c.seed(), c.httpKeepAlive() ? null : false, Seeds.SAMPLING_VERSION, warmups, null, null, null,
        null, null, workload);
    return new Plan(List.of(), List.of(), load);
  }

  /**
   * The load as recorded: the properties', with what was resolved from the profile's defaults. The
   * random prompts' lengths only for a random profile; the arrival schedule only when chosen and
   * keep-alive only when off, so that older runs compare as before.
   */
  static LoadParameters resolved(BenchConfig c, Integer numPrompts, Integer maxConcurrency, Base b) {
    return resolved(c, numPrompts, maxConcurrency, b.inputLen(), b.outputLen(), b.rangeRatio());
  }

  private static LoadParameters resolved(BenchConfig c, Integer numPrompts, Integer maxConcurrency, Integer inputLen,
      Integer outputLen, Double rangeRatio) {
    return new LoadParameters(null, null, c.size().name().toLowerCase(Locale.ROOT), numPrompts,
        LoadParameters.MaxConcurrency.of(maxConcurrency), LoadParameters.rates(c.requestRates()), c.burstiness(),
        c.arrivalSchedule() == Arrivals.Schedule.BENCH_SERVING ? null : c.arrivalSchedule().wireName(), c.seed(),
        c.httpKeepAlive() ? null : false, Seeds.SAMPLING_VERSION, c.warmupRequests(),
        c.promptFile() == null ? null : c.promptFile().toString(), inputLen, outputLen, rangeRatio, null);
  }

  /**
   * The load with the run's conversation dataset (its file's hash, and the rows sent when they were read
   * here: {@code loaded}, null otherwise) and its request shaping, each only when given.
   */
  static LoadParameters recorded(BenchConfig c, LoadParameters load, Dataset.Loaded loaded) {
    Dataset.Settings d = c.dataset();
    RequestShaping s = c.shaping();
    if (d == null && s.none()) {
      return load;
    }
    return load.withDataAndShaping(d == null ? null : d.format().wireName(), d == null ? null : d.path().toString(),
        d == null ? null : loaded != null ? loaded.sha256() : Dataset.sha256(d.path()),
        loaded == null ? null : loaded.tickets().size(), s.recordedExtraBody(), s.recordedHeaders(),
        s.recordedLoraModules(), s.temperature());
  }

  static String rateName(double rate) {
    return Double.isInfinite(rate) ? "inf" : rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }
}
