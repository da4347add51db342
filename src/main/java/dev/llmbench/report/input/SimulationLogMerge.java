package dev.llmbench.report.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Merges several {@code simulation.log} files of one run (its shards, one per injector) into one that
 * Gatling's reports-only mode renders as a single run. The logs are streamed side by side, one record
 * of each in memory, and written in time order: Gatling's report counts concurrent users on the
 * assumption that user records move forward in time ({@code SessionCounters}), so the logs are not
 * simply concatenated. A record's time is when Gatling wrote it: a user's start or end, a request's or
 * group's end, an error's time. Each log's own order is kept. As no record's time is later than when
 * it was written, and a user record's time is when it was written, the user records of all the logs come
 * out in time order even where a log holds other records out of order.
 *
 * <p>Times in a log are wall-clock milliseconds (stored relative to its run start, which the reader
 * adds back), so logs of machines with synchronized clocks merge without a shift. The merged header is
 * the first log's (Gatling version, simulation, description, assertions) with the earliest run start
 * and every log's scenarios (the first log's in its order, then any other's new ones). The string
 * dictionary is written afresh ({@link SimulationLogWriter}).
 */
public final class SimulationLogMerge {
  private SimulationLogMerge() {}

  /**
   * What was merged.
   *
   * @param header the merged log's run header
   * @param records records written, the run header included
   * @param problems one line per input log that was cut short or damaged (its records up to there are
   *     merged), empty when every log was read to its end
   */
  public record Result(RunHeader header, long records, List<String> problems) {}

  /** Writes the merge of {@code logs} (at least one) to {@code target}. */
  public static Result merge(List<Path> logs, Path target) throws IOException {
    if (logs.isEmpty()) {
      throw new IllegalArgumentException("no simulation.log to merge");
    }
    List<Source> sources = new ArrayList<>();
    try {
      for (Path log : logs) {
        sources.add(new Source(sources.size(), SimulationLogReader.open(log)));
      }
      RunHeader header = mergedHeader(sources.stream().map(s -> s.cursor.header()).toList());
      PriorityQueue<Source> queue = new PriorityQueue<>(
          Comparator.comparingLong((Source s) -> s.time).thenComparingInt(s -> s.index));
      for (Source s : sources) {
        if (s.advance()) {
          queue.add(s);
        }
      }
      long records;
      try (SimulationLogWriter out = new SimulationLogWriter(target, header)) {
        while (!queue.isEmpty()) {
          Source s = queue.poll();
          s.writeTo(out);
          if (s.advance()) {
            queue.add(s);
          }
        }
        records = out.records();
      }
      List<String> problems = new ArrayList<>();
      for (Source s : sources) {
        SimulationLogReader.Result r = s.cursor.result();
        if (r.partial()) {
          problems.add(r.stopReason());
        }
      }
      return new Result(header, records, List.copyOf(problems));
    } finally {
      for (Source s : sources) {
        s.cursor.close();
      }
    }
  }

  /** The first header, starting at the earliest start, with every header's scenarios. */
  static RunHeader mergedHeader(List<RunHeader> headers) {
    RunHeader first = headers.get(0);
    Set<String> scenarios = new LinkedHashSet<>();
    long start = first.startEpochMillis();
    for (RunHeader h : headers) {
      scenarios.addAll(h.scenarios());
      start = Math.min(start, h.startEpochMillis());
    }
    return new RunHeader(first.gatlingVersion(), first.simulationClassName(), start, first.runDescription(),
        List.copyOf(scenarios), first.assertions());
  }

  /** One input log and its next record, held until it is the earliest of all. */
  private static final class Source implements SimulationLogReader.Visitor {
    final int index;
    final SimulationLogReader.Cursor cursor;
    Object record;
    long time;

    Source(int index, SimulationLogReader.Cursor cursor) {
      this.index = index;
      this.cursor = cursor;
    }

    boolean advance() throws IOException {
      record = null;
      return cursor.next(this);
    }

    void writeTo(SimulationLogWriter out) throws IOException {
      if (record instanceof RequestRecord r) {
        out.request(r);
      } else if (record instanceof UserRecord u) {
        out.user(u);
      } else if (record instanceof GroupRecord g) {
        out.group(g);
      } else if (record instanceof ErrorRecord e) {
        out.error(e);
      }
    }

    @Override
    public void onRequest(RequestRecord r) {
      record = r;
      time = r.endEpochMillis();
    }

    @Override
    public void onUser(UserRecord u) {
      record = u;
      time = u.epochMillis();
    }

    @Override
    public void onGroup(GroupRecord g) {
      record = g;
      time = g.endEpochMillis();
    }

    @Override
    public void onError(ErrorRecord e) {
      record = e;
      time = e.epochMillis();
    }
  }
}
