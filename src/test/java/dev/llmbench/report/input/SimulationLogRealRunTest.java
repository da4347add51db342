package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.it.GatlingRun;
import dev.llmbench.llm.Target;
import dev.llmbench.llm.stream.LlmMetrics;
import dev.llmbench.stream.RequestResult;
import io.gatling.charts.stats.GeneralStats;
import io.gatling.charts.stats.Group;
import io.gatling.charts.stats.LogFileData;
import io.gatling.charts.stats.LogFileReader;
import io.gatling.commons.util.GatlingVersion;
import io.gatling.core.config.GatlingConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import simulations.SmokeSimulation;

/**
 * The reader on the log of a real Gatling run (the smoke simulation against the embedded emulator,
 * a fifth of the requests failing with HTTP 500), checked against the run's per-request side file
 * and against Gatling's own reader of the same log. A Gatling upgrade fails here first.
 */
class SimulationLogRealRunTest {
  @TempDir
  static Path results;

  private static GatlingRun.Outcome run;
  private static Path log;
  private static SimulationLogReader.Result result;
  private static List<Object> records;

  @BeforeAll
  static void runSmoke() throws IOException {
    run = GatlingRun.run(SmokeSimulation.class, Map.of(
        "emulator.fault.rate.http-500", "0.2",
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"), results);
    log = run.runFolder().resolve("simulation.log");
    Recorder recorder = new Recorder();
    result = SimulationLogReader.read(log, recorder);
    records = recorder.records;
  }

  @AfterAll
  static void stopEmulator() {
    Target.reset();
  }

  private static List<RequestRecord> requests(Predicate<RequestRecord> filter) {
    return records.stream().filter(RequestRecord.class::isInstance).map(RequestRecord.class::cast).filter(filter)
        .toList();
  }

  private static String group(RequestRecord r) {
    return r.groups().isEmpty() ? "" : r.groups().get(0);
  }

  @Test
  void supportedVersionIsTheGatlingWeBuildWith() {
    assertEquals(GatlingVersion.ThisVersion().fullVersion(), SimulationLogReader.SUPPORTED_GATLING_VERSION,
        "Gatling was upgraded: check its LogFileDataWriter for format changes, then update the reader");
  }

  @Test
  void readsTheWholeLog() throws IOException {
    result.requireComplete();
    assertEquals(Files.size(log), result.bytesRead());
    assertEquals(records.size(), result.records());
    RunHeader h = result.header();
    assertEquals("3.15.1", h.gatlingVersion());
    assertEquals(SmokeSimulation.class.getName(), h.simulationClassName());
    assertFalse(h.scenarios().isEmpty());
    assertEquals(1, h.assertions().size(), "the smoke simulation's one assertion");
    List<UserRecord> users = records.stream().filter(UserRecord.class::isInstance).map(UserRecord.class::cast)
        .toList();
    assertFalse(users.isEmpty());
    assertEquals(users.stream().filter(UserRecord::start).count(), users.stream().filter(u -> !u.start()).count(),
        "every user that started ended");
    long runEnd = h.startEpochMillis() + 10 * 60_000;
    for (RequestRecord r : requests(r -> true)) {
      assertTrue(r.startEpochMillis() >= h.startEpochMillis() && r.endEpochMillis() <= runEnd, r::toString);
      assertTrue(r.responseTimeMillis() >= 0, r::toString);
    }
  }

  @Test
  void countsMatchTheSideFile() {
    List<RequestResult> side = run.requests();
    assertFalse(side.isEmpty());
    assertTrue(side.stream().anyMatch(r -> !r.ok()) && side.stream().anyMatch(RequestResult::ok),
        "the run has both OK and failed requests");
    Map<String, List<RequestResult>> byGroup = new TreeMap<>();
    side.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
    Map<String, List<RequestRecord>> logByGroup = new TreeMap<>();
    requests(r -> true).forEach(r -> logByGroup.computeIfAbsent(group(r), g -> new ArrayList<>()).add(r));
    assertEquals(byGroup.keySet(), logByGroup.keySet());
    for (var e : byGroup.entrySet()) {
      String g = e.getKey();
      List<RequestResult> rows = e.getValue();
      List<RequestRecord> logged = logByGroup.get(g);
      List<RequestResult> ok = rows.stream().filter(r -> !r.warmup() && r.ok()).toList();
      List<RequestResult> failed = rows.stream().filter(r -> !r.warmup() && !r.ok()).toList();
      assertEquals(ok.size(), count(logged, LlmMetrics.E2E, true), g + ": OK E2E rows");
      assertEquals(failed.size(), count(logged, LlmMetrics.E2E, false), g + ": KO E2E rows");
      assertEquals(ok.size(), count(logged, LlmMetrics.TTFT, true), g + ": TTFT rows");
      assertEquals(ok.stream().mapToLong(r -> r.itlMicros().length).sum(), count(logged, LlmMetrics.ITL, true),
          g + ": ITL rows");
      assertEquals(ok.stream().filter(r -> !Double.isNaN(r.tpotMicros())).count(),
          count(logged, LlmMetrics.TPOT, true), g + ": TPOT rows");
      assertEquals(rows.stream().filter(RequestResult::warmup).count(),
          logged.stream().filter(r -> r.name().equals(LlmMetrics.WARMUP)).count(), g + ": warm-up rows");
      // E2E in whole ms as the action logs it, and the failure messages, request for request.
      assertEquals(sorted(ok.stream().mapToLong(r -> Math.round(r.e2eMicros() / 1000.0)).toArray()),
          sorted(logged.stream().filter(r -> r.ok() && r.name().equals(LlmMetrics.E2E))
              .mapToLong(RequestRecord::responseTimeMillis).toArray()), g + ": E2E ms");
      assertEquals(failed.stream().map(RequestResult::error).sorted().toList(),
          logged.stream().filter(r -> !r.ok()).map(RequestRecord::message).sorted().toList(), g + ": errors");
    }
  }

  private static long count(List<RequestRecord> logged, String name, boolean ok) {
    return logged.stream().filter(r -> r.name().equals(name) && r.ok() == ok).count();
  }

  private static List<Long> sorted(long[] values) {
    return Arrays.stream(values).sorted().boxed().toList();
  }

  /**
   * Count, min, max and mean per request name and group, as Gatling's own reader computes them from
   * the same log, exactly; its percentiles come from a t-digest, so each must lie between the two
   * samples around its rank.
   */
  @Test
  void statsMatchGatlingsOwnReader() {
    LogFileData gatling = new LogFileReader(log.toFile(), GatlingConfiguration.load()).read();
    Map<List<String>, List<Integer>> byKey = new HashMap<>();
    for (RequestRecord r : requests(r -> true)) {
      List<String> key = new ArrayList<>(r.groups());
      key.add(r.name());
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r.responseTimeMillis());
    }
    assertTrue(byKey.size() >= 4, "E2E, TTFT, ITL, TPOT at least: " + byKey.keySet());
    for (var e : byKey.entrySet()) {
      List<String> groups = e.getKey().subList(0, e.getKey().size() - 1);
      String name = e.getKey().get(e.getKey().size() - 1);
      Option<Group> group = groups.isEmpty() ? Option.empty()
          : Option.apply(new Group(CollectionConverters.asScala(groups).toList()));
      GeneralStats theirs = gatling.requestGeneralStats(Option.apply(name), group, Option.empty()).get();
      int[] ours = e.getValue().stream().mapToInt(Integer::intValue).sorted().toArray();
      String where = e.getKey().toString();
      assertEquals(ours.length, theirs.count(), where + " count");
      assertEquals(ours[0], theirs.min(), where + " min");
      assertEquals(ours[ours.length - 1], theirs.max(), where + " max");
      assertEquals(Math.round(Arrays.stream(ours).average().orElseThrow()), theirs.mean(), where + " mean");
      for (double rank : new double[] {50, 75, 90, 95, 99}) {
        int p = (Integer) theirs.percentile().apply(rank);
        int n = ours.length;
        int low = ours[Math.max(0, (int) Math.floor(rank / 100 * n) - 1)];
        int high = ours[Math.min(n - 1, (int) Math.ceil(rank / 100 * n))];
        assertTrue(p >= low - 1 && p <= high + 1,
            String.format(Locale.ROOT, "%s p%.0f: Gatling says %d, our samples around that rank are %d..%d", where,
                rank, p, low, high));
      }
    }
  }

  /** Cut the real log at seeded random offsets: each prefix reads as the records before the cut. */
  @Test
  void truncatedRealLog() throws IOException {
    byte[] full = Files.readAllBytes(log);
    Random random = new Random(20_261_124);
    int headerEnd = (int) headerLength(full);
    List<Integer> cuts = new ArrayList<>(List.of(headerEnd, headerEnd + 1, full.length - 1, full.length / 2));
    for (int i = 0; i < 20; i++) {
      cuts.add(headerEnd + random.nextInt(full.length - headerEnd));
    }
    for (int cut : cuts) {
      Path part = results.resolve("cut-" + cut + ".log");
      Files.write(part, Arrays.copyOf(full, cut));
      Recorder r = new Recorder();
      SimulationLogReader.Result partial = SimulationLogReader.read(part, r);
      String at = "cut at " + cut + " of " + full.length;
      assertTrue(partial.bytesRead() <= cut, at);
      assertEquals(records.subList(0, r.records.size()), r.records, at);
      assertEquals(r.records.size(), partial.records(), at);
      assertEquals(partial.bytesRead() != cut, partial.partial(), at);
      if (partial.partial()) {
        assertTrue(partial.stopReason().contains("is truncated: it ends at byte offset " + cut), partial.stopReason());
        assertTrue(partial.stopReason().contains("starts at byte offset " + partial.bytesRead()),
            partial.stopReason());
        // What was read ends on a record boundary: that prefix reads complete.
        Files.write(part, Arrays.copyOf(full, (int) partial.bytesRead()));
        SimulationLogReader.Result prefix = SimulationLogReader.read(part, new Recorder()).requireComplete();
        assertEquals(partial.records(), prefix.records(), at);
      }
    }
  }

  private static long headerLength(byte[] full) throws IOException {
    Path onlyHeader = results.resolve("header.log");
    for (int n = 1; n <= full.length; n++) {
      Files.write(onlyHeader, Arrays.copyOf(full, n));
      try {
        return SimulationLogReader.read(onlyHeader, new Recorder()).bytesRead();
      } catch (SimulationLogException e) {
        // still inside the header
      }
    }
    throw new AssertionError("no header");
  }
}
