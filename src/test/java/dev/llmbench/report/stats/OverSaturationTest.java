package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.Saturation;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Over-saturation on hand-made requests served by a model server: {@code SLOTS} requests at once, each
 * taking 0.4 s once it has a slot (TTFT = its wait for a slot + 50 ms), first come first served. Its
 * capacity is {@code SLOTS / 0.4} requests per second.
 */
class OverSaturationTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 987_654_321L;
  private static final int SLOTS = 2;
  private static final double SERVICE_SEC = 0.4;
  /** Requests per second the server completes at most. */
  private static final double CAPACITY = SLOTS / SERVICE_SEC;

  /**
   * Requests arriving at these times (s from the first), served by the server above: the rows the
   * side file would hold (the load generator sends each at its arrival: open model, no limit).
   */
  private static List<RequestResult> served(String group, double[] arrivals) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int i = 0; i < SLOTS; i++) {
      free.add(0.0);
    }
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 0; i < arrivals.length; i++) {
      double a = arrivals[i];
      double start = Math.max(a, free.poll());
      double end = start + SERVICE_SEC;
      free.add(end);
      long ttft = Math.round((start - a + 0.05) * 1e6);
      long e2e = Math.round((end - a) * 1e6);
      long sent = Math.round(a * S);
      rows.add(new RequestResult("r" + i, group, false, true, null, 200, 1_700_000_000_000_000L + sent / 1_000,
          T0 + sent, 10, 10, 10, 10, "usage", ttft, e2e, (e2e - ttft) / 9.0, new long[0], null));
    }
    return rows;
  }

  private static double[] times(List<Double> a) {
    return a.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void aComfortableConstantRateIsNotFlagged() {
    for (long seed = 1; seed <= 20; seed++) {
      // half the capacity, Poisson arrivals, 60 s
      Saturation s = OverSaturation.of(served("g", times(PoissonArrivals.of(new Random(seed), CAPACITY / 2, 0, 60))));
      assertNotNull(s, "judged");
      assertFalse(s.saturated(), "seed " + seed + ": " + s);
      assertNull(s.sinceSec());
    }
    // evenly spaced arrivals below the capacity: flat in flight, flat TTFT
    double[] even = new double[200];
    for (int i = 0; i < even.length; i++) {
      even[i] = i / (CAPACITY * 0.8);
    }
    assertFalse(OverSaturation.of(served("g", even)).saturated());
  }

  @Test
  void arrivalsThatOutrunTheServerAreFlaggedFromWhenTheyStarted() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      // 20 s comfortable, then 20 s at twice the capacity: the queue grows by CAPACITY per second
      List<Double> a = new ArrayList<>(PoissonArrivals.of(random, CAPACITY / 2, 0, 20));
      a.addAll(PoissonArrivals.of(random, CAPACITY * 2, 20, 20));
      double[] arrivals = times(a);
      double first = arrivals[0];
      Saturation s = OverSaturation.of(served("g", arrivals));
      assertTrue(s.saturated(), "seed " + seed + ": " + s);
      double since = 20 - first;
      assertTrue(Math.abs(s.sinceSec() - since) <= s.windowSec(),
          "seed " + seed + ": since " + s.sinceSec() + " s, overload from " + since + " s, window " + s.windowSec());
      assertTrue(s.inFlight().rising() && s.ttftMs().rising(), s.toString());
      // in flight grows by arrivals less completions: 2C - C = C per second; TTFT by 1 s per C queued, per second
      assertEquals(CAPACITY, s.inFlight().perSecond(), CAPACITY * 0.35, s.toString());
      assertEquals(1000.0, s.ttftMs().perSecond(), 350, s.toString());
      assertEquals(s.sinceSec(), s.fromSec());
    }
  }

  @Test
  void overloadFromTheStartIsFlaggedFromTheStart() {
    Saturation s = OverSaturation.of(served("g", times(PoissonArrivals.of(new Random(7), CAPACITY * 3, 0, 30))));
    assertTrue(s.saturated(), s.toString());
    assertTrue(s.sinceSec() <= s.windowSec(), s.toString());
    assertEquals(s.windows(), s.risingWindows(), "every window rose: " + s);
  }

  @Test
  void closedModelAndAllAtOnceRunsAreNotJudged() {
    List<RequestResult> overloaded = served("g", times(PoissonArrivals.of(new Random(3), CAPACITY * 3, 0, 30)));
    assertNull(summary(Map.of("requestRates", "[\"inf\"]"), overloaded).timeline("g").saturation());
    assertNull(summary(Map.of(), overloaded).timeline("g").saturation(), "no rate recorded: own injection");
    assertTrue(summary(Map.of("requestRates", "[\"15.0\"]"), overloaded).timeline("g").saturation().saturated());
    // several rates: each group by its name's rate
    List<RequestResult> both = new ArrayList<>(served("p@rate=15", times(PoissonArrivals.of(new Random(3), 15, 0, 30))));
    both.addAll(served("p@rate=inf", times(PoissonArrivals.of(new Random(4), 15, 0, 30))));
    RunSummary s = summary(Map.of("requestRates", "[\"15.0\",\"inf\"]"), both);
    assertTrue(s.timeline("p@rate=15").saturation().saturated());
    assertNull(s.timeline("p@rate=inf").saturation());
  }

  @Test
  void openModelIsReadFromTheRecordedRates() {
    assertTrue(OverSaturation.openModel(metadata(Map.of("requestRates", "[\"2.0\"]")), "random-128-8"));
    assertTrue(OverSaturation.openModel(metadata(Map.of("requestRates", "[2.0, 8.0]")), "x@rate=8"));
    assertFalse(OverSaturation.openModel(metadata(Map.of("requestRates", "[2.0, 8.0]")), "rate-8"), "unknown group");
    assertFalse(OverSaturation.openModel(metadata(Map.of("requestRates", "[\"inf\"]")), "g"));
    assertFalse(OverSaturation.openModel(metadata(Map.of()), "g"));
  }

  @Test
  void tooFewRequestsAreNotJudged() {
    assertNull(OverSaturation.of(served("g", new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8})));
    assertNull(OverSaturation.of(served("g", new double[12])), "all sent at once");
    assertNotNull(OverSaturation.of(served("g", new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9})));
  }

  private static RunSummary summary(Map<String, String> parameters, List<RequestResult> rows) {
    return ServingMetrics.summarize(metadata(parameters), rows);
  }

  private static RunMetadata metadata(Map<String, String> parameters) {
    return RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m", "http://127.0.0.1:8000",
        "", parameters);
  }

  @Test
  void aVerdictGivesItsStartExactlyWhenSaturated() {
    Saturation.Slope flat = new Saturation.Slope(0, -1, 1, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Saturation(true, null, 1, 3, 3, 0, 2, flat, flat));
    assertTrue(e.getMessage().startsWith("sinceSec must be given exactly when saturated"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Saturation(false, 1.0, 1, 3, 0, 0, 2, flat, flat));
    assertFalse(flat.rising());
    assertTrue(new Saturation.Slope(2, 0.5, 3.5, 10).rising());
  }
}
