package dev.llmbench.report;

import dev.llmbench.io.TempSibling;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.input.RunHeader;
import dev.llmbench.report.input.SimulationLogMerge;
import dev.llmbench.report.input.SimulationLogReader;
import dev.llmbench.report.model.Injectors;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges the Gatling run folders of one run's shards ({@code -Dinjector.index=i -Dinjector.count=N},
 * docs/scaling-out.md) into one run folder that the post-run step reads as any other:
 * <ul>
 *   <li>{@code llm-requests.jsonl}: every shard's rows, each shard's {@code sentNanos} moved onto shard 0's
 *       {@code System.nanoTime()} clock ({@link #clockShiftNanos}), sorted by it;
 *   <li>{@code llm-run.json}: shard 0's description, its requests summed over the shards, and
 *       {@code injectors} listing every shard ({@link Injectors});
 *   <li>{@code shard-<i>/}: each shard's {@code simulation.log}, side file and {@code llm-run.json} as they
 *       were, which the post-run step cross-checks shard by shard;
 *   <li>shard 0's scrape of the server's {@code /metrics}, when it has one (the server is the same for all);
 *   <li>{@code simulation.log}: the shards' logs merged into one in time order ({@link SimulationLogMerge}),
 *       which Gatling's reports-only mode renders as one Gatling report ({@link GatlingReportsOnly}, which
 *       {@code MergeCommand} runs once the folder is written).
 * </ul>
 * The shards are checked first: the same simulation, profile, framework, target and load parameters,
 * the same {@code injector.count} and {@code start.at}, and every index from 0 to N-1 once. Any
 * difference is an {@link MergeException} naming the shard and the difference, and nothing is written.
 * Gatling 3.15's reports-only mode reads one {@code simulation.log} per folder ({@code LogFileReader}), hence
 * the merged log.
 */
public final class ShardMerge {
  /** Why shards cannot be merged; nothing was written. */
  public static final class MergeException extends Exception {
    public MergeException(String message) {
      super(message);
    }
  }

  /** A shard as read. */
  record Shard(Path folder, RunDescription run, Injectors injectors, String simulation, List<RequestResult> requests) {
    String name() {
      return folder.getFileName() + " (injector.index " + injectors.index() + ")";
    }

    /** The same shard, of {@code other}'s simulation (tests). */
    Shard withSimulationOf(Shard other) {
      return new Shard(folder, run, injectors, other.simulation(), requests);
    }
  }

  private ShardMerge() {}

  /** The folder of a merged run that keeps shard {@code index}'s own files. */
  public static String shardFolder(int index) {
    return "shard-" + index;
  }

  /**
   * Checks the shards and writes the merged run folder next to shard 0's, named after it with
   * {@code -merged}; returns it.
   */
  public static Path merge(List<Path> folders) throws IOException, MergeException {
    List<Shard> shards = check(read(folders));
    Shard first = shards.get(0);
    Path target = first.folder().toAbsolutePath().getParent().resolve(first.folder().getFileName() + "-merged");
    if (Files.exists(target)) {
      throw new MergeException(target + " exists already; remove it to merge again");
    }
    Path temp = TempSibling.directory(target.getParent(), "." + target.getFileName() + "-");
    try {
      write(shards, temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(temp)) {
        try (var walk = Files.walk(temp)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    return target;
  }

  static List<Shard> read(List<Path> folders) throws IOException, MergeException {
    List<Shard> shards = new ArrayList<>();
    for (Path f : folders) {
      if (!Files.isDirectory(f)) {
        throw new MergeException(f + " is not a folder; pass the shards' Gatling run folders");
      }
      Path runFile = f.resolve(RunDescriptionFile.FILE_NAME);
      Path requests = f.resolve(RequestLogWriter.FILE_NAME);
      Path log = f.resolve("simulation.log");
      for (Path p : List.of(runFile, requests, log)) {
        if (!Files.isRegularFile(p)) {
          throw new MergeException(f + " has no " + p.getFileName() + ": not a finished shard's run folder");
        }
      }
      RunDescription run = RunDescriptionFile.read(runFile);
      if (run.injectors() == null || run.injectors().index() == null) {
        throw new MergeException(f + " is not a shard: its " + RunDescriptionFile.FILE_NAME
            + " records no injector index (run each shard with -Dinjector.index=i -Dinjector.count=N)");
      }
      RequestLogReader.Result read = RequestLogReader.read(requests);
      if (read.truncatedAtLine() > 0) {
        throw new MergeException(f + ": " + RequestLogWriter.FILE_NAME + " is cut at line " + read.truncatedAtLine());
      }
      RunHeader header = SimulationLogReader.read(log, new SimulationLogReader.Visitor() {}).header();
      shards.add(new Shard(f, run, run.injectors(), header == null ? "" : header.simulationClassName(),
          read.requests()));
    }
    return shards;
  }

  /** The shards by index, once each is known to belong with the others. */
  static List<Shard> check(List<Shard> shards) throws MergeException {
    if (shards.isEmpty()) {
      throw new MergeException("no shard given; pass the run folders of every shard");
    }
    Shard ref = shards.stream().min(Comparator.comparingInt(s -> s.injectors().index())).orElseThrow();
    int count = ref.injectors().count();
    Map<Integer, Shard> byIndex = new TreeMap<>();
    for (Shard s : shards) {
      for (Map.Entry<String, Function<Shard, Object>> e : COMPARED.entrySet()) {
        Object mine = e.getValue().apply(s);
        Object theirs = e.getValue().apply(ref);
        if (!Objects.equals(mine, theirs)) {
          throw new MergeException("shard " + s.name() + " differs from shard " + ref.name() + ": " + e.getKey()
              + " is " + mine + ", not " + theirs);
        }
      }
      String load = loadDifference(s, ref);
      if (load != null) {
        throw new MergeException("shard " + s.name() + " differs from shard " + ref.name() + ": " + load);
      }
      Shard before = byIndex.putIfAbsent(s.injectors().index(), s);
      if (before != null) {
        throw new MergeException("shards " + before.folder() + " and " + s.folder() + " both have injector.index "
            + s.injectors().index());
      }
    }
    for (int i = 0; i < count; i++) {
      if (!byIndex.containsKey(i)) {
        throw new MergeException("shard with injector.index " + i + " of injector.count=" + count
            + " is missing (given: " + byIndex.keySet() + ")");
      }
    }
    return List.copyOf(byIndex.values());
  }

  /** What must be the same in every shard, by the name a refusal gives it. */
  private static final Map<String, Function<Shard, Object>> COMPARED = compared();

  private static Map<String, Function<Shard, Object>> compared() {
    Map<String, Function<Shard, Object>> m = new java.util.LinkedHashMap<>();
    m.put("simulation", Shard::simulation);
    m.put("profile", s -> s.run().profile());
    m.put("framework", s -> s.run().framework());
    m.put("backend", s -> s.run().backend());
    m.put("model", s -> s.run().model());
    m.put("target", s -> s.run().targetUrl());
    m.put("injector.count", s -> s.injectors().count());
    m.put("start.at", s -> s.injectors().startAtEpochMs());
    return m;
  }

  /** The first load parameter (by name) that differs between the two, as the refusal says it; null when none does. */
  private static String loadDifference(Shard s, Shard ref) {
    Map<String, String> mine = s.run().load() == null ? Map.of() : s.run().load().asMap();
    Map<String, String> theirs = ref.run().load() == null ? Map.of() : ref.run().load().asMap();
    java.util.SortedSet<String> keys = new java.util.TreeSet<>(mine.keySet());
    keys.addAll(theirs.keySet());
    for (String k : keys) {
      if (!Objects.equals(mine.get(k), theirs.get(k))) {
        return "load parameter " + k + " is " + Objects.requireNonNullElse(mine.get(k), "absent") + ", not "
            + Objects.requireNonNullElse(theirs.get(k), "absent");
      }
    }
    return null;
  }

  /**
   * What to add to a shard's {@code sentNanos} to put them on the reference's clock. Each machine's
   * {@code System.nanoTime()} has its own origin, but every row also carries the send time on the wall
   * clock ({@code sentEpochMicros}): wall minus monotonic is a shard's origin, its median over the rows
   * steadies the microsecond rounding and any jitter between the two reads, and the difference between
   * two shards' origins is the shift. Durations (TTFT, ITL, E2E) are each measured on one clock and are
   * not changed; only where each request sits on the run's time line is, as well as the machines' wall
   * clocks agree (NTP: about a millisecond).
   */
  public static long clockShiftNanos(List<RequestResult> shard, List<RequestResult> reference) {
    return origin(shard) - origin(reference);
  }

  private static long origin(List<RequestResult> rows) {
    long[] o = rows.stream().mapToLong(r -> r.sentEpochMicros() * 1_000 - r.sentNanos()).sorted().toArray();
    return o.length == 0 ? 0 : o[o.length / 2];
  }

  private static void write(List<Shard> shards, Path folder) throws IOException {
    List<RequestResult> reference = shards.get(0).requests();
    List<RequestResult> all = new ArrayList<>();
    List<Injectors.Shard> listed = new ArrayList<>();
    long planned = 0;
    long sent = 0;
    long notSent = 0;
    boolean countsKnown = true;
    for (Shard s : shards) {
      long shift = clockShiftNanos(s.requests(), reference);
      for (RequestResult r : s.requests()) {
        all.add(shifted(r, shift));
      }
      listed.add(new Injectors.Shard(s.injectors().index(), s.folder().getFileName().toString(), s.run().startedAt(),
          s.requests().size(), shift));
      RunDescription.Requests counts = s.run().afterLoad().requests();
      if (counts == null || counts.planned() == null || counts.sent() == null || counts.notSent() == null) {
        countsKnown = false;
      } else {
        planned = counts.planned() < 0 || planned < 0 ? -1 : planned + counts.planned();
        sent += counts.sent();
        notSent += counts.notSent();
      }
      Path own = folder.resolve(shardFolder(s.injectors().index()));
      Files.createDirectories(own);
      for (String name : List.of("simulation.log", RequestLogWriter.FILE_NAME, RunDescriptionFile.FILE_NAME)) {
        Files.copy(s.folder().resolve(name), own.resolve(name));
      }
    }
    // The server is the same for every shard: shard 0's scrape of its /metrics is the run's (placed on the
    // time line by wall-clock time, which the shards share). GPU samples are each injector's own machine's: not kept.
    Path metrics = shards.get(0).folder().resolve(dev.llmbench.report.input.TelemetryFiles.SERVER_METRICS);
    if (Files.isRegularFile(metrics)) {
      Files.copy(metrics, folder.resolve(metrics.getFileName()));
    }
    // Gatling's records are on the wall clock, which the shards share: merged without a shift. A shard's log cut
    // short is merged up to its last whole record, as Gatling's own report reads one; the post-run step reports
    // it from the shard's own copy.
    SimulationLogMerge.merge(shards.stream().map(s -> s.folder().resolve("simulation.log")).toList(),
        folder.resolve("simulation.log"));
    all.sort(Comparator.comparingLong(RequestResult::sentNanos));
    try (RequestLogWriter out = new RequestLogWriter(folder.resolve(RequestLogWriter.FILE_NAME))) {
      all.forEach(out::add);
    }
    Shard first = shards.get(0);
    RunDescription.Requests counts = countsKnown ? new RunDescription.Requests(planned, sent, notSent) : null;
    String startedAt = shards.stream().map(s -> s.run().startedAt()).filter(Objects::nonNull).min(String::compareTo)
        .orElse(first.run().startedAt());
    RunDescription merged = new RunDescription(first.run().schemaVersion(), startedAt, first.run().profile(),
        first.run().framework(), first.run().backend(), first.run().model(), first.run().targetUrl(),
        first.run().serverHardware(), first.run().serverVersion(), first.run().serverLog(), first.run().load(),
        first.run().promptSizing(), phases(shards), first.run().notes(), first.run().validity(), first.run().accuracy(),
        new Injectors(null, first.injectors().count(), first.injectors().startAtEpochMs(), listed),
        first.run().afterLoad().withRequests(counts).withBreaker(breaker(shards)));
    RunDescriptionFile.write(merged, folder.resolve(RunDescriptionFile.FILE_NAME));
  }

  /** The whole run's phases: each phase's requests and streams summed over the shards (the shards run the same phases). */
  static List<RunDescription.PhaseSize> phases(List<Shard> shards) {
    List<RunDescription.PhaseSize> first = shards.get(0).run().phases();
    if (first == null) {
      return null;
    }
    List<RunDescription.PhaseSize> sum = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      int requests = 0;
      int workers = 0;
      for (Shard s : shards) {
        List<RunDescription.PhaseSize> p = s.run().phases();
        if (p != null && i < p.size()) {
          requests += p.get(i).requests();
          workers += p.get(i).workers();
        }
      }
      sum.add(new RunDescription.PhaseSize(first.get(i).name(), requests, workers));
    }
    return sum;
  }

  /** The circuit breaker as the merged run reports it: the first shard whose breaker tripped, else shard 0's. */
  private static RunDescription.Breaker breaker(List<Shard> shards) {
    return shards.stream().map(s -> s.run().afterLoad().breaker())
        .filter(b -> b != null && Boolean.TRUE.equals(b.tripped())).findFirst()
        .orElse(shards.get(0).run().afterLoad().breaker());
  }

  private static RequestResult shifted(RequestResult r, long shiftNanos) {
    return new RequestResult(r.requestId(), r.group(), r.warmup(), r.ok(), r.error(), r.httpStatus(),
        r.sentEpochMicros(), r.sentNanos() + shiftNanos, r.promptTokens(), r.promptTokensPlanned(), r.maxTokens(),
        r.outputTokens(), r.outputTokensSource(), r.ttftMicros(), r.e2eMicros(), r.tpotMicros(), r.itlMicros(),
        r.chunkTokens(), r.fallbackParses(), r.resends(), r.items(), r.inputHash(), r.answer(), r.queueMicros(),
        r.cachedTokens());
  }
}
