package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.llm.stream.LlmMetrics;
import dev.llmbench.report.SimulationLogCheck;
import dev.llmbench.requests.RequestResult;
import io.gatling.charts.stats.GeneralStats;
import io.gatling.charts.stats.Group;
import io.gatling.charts.stats.LogFileData;
import io.gatling.charts.stats.LogFileReader;
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
import java.util.TreeMap;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/** Checks of a log read by {@link SimulationLogReader} against other views of the same run. */
final class LogChecks {
  private LogChecks() {}

  static List<RequestRecord> requests(List<Object> records) {
    return records.stream().filter(RequestRecord.class::isInstance).map(RequestRecord.class::cast).toList();
  }

  /**
   * Per group (the side file's group is the outermost Gatling group): OK E2E and TTFT rows = OK
   * requests, ITL rows = their gaps when the run logged them ({@code -Dgatling.itl.rows=true}) and none
   * otherwise, TPOT rows, KO E2E rows = failed requests with their messages, warm-up rows = warm-up
   * requests, and the OK E2E times in whole ms as the action logs them.
   */
  static void assertCountsMatchSideFile(List<Object> records, List<RequestResult> side, boolean itlRows) {
    assertFalse(side.isEmpty());
    Map<String, List<RequestResult>> byGroup = new TreeMap<>();
    side.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
    Map<String, List<RequestRecord>> logByGroup = new TreeMap<>();
    requests(records).forEach(r -> logByGroup.computeIfAbsent(r.groups().isEmpty() ? "" : r.groups().get(0),
        g -> new ArrayList<>()).add(r));
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
      assertEquals(itlRows ? ok.stream().mapToLong(r -> r.itlMicros().length).sum() : 0,
          logged.stream().filter(r -> r.name().equals(LlmMetrics.ITL)).count(), g + ": ITL rows");
      assertEquals(ok.stream().filter(r -> !Double.isNaN(r.tpotMicros())).count(),
          count(logged, LlmMetrics.TPOT, true), g + ": TPOT rows");
      assertEquals(rows.stream().filter(RequestResult::warmup).count(),
          logged.stream().filter(r -> r.name().equals(LlmMetrics.WARMUP)).count(), g + ": warm-up rows");
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
   * Count, min, max and mean per group and request name, as Gatling's own reader computes them from
   * the same log, exactly; its percentiles come from a t-digest, so each must lie between the two
   * samples around its rank (give or take its rounding).
   */
  static void assertStatsMatchGatling(Path log, List<Object> records) {
    LogFileData gatling = new LogFileReader(log.toFile(), GatlingConfiguration.load()).read();
    Map<List<String>, List<Integer>> byKey = new HashMap<>();
    for (RequestRecord r : requests(records)) {
      List<String> key = new ArrayList<>(r.groups());
      key.add(r.name());
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r.responseTimeMillis());
    }
    assertTrue(byKey.size() >= 3, "E2E, TTFT, TPOT at least: " + byKey.keySet());
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
      // Gatling's percentiles come from a t-digest, whose guarantee is on rank, not on value: in a
      // sparse tail one rank can be milliseconds from the next. So Gatling's value must sit at the
      // requested rank of our exact samples, within one percentage point (the digest's accuracy).
      for (double rank : new double[] {50, 75, 90, 95, 99}) {
        int p = (Integer) theirs.percentile().apply(rank);
        int n = ours.length;
        long below = Arrays.stream(ours).filter(v -> v < p).count();
        long atOrBelow = Arrays.stream(ours).filter(v -> v <= p).count();
        double q = rank / 100;
        assertTrue((double) below / n <= q + 0.01 && (double) atOrBelow / n >= q - 0.01,
            String.format(Locale.ROOT, "%s p%.0f: Gatling says %d, which lies between ranks %.4f and %.4f of our "
                + "%d samples", where, rank, p, (double) below / n, (double) atOrBelow / n, n));
      }
    }
  }

  /**
   * Every group's rows carry the times of the requests inside it, as Gatling's HTTP requests' groups
   * do: per group, the sum of its rows' cumulated response times is the sum of its request rows'
   * times (E2E, OK or KO, warm-up, a pooling request's row: each request once, not its TTFT, ITL or
   * TPOT rows; a row of 0 ms counts 1, as Gatling counts it), and is not zero; Gatling's own reader sees the same group rows.
   */
  static void assertGroupsCarryTheirRequests(Path log, List<Object> records) {
    List<GroupRecord> groups = records.stream().filter(GroupRecord.class::isInstance).map(GroupRecord.class::cast)
        .toList();
    assertFalse(groups.isEmpty(), "the run has group rows");
    LogFileData gatling = new LogFileReader(log.toFile(), GatlingConfiguration.load()).read();
    Map<List<String>, List<GroupRecord>> byPath = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    groups.forEach(g -> byPath.computeIfAbsent(g.groups(), k -> new ArrayList<>()).add(g));
    List<String> perEvent = List.of(LlmMetrics.TTFT, LlmMetrics.ITL, LlmMetrics.TPOT);
    for (var e : byPath.entrySet()) {
      List<String> path = e.getKey();
      long cumulated = e.getValue().stream().mapToLong(GroupRecord::cumulatedResponseTimeMillis).sum();
      long requests = requests(records).stream()
          .filter(r -> r.groups().size() >= path.size() && r.groups().subList(0, path.size()).equals(path))
          // Gatling charges a group at least 1 ms per request (ResponseTimings.responseTime): a fast KO is 0 ms.
          .filter(r -> !perEvent.contains(r.name())).mapToLong(r -> Math.max(1, r.responseTimeMillis())).sum();
      assertTrue(cumulated > 0, path + ": the group rows' cumulated response time is not zero");
      assertEquals(requests, cumulated, path + ": the group rows' cumulated time is their requests' E2E");
      GeneralStats theirs = gatling.groupCumulatedResponseTimeGeneralStats(
          new Group(CollectionConverters.asScala(path).toList()), Option.empty()).get();
      assertEquals(e.getValue().size(), theirs.count(), path + ": Gatling's count of the group's rows");
      assertEquals(e.getValue().stream().mapToInt(GroupRecord::cumulatedResponseTimeMillis).max().orElseThrow(),
          theirs.max(), path + ": Gatling's largest cumulated time of the group");
    }
  }

  /**
   * The post-run step's cross-check ({@link SimulationLogCheck}) fed the log's request rows, with one
   * row named {@code extra} added and the first named {@code dropped} left out (either null for none).
   */
  static SimulationLogCheck crossCheck(List<Object> records, String extra, String dropped) {
    SimulationLogCheck check = new SimulationLogCheck();
    boolean[] left = {dropped == null};
    for (RequestRecord r : requests(records)) {
      if (!left[0] && r.name().equals(dropped)) {
        left[0] = true;
        continue;
      }
      check.row(r.name());
    }
    assertTrue(left[0], "the log has a " + dropped + " row to leave out");
    if (extra != null) {
      check.row(extra);
    }
    return check;
  }

  /**
   * The log cut at {@code cut}: the records before the cut, in order, and a partial result that
   * names the cut and the start of the record it ends in; that start is a record boundary.
   */
  static void assertPrefixReads(byte[] full, int cut, List<Object> records, Path dir) throws IOException {
    Path part = dir.resolve("cut-" + cut + ".log");
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
      assertTrue(partial.stopReason().contains("starts at byte offset " + partial.bytesRead()), partial.stopReason());
      Files.write(part, Arrays.copyOf(full, (int) partial.bytesRead()));
      SimulationLogReader.Result prefix = SimulationLogReader.read(part, new Recorder()).requireComplete();
      assertEquals(partial.records(), prefix.records(), at);
    }
    Files.delete(part);
  }

  /** Length of the run header: the shortest prefix that reads without an exception. */
  static int headerLength(byte[] full, Path dir) throws IOException {
    Path onlyHeader = dir.resolve("header.log");
    for (int n = 1; n <= full.length; n++) {
      Files.write(onlyHeader, Arrays.copyOf(full, n));
      try {
        return (int) SimulationLogReader.read(onlyHeader, new Recorder()).bytesRead();
      } catch (SimulationLogException e) {
        // still inside the header
      }
    }
    throw new AssertionError("no whole run header");
  }
}
