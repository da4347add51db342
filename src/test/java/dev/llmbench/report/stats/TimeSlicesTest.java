package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.GroupTimeline;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.SteadyState;
import dev.llmbench.report.model.TimeSlice;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Time slices and the steady-state window on hand-made requests whose ramp-up, plateau and drain are
 * known: two at once, each 1 s long, one sent every 0.5 s from 0 to 2.5 s (the last one failed).
 */
class TimeSlicesTest {

  private static final double EPS = 1e-9;
  private static final long S = 1_000_000_000L;
  /** The monotonic clock's reading at the group's first send: any value, times are taken from it. */
  private static final long T0 = 123_456_789L;

  /** r1..r6 sent at 0, 0.5, ..., 2.5 s, each ending 1 s later; TTFT 100 ms times its number; r6 failed. */
  private static List<RequestResult> rows() {
    List<RequestResult> rows = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      rows.add(row("r" + i, i != 6, (i - 1) * S / 2, 100_000L * i));
    }
    rows.add(new RequestResult("w", "g", true, true, null, 200, 1, T0 - 5 * S, 10, 10, 10, 10, "usage", 1, 1, 0,
        new long[0], null)); // a warm-up long before: in no slice and not the group's start
    return rows;
  }

  private static RequestResult row(String id, boolean ok, long sentFromStart, long ttftMicros) {
    long e2e = 1_000_000;
    return new RequestResult(id, "g", false, ok, ok ? null : "boom", ok ? 200 : 500,
        1_700_000_000_000_000L + sentFromStart / 1_000, T0 + sentFromStart, 10, 10, 10, ok ? 10 : 0, "usage",
        ok ? ttftMicros : -1, e2e, ok ? (e2e - ttftMicros) / 9.0 : Double.NaN,
        ok ? new long[] {100_000, 100_000} : new long[0], null);
  }

  @Test
  void aRequestIsInTheSliceOfItsSend() {
    List<TimeSlice> slices = TimeSlices.of("g", rows(), 1.0).slices();
    assertEquals(3, slices.size());
    assertEquals(List.of(2L, 2L, 2L), slices.stream().map(TimeSlice::requests).toList());
    assertEquals(6, slices.stream().mapToLong(TimeSlice::requests).sum(), "every measured request once");
    TimeSlice last = slices.get(2);
    assertEquals(1, last.completed());
    assertEquals(1, last.failed());
    assertEquals(2.0, last.startSec(), EPS);
    assertEquals(3.0, last.endSec(), EPS, "a slice's length even when the drain runs on to 3.5 s");
    // Throughput over the slice's own span (first send to last end): slice 0 spans 0..1.5 s.
    assertEquals(2 / 1.5, slices.get(0).requestThroughput(), EPS);
    assertEquals(20 / 1.5, slices.get(0).outputThroughput(), EPS);
    assertEquals(1 / 1.5, last.requestThroughput(), EPS, "the failed request is not a completed one");
    // Slice 1 holds r3 and r4: TTFT 300 and 400 ms; two gaps of 100 ms each.
    assertEquals(350, slices.get(1).ttftMs().mean(), EPS);
    assertEquals(350, slices.get(1).ttftMs().median(), EPS);
    assertEquals(4, slices.get(1).itlMs().count());
    assertEquals(1_000, slices.get(1).e2eMs().p99(), EPS);
    // In flight: r1 the whole of slice 0 and r2 half of it; two at once afterwards.
    assertEquals(1.5, slices.get(0).meanInFlight(), EPS);
    assertEquals(2.0, slices.get(1).meanInFlight(), EPS);
    assertEquals(2.0, last.meanInFlight(), EPS);
  }

  @Test
  void anEmptySliceBetweenTwoIsListed() {
    List<RequestResult> rows = List.of(row("a", true, 0, 100_000), row("b", true, 5 * S / 2, 100_000));
    List<TimeSlice> slices = TimeSlices.of("g", rows, 1.0).slices();
    assertEquals(List.of(1L, 0L, 1L), slices.stream().map(TimeSlice::requests).toList());
    assertEquals(0, slices.get(1).requestThroughput(), EPS);
    assertEquals(0, slices.get(1).ttftMs().count());
    assertEquals(0, slices.get(1).meanInFlight(), EPS, "a ended at 1 s, b is sent at 2.5 s");
  }

  @Test
  void tooManySlicesAreRefusedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TimeSlices.of("g", rows(), 0.00001));
    assertEquals("slice.sec 1.0E-5 cuts a group's 2.5 s of sends into 250001 slices, more than 100000; give a "
        + "longer -Dslice.sec", e.getMessage());
  }

  @Test
  void steadyStateLeavesOutRampAndDrain() {
    SteadyState s = TimeSlices.of("g", rows(), null).steadyState();
    // In flight at each send: 1, 2, 2, 2, 2, 2: the median 2, the plateau ceil(1.8) = 2, first reached at r2.
    assertEquals(2, s.plateauInFlight());
    assertEquals(0.5, s.startSec(), EPS);
    assertEquals(2.5, s.endSec(), EPS, "the last send; the drain to 3.5 s is left out");
    assertEquals(5, s.requests(), "r2..r6");
    assertEquals(4, s.completed());
    // r1..r4 end within [0.5, 2.5] s: 4 requests, 40 tokens over 2 s.
    assertEquals(2.0, s.requestThroughput(), EPS);
    assertEquals(20.0, s.outputThroughput(), EPS);
    // TTFT of r2..r5: 200, 300, 400, 500 ms; numpy's p99 is 400 + 0.97 * 100.
    assertEquals(350, s.ttftMs().median(), EPS);
    assertEquals(497, s.ttftMs().p99(), EPS);
    assertEquals(1_000, s.e2eMs().median(), EPS);
  }

  @Test
  void oneRequestMakesAWindowOfNoLength() {
    SteadyState s = TimeSlices.of("g", List.of(row("a", true, 0, 100_000)), null).steadyState();
    assertEquals(0, s.startSec(), EPS);
    assertEquals(0, s.endSec(), EPS);
    assertEquals(1, s.requests());
    assertEquals(0, s.requestThroughput(), EPS, "no length, no rate");
  }

  @Test
  void withoutSliceLengthNoSlicesAndWithoutRequestsNoWindow() {
    GroupTimeline t = TimeSlices.of("g", rows(), null);
    assertTrue(t.slices().isEmpty());
    assertNull(TimeSlices.of("g", List.of(), 1.0).steadyState());
    assertTrue(TimeSlices.of("g", List.of(), 1.0).slices().isEmpty());
  }

  @Test
  void summaryCutsTheSlicesItsLoadParametersRecord() {
    RunSummary with = ServingMetrics.summarize(metadata(Map.of("sliceSec", "1.0")), rows());
    assertEquals(3, with.timeline("g").slices().size());
    RunSummary without = ServingMetrics.summarize(metadata(Map.of()), rows());
    assertTrue(without.timeline("g").slices().isEmpty());
    assertEquals(0.5, without.timeline("g").steadyState().startSec(), EPS, "steady state always");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServingMetrics.summarize(metadata(Map.of("sliceSec", "-1")), rows()));
    assertTrue(e.getMessage().startsWith("llm-run.json: sliceSec must be > 0"), e.getMessage());
  }

  private static RunMetadata metadata(Map<String, String> parameters) {
    return RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m", "http://127.0.0.1:8000",
        "", parameters);
  }
}
