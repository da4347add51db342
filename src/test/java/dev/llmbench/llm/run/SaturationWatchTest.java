package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.Saturation;
import java.util.ArrayList;
import java.util.Comparator;
import dev.llmbench.report.stats.PoissonArrivals;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live watch fed as a phase would feed it, in the order its events happen, and judged each second
 * as the run's timer does: requests sent at their arrivals to a server of {@code SLOTS} requests at once,
 * each taking {@code SERVICE_SEC} once it has a slot (TTFT = its wait for a slot + 50 ms), first come first
 * served (the server of {@code report.stats.OverSaturationTest}). Its capacity is {@code SLOTS / SERVICE_SEC}
 * requests per second.
 */
class SaturationWatchTest {
  private static final long S = 1_000_000_000L;
  /** Where the nanoTime clock stands at the phase's first send: near its wrap, which must not matter. */
  private static final long T0 = Long.MAX_VALUE - 7 * S;
  private static final int SLOTS = 2;
  private static final double SERVICE_SEC = 0.4;
  private static final double CAPACITY = SLOTS / SERVICE_SEC;

  /** A send or an end, at {@code at} seconds; an end carries its request's send and TTFT. */
  /** A send, a first token (its TTFT) or an end, at {@code at} s; kind orders events at one time: ends first. */
  private record Event(double at, int kind, double sentAt, double ttftSec) {
    static final int END = 0;
    static final int FIRST_TOKEN = 1;
    static final int SEND = 2;
  }

  /** What the watch said: its verdict (null: none), when seen (s), and the sends it had then. */
  private record Watched(Saturation verdict, double seenAt, int sendsBefore) {}

