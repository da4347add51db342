package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Pareto frontier of the latency–throughput curve, and the rate a group's name carries. */
class LatencyThroughputTest {

  @Test
  void aPointWithLessThroughputAndMoreLatencyThanAnotherIsOffTheFrontier() {
    // tok/s against p99 ms: (100, 50) (200, 80) (150, 90) (300, 400) (250, 500)
    // (150, 90) is beaten by (200, 80); (250, 500) by (300, 400); the rest trade one for the other.
    boolean[] on = LatencyThroughput.frontier(new double[] {100, 200, 150, 300, 250},
        new double[] {50, 80, 90, 400, 500});
    assertArrayEquals(new boolean[] {true, true, false, true, false}, on);
  }

  @Test
  void equalThroughputKeepsOnlyTheLowerLatencyAndEqualPointsBothStay() {
    // Same throughput, more latency: dominated (better in one, no worse in the other).
    assertArrayEquals(new boolean[] {true, false},
        LatencyThroughput.frontier(new double[] {100, 100}, new double[] {10, 20}));
    // Same latency, less throughput: dominated.
    assertArrayEquals(new boolean[] {false, true},
        LatencyThroughput.frontier(new double[] {90, 100}, new double[] {10, 10}));
    // The same point twice: neither beats the other.
    assertArrayEquals(new boolean[] {true, true},
        LatencyThroughput.frontier(new double[] {100, 100}, new double[] {10, 10}));
  }

  @Test
  void oneBestPointDominatesAllOthers() {
    assertArrayEquals(new boolean[] {false, true, false},
        LatencyThroughput.frontier(new double[] {10, 30, 20}, new double[] {5, 1, 3}));
    assertArrayEquals(new boolean[0], LatencyThroughput.frontier(new double[0], new double[0]));
  }

  @Test
  void arraysOfDifferentLengthsAreAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LatencyThroughput.frontier(new double[] {1, 2}, new double[] {1}));
    assertEquals("throughput and latency need one value per point, but had 2 and 1", e.getMessage());
  }

  @Test
  void theConcurrencyComesFromAConcurrencyGroupsName() {
    assertEquals(8.0, LatencyThroughput.concurrency("chat@concurrency=8"));
    assertNull(LatencyThroughput.concurrency("chat@concurrency=0"));
    assertNull(LatencyThroughput.concurrency("chat@concurrency=2.5"));
    assertNull(LatencyThroughput.concurrency("chat@rate=2"));
    assertNull(LatencyThroughput.rate("chat@concurrency=8"));
  }

  @Test
  void theRateComesFromTheGroupsName() {
    assertEquals(2.5, LatencyThroughput.rate("chat@rate=2.5"));
    assertEquals(Double.POSITIVE_INFINITY, LatencyThroughput.rate("chat@rate=inf"));
    assertNull(LatencyThroughput.rate("chat"));
    assertNull(LatencyThroughput.rate("chat@rate=fast"));
    assertNull(LatencyThroughput.rate("chat@rate=0"));
  }
}
