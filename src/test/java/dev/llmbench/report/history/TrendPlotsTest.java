package dev.llmbench.report.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the trend plots draw each run. */
class TrendPlotsTest {
  private static HistoryRow row(String date, String group) {
    return new HistoryRow(Instant.parse(date), "emulator", "smoke", "smoke-x", group, Map.of());
  }

  @Test
  void overDaysARunSitsAtNoonOfItsDayAndALaterOneOfTheSameDayAnHourAfter() {
    HistoryRow late = row("2026-12-04T23:30:00Z", "g");
    HistoryRow again = row("2026-12-04T23:50:00Z", "g");
    HistoryRow other = row("2026-12-04T23:55:00Z", "h");
    HistoryRow next = row("2026-12-05T00:10:00Z", "g");
    Map<HistoryRow, Instant> at = TrendPlots.positions(List.of(late, again, other, next), true);
    assertEquals(Instant.parse("2026-12-04T12:00:00Z"), at.get(late), "over its own day, not the next day's tick");
    assertEquals(Instant.parse("2026-12-04T13:00:00Z"), at.get(again));
    assertEquals(Instant.parse("2026-12-04T12:00:00Z"), at.get(other), "each group counts its own runs");
    assertEquals(Instant.parse("2026-12-05T12:00:00Z"), at.get(next));
  }

  @Test
  void withinTwoDaysARunSitsWhereItHappened() {
    HistoryRow a = row("2026-12-04T23:30:00Z", "g");
    HistoryRow b = row("2026-12-04T23:50:00Z", "g");
    Map<HistoryRow, Instant> at = TrendPlots.positions(List.of(a, b), false);
    assertEquals(a.date(), at.get(a));
    assertEquals(b.date(), at.get(b));
  }
}