  /**
   * Feeds the requests arriving at {@code arrivals} (s, in order) to a watch, in the order of their sends
   * and ends, and judges it each second until the last end; stops at the first verdict.
   */
  private static Watched watch(SaturationWatch w, List<Double> arrivals) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int i = 0; i < SLOTS; i++) {
      free.add(0.0);
    }
    List<Event> events = new ArrayList<>();
    for (double a : arrivals) {
      double start = Math.max(a, free.poll());
      double end = start + SERVICE_SEC;
      free.add(end);
      events.add(new Event(a, Event.SEND, a, 0));
      events.add(new Event(start + 0.05, Event.FIRST_TOKEN, a, start - a + 0.05));
      events.add(new Event(end, Event.END, a, 0));
    }
    // Ends before sends at one time: a request that ends as another is sent is no longer in flight.
    events.sort(Comparator.comparingDouble(Event::at).thenComparingInt(Event::kind));
    double nextCheck = 1;
    int sends = 0;
    for (Event e : events) {
      while (e.at() > nextCheck) {
        if (w.check(nanos(nextCheck)) != null) {
          return new Watched(w.verdict(), nextCheck, sends);
        }
        nextCheck += 1;
      }
      if (e.kind() == Event.SEND) {
        w.sent(nanos(e.at()));
        sends++;
      } else if (e.kind() == Event.FIRST_TOKEN) {
        w.firstToken(nanos(e.sentAt()), Math.round(e.ttftSec() * 1e6));
      } else {
        w.ended();
      }
    }
    String line = w.check(nanos(nextCheck));
    return new Watched(line == null ? null : w.verdict(), nextCheck, sends);
  }

  private static long nanos(double sec) {
    return T0 + Math.round(sec * S);
  }

  private static SaturationWatch watch(boolean stop, long planned) {
    RunMonitor run = new RunMonitor();
    run.saturationPolicy(stop, true);
    return run.saturationWatch("g", planned);
  }

  @Test
  void arrivalsThreeTimesTheCapacityAreFlaggedFromTheStartOnceThereIsEnoughToJudge() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Double> arrivals = new ArrayList<>(List.of(0.0));
      arrivals.addAll(PoissonArrivals.of(new Random(seed), 3 * CAPACITY, 0, 60));
      SaturationWatch w = watch(false, arrivals.size());
      Watched seen = watch(w, arrivals);
      Saturation s = seen.verdict();
      assertNotNull(s, "seed " + seed);
      assertTrue(s.saturated());
      assertTrue(seen.seenAt() >= SaturationWatch.MIN_SECONDS, "not before the minimum time: " + seen);
      assertTrue(seen.sendsBefore() < arrivals.size() / 2, "seen in the first half of the phase: " + seen);
      // Overloaded from the first arrival, so any start is right that lies in what was judged: the sends
      // up to the latest that has ended (toSec), well behind the time it was seen, as the queue's wait.
      assertTrue(s.sinceSec() >= 0 && s.sinceSec() < s.toSec() && s.toSec() < seen.seenAt(), "seed " + seed + ": " + s
          + ", seen at " + seen.seenAt());
      assertTrue(s.inFlight().rising() && s.ttftMs().rising(), s.toString());
    }
  }

  @Test
  void anOverloadThatBeginsLaterIsFlaggedFromAboutItsStart() {
    double onset = 20;
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      List<Double> arrivals = new ArrayList<>(List.of(0.0));
      arrivals.addAll(PoissonArrivals.of(random, CAPACITY / 2, 0, onset));
      arrivals.addAll(PoissonArrivals.of(random, 3 * CAPACITY, onset, 40));
      Watched seen = watch(watch(false, arrivals.size()), arrivals);
      Saturation s = seen.verdict();
      assertNotNull(s, "seed " + seed);
      assertTrue(seen.seenAt() > onset, "seen after it began: " + seen);
      // The start is a window's start: one that holds the onset, or a window before whose chance rise at
      // half the capacity joins the run; never later than what was judged.
      assertTrue(s.sinceSec() > onset - 2 * s.windowSec() && s.sinceSec() < s.toSec(), "seed " + seed + ": " + s
          + ", seen at " + seen.seenAt());
    }
  }

  @Test
  void aComfortableConstantRateIsNeverFlagged() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Double> arrivals = new ArrayList<>(List.of(0.0));
      arrivals.addAll(PoissonArrivals.of(new Random(seed), CAPACITY / 2, 0, 60));
      Watched seen = watch(watch(false, arrivals.size()), arrivals);
      assertNull(seen.verdict(), "seed " + seed + ": " + seen);
    }
  }

  @Test
  void nothingIsJudgedBeforeTheMinimumTimeOrWithTooFewFirstTokens() {
    SaturationWatch w = watch(false, 1_000);
    // Overloaded: sends every 10 ms, and each ends with a TTFT that grows with its send.
    int n = (int) (SaturationWatch.MIN_SECONDS * 100) + 100;
    for (int i = 0; i < n; i++) {
      w.sent(nanos(i * 0.01));
    }
    for (int i = 0; i < n; i++) {
      w.firstToken(nanos(i * 0.01), 50_000 + i * 10_000L);
    }
    assertNull(w.check(nanos(SaturationWatch.MIN_SECONDS - 0.01)), "before the minimum time");
    SaturationWatch few = watch(false, 1_000);
    for (int i = 0; i < n; i++) {
      few.sent(nanos(i * 0.01));
    }
    for (int i = 0; i < SaturationWatch.MIN_ENDED - 1; i++) {
      few.firstToken(nanos(i * 0.01), 50_000 + i * 10_000L);
    }
    assertNull(few.check(nanos(SaturationWatch.MIN_SECONDS + 1)), "too few first tokens");
    // Enough of both: saturated at each check, said at the CONFIRMATIONS-th in a row, and only once.
    for (int i = 1; i < SaturationWatch.CONFIRMATIONS; i++) {
      assertNull(w.check(nanos(SaturationWatch.MIN_SECONDS + i)), "not yet confirmed at check " + i);
    }
    assertNotNull(w.check(nanos(SaturationWatch.MIN_SECONDS + SaturationWatch.CONFIRMATIONS)), "confirmed");
    assertNull(w.check(nanos(SaturationWatch.MIN_SECONDS + SaturationWatch.CONFIRMATIONS + 1)), "said once");
  }

  @Test
  void withStopOnSaturationTheVerdictStopsThePhaseAndTheRecordSaysSo() {
    List<Double> arrivals = new ArrayList<>(List.of(0.0));
    arrivals.addAll(PoissonArrivals.of(new Random(3), 3 * CAPACITY, 0, 60));
    SaturationWatch stopping = watch(true, arrivals.size());
    assertFalse(stopping.stopped(), "not before a verdict");
    Watched seen = watch(stopping, arrivals);
    assertTrue(stopping.stopped());
    RunDescription.LiveSaturation r = stopping.record();
    assertTrue(r.saturated() && r.stopped(), r.toString());
    assertEquals(seen.verdict().sinceSec(), r.sinceSec());
    assertEquals(seen.seenAt(), r.seenSec(), 1e-9);
    assertEquals(arrivals.size() - seen.sendsBefore(), r.notSent(), "the phase's requests not sent once it stopped");

    SaturationWatch telling = watch(false, arrivals.size());
    watch(telling, arrivals);
    assertFalse(telling.stopped(), "without stop.on.saturation the phase goes on");
    RunDescription.LiveSaturation told = telling.record();
    assertTrue(told.saturated() && !told.stopped() && told.notSent() == 0, told.toString());

    SaturationWatch idle = watch(true, 10);
    RunDescription.LiveSaturation none = idle.record();
    assertFalse(none.saturated() || none.stopped(), none.toString());
    assertNull(none.sinceSec());
  }
}
