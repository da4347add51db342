package dev.llmbench.report;

import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows Gatling's {@code simulation.log} should hold for the requests of the side file, by name, and
 * where the two disagree. The side file and the log are written by different code, so a count that
 * differs means one of them lost or invented rows.
 *
 * <p>Per measured stream request the log holds one request row (E2E, or KO E2E when it failed; a
 * pooling request's row is named for its action), and when it succeeded a TTFT row and, with more than
 * one token event, a TPOT row; per warm-up request one warm-up row. ITL rows, one per token gap of the
 * succeeded requests, are there only with {@code -Dgatling.itl.rows=true}: so their count is either
 * none or exactly that, and anything between is a mismatch. The report does not read the run's
 * settings for this: a log says by itself whether it has the gaps.
 */
public final class SimulationLogCheck {
  static final String TTFT = "TTFT";
  static final String ITL = "ITL";
  static final String TPOT = "TPOT";
  static final String WARMUP = "warm-up";

  private final Map<String, Long> logged = new TreeMap<>();

  /** Counts one request row of the log. */
  public void row(String name) {
    logged.merge(switch (name) {
      case TTFT, ITL, TPOT, WARMUP -> name;
      default -> "E2E";
    }, 1L, Long::sum);
  }

  /** How many rows of a kind were counted: {@code E2E} (a request's own row), TTFT, ITL, TPOT or warm-up. */
  public long logged(String kind) {
    return logged.getOrDefault(kind, 0L);
  }

  /** Where the counted rows and the side file's requests disagree, one sentence each; empty when they agree. */
  public List<String> mismatches(List<RequestResult> requests) {
    List<RequestResult> measured = requests.stream().filter(r -> !r.warmup()).toList();
    List<RequestResult> okStreams = measured.stream().filter(r -> r.ok() && r.ttftMicros() >= 0).toList();
    long gaps = okStreams.stream().mapToLong(r -> r.itlMicros().length).sum();
    List<String> problems = new ArrayList<>();
    expect(problems, "E2E", measured.size(), "measured requests");
    expect(problems, TTFT, okStreams.size(), "succeeded streams");
    expect(problems, TPOT, okStreams.stream().filter(r -> !Double.isNaN(r.tpotMicros())).count(),
        "succeeded streams with a TPOT");
    expect(problems, WARMUP, requests.size() - measured.size(), "warm-up requests");
    if (logged(ITL) != 0 && logged(ITL) != gaps) {
      problems.add("simulation.log has " + logged(ITL) + " ITL rows but " + RequestLogWriter.FILE_NAME + " has "
          + gaps + " token gaps in succeeded streams (with -Dgatling.itl.rows=true there is one row per gap, "
          + "without it none)");
    }
    return problems;
  }

  private void expect(List<String> problems, String kind, long expected, String what) {
    if (logged(kind) != expected) {
      problems.add("simulation.log has " + logged(kind) + " " + kind + " rows but " + RequestLogWriter.FILE_NAME
          + " has " + expected + " " + what);
    }
  }
}
