package dev.llmbench.report.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records' validation and ordering. */
class ModelTest {
  static final RunMetadata META = RunMetadata.of("run-1", "2026-01-01T00:00:00Z", "smoke", "vllm", "vllm-chat", "m",
      "http://127.0.0.1:8000", "", Map.of("b", "2", "a", "1"));

  static GroupMetrics group(String name, long completed, List<ErrorCount> errors) {
    long failed = errors.stream().mapToLong(ErrorCount::count).sum();
    Distribution d = new Distribution(completed, 1, 1, 0, 1, 1, 1, 1);
    return new GroupMetrics(name, completed, failed, 0, 0, 0, 1, 0, 0, 0, 0, 0,
        completed + failed == 0 ? 0 : (double) failed / (completed + failed), d, Distribution.EMPTY,
        Distribution.EMPTY, d, Distribution.EMPTY, Distribution.EMPTY, errors);
  }

  static RequestRow request(String id, String group) {
    return new RequestRow(id, group, false, true, 200, null, 1, 1, 1, Double.NaN, 1);
  }

  @Test
  void distributionRejectsNonFiniteAndNegativeStd() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Distribution(1, Double.NaN, 0, 0, 0, 0, 0, 0));
    assertEquals("mean must be finite, but was NaN", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Distribution(1, 0, 0, -1, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Distribution(-1, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void groupErrorsMustAddUpToFailedAndAreSorted() {
    GroupMetrics g = group("g", 2, List.of(new ErrorCount("b", 1), new ErrorCount("z", 3), new ErrorCount("a", 1)));
    assertEquals(List.of("z", "a", "b"), g.errors().stream().map(ErrorCount::message).toList());
    assertEquals(7, g.measured());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupMetrics("g", 1, 2, 0,
        0, 0, 1, 0, 0, 0, 0, 0, 0.5, new Distribution(1, 1, 1, 0, 1, 1, 1, 1), Distribution.EMPTY,
        Distribution.EMPTY, new Distribution(1, 1, 1, 0, 1, 1, 1, 1), Distribution.EMPTY, Distribution.EMPTY,
        List.of(new ErrorCount("x", 1))));
    assertEquals("group 'g': errors must add up to failed = 2, but add up to 1", e.getMessage());
  }

  @Test
  void groupClientQueueHasAtMostOneValuePerCompletedRequestAndE2eIncludingItOnePerQueueTime() {
    Distribution two = new Distribution(2, 1, 1, 0, 1, 1, 1, 1);
    Distribution three = new Distribution(3, 1, 1, 0, 1, 1, 1, 1);
    GroupMetrics g = group("g", 2, List.of());
    GroupMetrics queued = withQueue(g, two, two);
    assertEquals(two, queued.clientQueueTimeMs());
    assertEquals(null, withQueue(g, two, null).e2elIncludingClientQueueMs(), "an infinite rate: queue time only");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withQueue(g, three, null));
    assertEquals("group 'g': client queue time must have at most one value per completed request (2), but had 3",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> withQueue(g, null, two), "E2E including no queue time");
    assertThrows(IllegalArgumentException.class, () -> withQueue(g, two, new Distribution(1, 1, 1, 0, 1, 1, 1, 1)));
  }

  private static GroupMetrics withQueue(GroupMetrics g, Distribution queue, Distribution e2eWithQueue) {
    return new GroupMetrics(g.group(), g.completed(), g.failed(), g.totalInputTokens(), g.totalInputTokensPlanned(),
        g.totalOutputTokens(), g.durationSeconds(), g.requestThroughput(), g.inputThroughput(), g.outputThroughput(),
        g.totalThroughput(), g.concurrency(), g.errorRate(), g.ttftMs(), g.tpotMs(), g.itlMs(), g.e2eMs(),
        g.itlPerTokenMs(), g.tokensPerChunk(), g.errors(), g.ttftHistogram(), g.tpotHistogram(), g.itlHistogram(),
        g.chunkTokensUnknown(), g.totalItems(), g.itemThroughput(), g.goodput(), queue, e2eWithQueue);
  }

  @Test
  void groupRejectsAnErrorRateOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new GroupMetrics("g", 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1.5,
        Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY,
        Distribution.EMPTY, List.of()));
  }

  @Test
  void metadataSortsParametersAndRefusesCredentialsInTheUrl() {
    assertEquals(List.of("a", "b"), new ArrayList<>(META.parameters().keySet()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunMetadata.of("r", "", "p",
        "f", "b", "m", "http://user:secret@host:8000", "", Map.of()));
    assertEquals("targetUrl must not carry credentials, but was http://***@host:8000", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RunMetadata.of(" ", "", "p", "f", "b", "m", "", "", Map.of()));
  }

  @Test
  void summaryKeepsTheGroupsInTheirRunOrderAndSortsRequestsByNumericId() {
    RunSummary s = new RunSummary(META, List.of(group("b", 1, List.of()), group("a", 1, List.of())),
        List.of(request("r-10", "a"), request("r-2", "b"), request("r-1", "a"), request("q-99", "a")));
    assertEquals(List.of("b", "a"), s.groups().stream().map(GroupMetrics::group).toList(), "as given: the run's order");
    assertEquals(List.of("q-99", "r-1", "r-2", "r-10"), s.requests().stream().map(RequestRow::requestId).toList());
  }

  @Test
  void requestIdsCompareByTheirTextThenTheirTrailingNumber() {
    List<String> ids = new ArrayList<>(List.of("r-010", "r-10", "r-9", "r-", "r", "q-99", "r-0", "r-00", "r-1x", "7",
        "07", "", "r-1", "s-0"));
    ids.sort(RequestRow::compareIds);
    assertEquals(List.of("", "07", "7", "q-99", "r", "r-", "r-0", "r-00", "r-1", "r-9", "r-010", "r-10", "r-1x", "s-0"),
        ids);
  }

  @Test
  void requestIdOrderIsTheRuleAsFirstWrittenWithSubstringsAndARegex() {
    // The rule as it was first written (a substring and a regex per comparison): the order must not change.
    java.util.Comparator<String> asWritten = (a, b) -> {
      int sa = a.length();
      while (sa > 0 && Character.isDigit(a.charAt(sa - 1)) && a.charAt(sa - 1) < 128) {
        sa--;
      }
      int sb = b.length();
      while (sb > 0 && Character.isDigit(b.charAt(sb - 1)) && b.charAt(sb - 1) < 128) {
        sb--;
      }
      int c = a.substring(0, sa).compareTo(b.substring(0, sb));
      if (c != 0) {
        return c;
      }
      String da = a.substring(sa).replaceFirst("^0+(?=.)", "");
      String db = b.substring(sb).replaceFirst("^0+(?=.)", "");
      c = Integer.compare(da.length(), db.length());
      return c != 0 ? c : (c = da.compareTo(db)) != 0 ? c : a.compareTo(b);
    };
    java.util.Random random = new java.util.Random(28);
    String alphabet = "0012-9ab٣";
    for (int i = 0; i < 20_000; i++) {
      String a = randomId(random, alphabet);
      String b = random.nextInt(4) == 0 ? a : randomId(random, alphabet);
      assertEquals(Integer.signum(asWritten.compare(a, b)), Integer.signum(RequestRow.compareIds(a, b)),
          "'" + a + "' against '" + b + "'");
    }
  }

  private static String randomId(java.util.Random random, String alphabet) {
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(7); n > 0; n--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  @Test
  void summaryRejectsDuplicateGroupsAndRequestsOfUnknownGroups() {
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new RunSummary(META,
        List.of(group("a", 1, List.of()), group("a", 1, List.of())), List.of()));
    assertEquals("run run-1: group 'a' appears more than once", dup.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new RunSummary(META,
        List.of(group("a", 1, List.of())), List.of(request("r-1", "zzz"))));
    assertEquals("run run-1: request r-1 is in group 'zzz', which has no metrics", unknown.getMessage());
  }
}
