package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.report.GatlingReportsOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer and the merge of shards' logs: written records read back as they were (both string coders,
 * the dictionary), the merge holds every shard's records on one clock and in time order, and Gatling's
 * own reports-only mode renders the merged log with the shards' requests summed.
 */
class SimulationLogMergeTest {
  private static final long START = 1_800_000_000_000L;
  private static final String VERSION = SimulationLogReader.SUPPORTED_GATLING_VERSION;
  private static final String SIMULATION = "simulations.ServingSimulation";
  private static final List<byte[]> OPAQUE = List.of(new byte[] {1, 2, 3});

  @TempDir
  Path dir;

  /**
   * A shard's log: {@code users} users of {@code scenario} starting {@code startOffset} ms after
   * {@link #START}, each sending {@code requestsEach} requests inside a group, every third one failed; its
   * header carries {@code assertions} as they are (Gatling's report unpickles them: give none to render it).
   */
  private static List<Object> shard(long startOffset, String scenario, String request, int users, int requestsEach,
      List<byte[]> assertions) {
    long start = START + startOffset;
    List<Object> records = new ArrayList<>();
    records.add(new RunHeader(VERSION, SIMULATION, start, "", List.of(scenario), assertions));
    long t = start;
    for (int u = 0; u < users; u++) {
      t += 7;
      records.add(new UserRecord(scenario, true, t));
      long groupStart = t;
      for (int r = 0; r < requestsEach; r++) {
        boolean ok = (u * requestsEach + r) % 3 != 0;
        records.add(new RequestRecord(List.of("phase-1"), request, t, t + 40, ok, ok ? "" : "HTTP 500 ≠ OK"));
        t += 41;
        if (!ok) {
          records.add(new ErrorRecord("HTTP 500 ≠ OK", t));
        }
      }
      records.add(new GroupRecord(List.of("phase-1"), groupStart, t, requestsEach * 40, true));
      records.add(new UserRecord(scenario, false, t));
    }
    return records;
  }

  private Path write(String name, List<Object> records) throws IOException {
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    Path log = folder.resolve("simulation.log");
    try (SimulationLogWriter out = new SimulationLogWriter(log, (RunHeader) records.get(0))) {
      for (Object r : records.subList(1, records.size())) {
        if (r instanceof RequestRecord q) {
          out.request(q);
        } else if (r instanceof UserRecord u) {
          out.user(u);
        } else if (r instanceof GroupRecord g) {
          out.group(g);
        } else {
          out.error((ErrorRecord) r);
        }
      }
    }
    return log;
  }

  private static List<Object> read(Path log) throws IOException {
    Recorder r = new Recorder();
    SimulationLogReader.read(log, r).requireComplete();
    return r.records;
  }

  /** The time a record is written at: a user's start or end, a request's or group's end, an error's time. */
  private static long writtenAt(Object r) {
    if (r instanceof RequestRecord q) {
      return q.endEpochMillis();
    } else if (r instanceof UserRecord u) {
      return u.epochMillis();
    } else if (r instanceof GroupRecord g) {
      return g.endEpochMillis();
    }
    return ((ErrorRecord) r).epochMillis();
  }

  private static Map<Object, Integer> counts(Collection<Object> records) {
    Map<Object, Integer> m = new HashMap<>();
    records.forEach(r -> m.merge(r, 1, Integer::sum));
    return m;
  }

  @Test
  void writtenRecordsReadBackAsTheyWere() throws IOException {
    List<Object> records = shard(0, "chat", "chat-Ω", 3, 4, OPAQUE);
    assertEquals(records, read(write("one", records)));
  }

  @Test
  void writesTheBytesOfTheFormatAsDocumented() throws IOException {
    List<Object> records = shard(0, "chat", "chat-Ω", 1, 2, OPAQUE);
    LogBytes expected = new LogBytes().runHeader(VERSION, SIMULATION, START, "", List.of("chat"));
    byte[] header = expected.toByteArray();
    // LogBytes writes no assertion; the shard's one is 3 bytes after the count.
    byte[] withAssertion = new LogBytes().raw(java.util.Arrays.copyOf(header, header.length - 4)).i32(1).i32(3)
        .raw(new byte[] {1, 2, 3}).toByteArray();
    LogBytes body = new LogBytes();
    for (Object r : records.subList(1, records.size())) {
      int rel = (int) (writtenAt(r) - START);
      if (r instanceof RequestRecord q) {
        body.request(q.groups(), q.name(), (int) (q.startEpochMillis() - START), rel, q.ok(), q.message());
      } else if (r instanceof UserRecord u) {
        body.user(0, u.start(), rel);
      } else if (r instanceof GroupRecord g) {
        body.group(g.groups(), (int) (g.startEpochMillis() - START), rel, g.cumulatedResponseTimeMillis(), g.ok());
      } else {
        body.error(((ErrorRecord) r).message(), rel);
      }
    }
    byte[] want = new LogBytes().raw(withAssertion).raw(body.toByteArray()).toByteArray();
    assertArrayEquals(want, Files.readAllBytes(write("bytes", records)));
  }

