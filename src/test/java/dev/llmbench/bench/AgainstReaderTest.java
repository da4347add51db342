package dev.llmbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark sets the simulation against the minimal reader of the same pass and stream count. */
class AgainstReaderTest {
  /** A row whose load window cost {@code loadMicros} per event and whose whole life {@code lifeMicros} (marginal). */
  private static InjectorBenchmark.Row row(int pass, String client, int streams, double loadMicros, double lifeMicros) {
    return row(pass, client, streams, loadMicros, lifeMicros, Double.NaN);
  }

  /** As above, its large run's TTFT error {@code ttftP50} ms at the median. */
  private static InjectorBenchmark.Row row(int pass, String client, int streams, double loadMicros, double lifeMicros,
      double ttftP50) {
    long smallEvents = 100_000;
    long largeEvents = 300_000;
    InjectorBenchmark.Run small = run(streams, smallEvents, 1_000_000_000L, Double.NaN);
    InjectorBenchmark.Run large = run(streams, largeEvents,
        1_000_000_000L + Math.round(lifeMicros * 1_000 * (largeEvents - smallEvents)), ttftP50);
    return new InjectorBenchmark.Row(pass, client, streams, small, large, loadMicros, Map.of());
  }

  private static InjectorBenchmark.Run run(int streams, long events, long lifeCpuNanos, double ttftP50) {
    InjectorBenchmark.Quantiles none = new InjectorBenchmark.Quantiles(Double.NaN, Double.NaN);
    InjectorBenchmark.Quantiles ttft = new InjectorBenchmark.Quantiles(ttftP50, Double.NaN);
    return new InjectorBenchmark.Run(streams, 1, 0, events, 1, 1, 1, 0, 0, ttft, none, none, none, none, "valid",
        Map.of(), 0, lifeCpuNanos, events, Double.NaN);
  }

  @Test
  void eachSimulationRowIsSetAgainstTheReaderOfItsPassAndStreamCount() {
    List<InjectorBenchmark.AgainstReader> ratios = InjectorBenchmark.againstReader(List.of(
        row(1, "gatling", 64, 8.0, 9.0, 0.6), row(1, "reference", 64, 5.0, 6.0, 0.4),
        row(1, "gatling", 256, 6.0, 7.5, 1.2), row(1, "reference", 256, 4.0, 4.0, 1.9),
        row(2, "gatling", 64, 7.0, 7.2, 0.5), row(2, "reference", 64, 5.0, 5.0, 0.3),
        row(2, "gatling", 256, 6.0, 6.5))); // no reader in this pass at 256 streams: no ratio
    assertEquals(3, ratios.size());
    InjectorBenchmark.AgainstReader first = ratios.get(0);
    assertEquals(1, first.pass());
    assertEquals(64, first.streams());
    assertEquals(1.6, first.loadRatio(), 1e-9);
    assertEquals(1.5, first.wholeRatio(), 1e-6);
    assertTrue(first.withinBar(), "1.5 times is within the bar");
    assertEquals(1.875, ratios.get(1).wholeRatio(), 1e-6);
    assertFalse(ratios.get(1).withinBar());
    assertEquals(2, ratios.get(2).pass());
    assertEquals(1.44, ratios.get(2).wholeRatio(), 1e-6);

    StringBuilder md = new StringBuilder();
    InjectorBenchmark.againstReader(md, ratios);
    // Each ratio beside the TTFT errors of the two clients' large runs: the accuracy the CPU bought.
    assertTrue(md.toString().contains("| 1 | 64 | 1.60 | 1.50 | yes | 0.60 / 0.40 |"), md.toString());
    assertTrue(md.toString().contains("| 1 | 256 | 1.50 | 1.88 | no | 1.20 / 1.90 |"), md.toString());
    assertEquals(1.2, ratios.get(1).ttftErrorP50(), 1e-9);
    assertEquals(1.9, ratios.get(1).readerTtftErrorP50(), 1e-9);
    assertTrue(md.toString().contains("Within the bar in 2 of 3."), md.toString());
    // 64 streams in two passes (1.50 and 1.44 whole, 1.60 and 1.40 load): their medians; 256 in one
    List<InjectorBenchmark.AgainstReaderMedian> medians = InjectorBenchmark.medians(ratios);
    assertEquals(2, medians.size());
    assertEquals(64, medians.get(0).streams());
    assertEquals(2, medians.get(0).passes());
    assertEquals(1.5, medians.get(0).loadRatio(), 1e-9);
    assertEquals(1.47, medians.get(0).wholeRatio(), 1e-6);
    assertTrue(medians.get(0).withinBar());
    assertEquals(1, medians.get(1).passes());
    assertFalse(medians.get(1).withinBar());
    // 64 streams: TTFT error medians of 0.6 and 0.5 (simulation), 0.4 and 0.3 (reader)
    assertEquals(0.55, medians.get(0).ttftErrorP50(), 1e-9);
    assertEquals(0.35, medians.get(0).readerTtftErrorP50(), 1e-9);
    assertTrue(md.toString().contains("| 64 | 2 | 1.50 | 1.47 | yes | 0.55 / 0.35 |"), md.toString());
    assertTrue(md.toString().contains("| 256 | 1 | 1.50 | 1.88 | no | 1.20 / 1.90 |"), md.toString());
    assertTrue(md.toString().contains("The median within the bar at 1 of 2 stream counts."), md.toString());
  }

