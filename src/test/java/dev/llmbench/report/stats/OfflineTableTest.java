package dev.llmbench.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.report.model.OfflineRow;
import dev.llmbench.requests.RequestResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline table on hand-made batches: cut by send order, each at its last request, medians over batches. */
class OfflineTableTest {
  private static final String GROUP = OfflineTable.group("normal", 100, 3, 2);

  /** A request sent at {@code sentUs} whose tokens arrive at {@code tokensUs} (absolute, µs). */
  private static RequestResult request(String id, String group, boolean warmup, boolean ok, long sentUs,
      long... tokensUs) {
    long[] itl = new long[tokensUs.length - 1];
    for (int i = 1; i < tokensUs.length; i++) {
      itl[i - 1] = tokensUs[i] - tokensUs[i - 1];
    }
    return new RequestResult(id, group, warmup, ok, ok ? null : "boom", ok ? 200 : 500, 1_700_000_000_000_000L + sentUs,
        sentUs * 1_000, 100, 100, 3, tokensUs.length, "usage", tokensUs[0] - sentUs,
        tokensUs[tokensUs.length - 1] - sentUs, Double.NaN, itl, null, 0, 0, 0, null, null);
  }

  @Test
  void eachBatchIsTimedAtItsLastRequestAndTheRowHoldsTheMedians() {
    List<RequestResult> rows = new ArrayList<>(List.of(
        // A warm-up batch: left out.
        request("w1", GROUP, true, true, 0, 5, 6, 7),
        request("w2", GROUP, true, true, 0, 5, 6, 7),
        // Batch 1, released at 100: first tokens at 140 and 150; tokens 1 at 160, 170; tokens 2 at 190, 180.
        request("a1", GROUP, false, true, 100, 140, 160, 190),
        request("a2", GROUP, false, true, 101, 150, 170, 180),
        // Batch 2, released at 1_000: prefill 30, steps 20 and 40, E2E 90.
        request("b1", GROUP, false, true, 1_000, 1_030, 1_050, 1_090),
        request("b2", GROUP, false, true, 1_000, 1_010, 1_040, 1_080),
        // Batch 3, released at 2_000: prefill 70, steps 10 and 10, E2E 90.
        request("c1", GROUP, false, true, 2_000, 2_070, 2_080, 2_090),
        request("c2", GROUP, false, true, 2_000, 2_020, 2_030, 2_040)));
    java.util.Collections.reverse(rows); // the side file's order does not matter: the send stamps do
    List<OfflineRow> table = OfflineTable.of(rows);
    assertEquals(1, table.size());
    OfflineRow r = table.get(0);
    assertEquals(2, r.batchSize());
    assertEquals(100, r.inputLen());
    assertEquals(3, r.outputLen());
    assertEquals("normal", r.mode());
    assertEquals(3, r.batches());
    // Prefill: 50, 30, 70 µs; median 50. Median steps per batch: (20+20)/2=20, (20+40)/2=30, 10; median 20.
    // E2E: 90, 90, 90.
    assertEquals(50e-6, r.prefillLatencySec(), 1e-12);
    assertEquals(20e-6, r.medianDecodeLatencySec(), 1e-12);
    assertEquals(90e-6, r.e2eLatencySec(), 1e-12);
    assertEquals(100 * 2 / 50e-6, r.prefillThroughput(), 1e-3);
    assertEquals(2 / 20e-6, r.medianDecodeThroughput(), 1e-3);
    assertEquals((100 + 3) * 2 / 90e-6, r.e2eThroughput(), 1e-3);
  }

  @Test
  void aBatchWithAFailedRequestIsLeftOutAndCounted() {
    List<RequestResult> rows = List.of(
        request("a1", GROUP, false, true, 100, 140, 160, 190),
        request("a2", GROUP, false, false, 101, 150, 170, 180),
        request("b1", GROUP, false, true, 1_000, 1_030, 1_050, 1_090),
        request("b2", GROUP, false, true, 1_000, 1_010, 1_040, 1_080));
    OfflineRow r = OfflineTable.of(rows).get(0);
    assertEquals(1, r.batches());
    assertEquals(1, r.failedBatches());
    assertEquals(30e-6, r.prefillLatencySec(), 1e-12);
  }

  @Test
  void otherGroupsAreNotOffline() {
    assertTrue(OfflineTable.of(List.of(request("x", "random-256-256", false, true, 0, 1, 2))).isEmpty());
    assertTrue(OfflineTable.GROUP.matcher(OfflineTable.group("long_context", 8192, 10, 1)).matches());
    assertEquals("offline-long_context-8192-10@batch=1", OfflineTable.group("long_context", 8192, 10, 1));
    assertEquals(List.of(1L, 2L), Arrays.stream(OfflineTable.tokenTimes(request("t", GROUP, false, true, 0, 1, 2)))
        .map(n -> n / 1_000).boxed().toList());
  }
}