  @Test
  void mergeKeepsEveryShardsRecordsOnOneClockInTimeOrder() throws IOException {
    List<Object> a = shard(0, "chat", "chat", 4, 3, OPAQUE);
    List<Object> b = shard(250, "offline", "chat-Ω", 5, 2, List.of());
    Path target = dir.resolve("merged.log");
    SimulationLogMerge.Result result = SimulationLogMerge.merge(List.of(write("a", a), write("b", b)), target);
    List<Object> merged = read(target);

    RunHeader h = (RunHeader) merged.get(0);
    assertEquals(result.header(), h);
    assertEquals(START, h.startEpochMillis(), "the earliest shard's start");
    assertEquals(List.of("chat", "offline"), h.scenarios(), "every shard's scenarios");
    assertEquals(((RunHeader) a.get(0)).assertions().get(0).length, h.assertions().get(0).length);
    assertEquals(List.of(), result.problems());
    assertEquals(a.size() + b.size() - 1, merged.size(), "every record of each, one header");
    assertEquals(merged.size(), result.records());

    // The same records, with the same wall-clock times, request names and groups: nothing lost, nothing shifted.
    List<Object> both = new ArrayList<>(a.subList(1, a.size()));
    both.addAll(b.subList(1, b.size()));
    assertEquals(counts(both), counts(merged.subList(1, merged.size())));
    for (Class<?> type : List.of(RequestRecord.class, UserRecord.class, GroupRecord.class, ErrorRecord.class)) {
      assertEquals(both.stream().filter(type::isInstance).count(), merged.stream().filter(type::isInstance).count(),
          type.getSimpleName());
    }
    // Gatling's report counts concurrent users assuming user records move forward in time.
    long[] times = merged.stream().skip(1).mapToLong(SimulationLogMergeTest::writtenAt).toArray();
    for (int i = 1; i < times.length; i++) {
      assertTrue(times[i - 1] <= times[i], "record " + i + " is in time order");
    }
  }

  /** A count as Gatling's report shows it, with grouping commas. */
  private static long count(String shown) {
    return Long.parseLong(shown.replace(",", ""));
  }

  @Test
  void gatlingsReportsOnlyModeRendersTheMergedLog() throws Exception {
    List<Object> a = shard(0, "chat", "chat", 4, 3, List.of());
    List<Object> b = shard(250, "chat", "chat-Ω", 5, 2, List.of());
    Path run = dir.resolve("results").resolve("run-merged");
    Files.createDirectories(run);
    SimulationLogMerge.merge(List.of(write("a", a), write("b", b)), run.resolve("simulation.log"));

    Path index = GatlingReportsOnly.render(run);
    assertEquals(run.resolve("index.html").toAbsolutePath(), index);
    assertTrue(Files.isRegularFile(index));
    // Gatling's own global statistics (3.15 writes them into index.html's table, its first row being all
    // requests): the requests of both shards, each shard's failures.
    String html = Files.readString(index);
    long requests = Stream.concat(a.stream(), b.stream()).filter(RequestRecord.class::isInstance).count();
    long failed = Stream.concat(a.stream(), b.stream())
        .filter(r -> r instanceof RequestRecord q && !q.ok()).count();
    Matcher m = Pattern.compile("class=\"value total col-2\">([\\d,]+)</td>\\s*"
        + "<td class=\"value ok col-3\">([\\d,]+)</td>\\s*<td class=\"value ko col-4\">([\\d,]+)</td>").matcher(html);
    assertTrue(m.find(), html);
    assertEquals(requests, count(m.group(1)), "total");
    assertEquals(requests - failed, count(m.group(2)), "ok");
    assertEquals(failed, count(m.group(3)), "ko");
  }
}
