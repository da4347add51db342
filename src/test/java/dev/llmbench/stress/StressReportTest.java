package dev.llmbench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StressReportTest {
  @TempDir Path dir;

  private static final StressCheck PASS = new StressCheck("sustained", "p95 drift", "+0.41 %/min", "<= 2 %/min",
      StressVerdict.PASS, "");
  private static final StressCheck SKIP = StressCheck.skipped("sustained", "memory growth", "no /metrics scrapes were taken");
  private static final StressCheck FAIL = new StressCheck("large-batch batch=200", "OOM", "1 of 5 requests", "= 0",
      StressVerdict.FAIL, "remedies: ...");

  @Test
  void passingReport() throws Exception {
    Path file = dir.resolve("run/stress.txt");
    StressReport.write(file, List.of(PASS, SKIP));
    assertEquals("PASS     sustained  p95 drift: +0.41 %/min <= 2 %/min\n"
        + "SKIPPED  sustained  memory growth: skipped -- no /metrics scrapes were taken\n"
        + "Stress verdict: PASS (2 checks, 1 skipped)\n", Files.readString(file));
    assertFalse(StressReport.failed(List.of(PASS, SKIP)));
    assertFalse(StressReport.failed(List.of(SKIP)), "skipped checks do not fail a run");
  }

  @Test
  void failingReportReplacesTheOldOneAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("stress.txt");
    Files.writeString(file, "old\nold\nold\nold\nold\n");
    StressReport.write(file, List.of(PASS, FAIL, SKIP));
    List<String> lines = Files.readAllLines(file);
    assertEquals(4, lines.size());
    assertEquals("FAIL     large-batch batch=200  OOM: 1 of 5 requests, not = 0 -- remedies: ...", lines.get(1));
    assertEquals("Stress verdict: FAIL (1 of 3 checks failed)", lines.get(3));
    assertTrue(StressReport.failed(List.of(PASS, FAIL, SKIP)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void noChecksIsNotAPass() {
    assertTrue(StressReport.failed(List.of()));
    assertEquals(List.of("Stress verdict: FAIL (no checks ran)"), StressReport.lines(List.of()));
    assertEquals("Stress verdict: PASS (1 check, 0 skipped)", StressReport.verdictLine(List.of(PASS)));
  }
}