  /** The median of three passes is the middle one, and a single pass per stream count prints no median table. */
  @Test
  void theBarIsJudgedOnTheMedianOfThePasses() {
    List<InjectorBenchmark.AgainstReader> three = InjectorBenchmark.againstReader(List.of(
        row(1, "gatling", 128, 8.0, 9.5), row(1, "reference", 128, 5.0, 5.0),
        row(2, "gatling", 128, 7.0, 7.0), row(2, "reference", 128, 5.0, 5.0),
        row(3, "gatling", 128, 9.0, 7.25), row(3, "reference", 128, 5.0, 5.0)));
    InjectorBenchmark.AgainstReaderMedian m = InjectorBenchmark.medians(three).get(0);
    assertEquals(3, m.passes());
    assertEquals(1.6, m.loadRatio(), 1e-9);
    assertEquals(1.45, m.wholeRatio(), 1e-6);
    assertTrue(m.withinBar(), "1.9, 1.4 and 1.45: the median 1.45 is within the bar though one pass is not");

    StringBuilder md = new StringBuilder();
    InjectorBenchmark.againstReader(md, InjectorBenchmark.againstReader(List.of(
        row(1, "gatling", 64, 8.0, 9.0), row(1, "reference", 64, 5.0, 6.0))));
    assertFalse(md.toString().contains("median"), md.toString());
  }

  @Test
  void withoutTheReaderThereIsNoComparison() {
    List<InjectorBenchmark.AgainstReader> ratios = InjectorBenchmark.againstReader(
        List.of(row(1, "gatling", 64, 8.0, 9.0)));
    assertTrue(ratios.isEmpty());
    StringBuilder md = new StringBuilder();
    InjectorBenchmark.againstReader(md, ratios);
    assertEquals("", md.toString());
  }

  @Test
  void theLargeSizeGetsMoreRoundsWhereTheSizesWouldDifferByTooFewRequests() {
    // 64 streams at rounds 2,8 differ by 384 requests: raised to 2 + 24 rounds, 1,536 requests more.
    assertEquals(26, InjectorBenchmark.largeRounds(64, 2, 8, 1536));
    // 256 streams differ by 1,536 already, 1,000 by 6,000: their rounds stay.
    assertEquals(8, InjectorBenchmark.largeRounds(256, 2, 8, 1536));
    assertEquals(8, InjectorBenchmark.largeRounds(1000, 2, 8, 1536));
    // Rounded up: 100 streams need 16 more rounds (1,600 requests), not 15 (1,500).
    assertEquals(18, InjectorBenchmark.largeRounds(100, 2, 8, 1536));
    assertEquals(8, InjectorBenchmark.largeRounds(64, 2, 8, 0));
  }
}
