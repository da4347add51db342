package dev.llmbench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.tools.Nightly.RunOutcome;
import dev.llmbench.tools.Nightly.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped nightly.json, the exit code's precedence and the summary's layout, without a run. */
class NightlyConfigTest {
  @TempDir
  Path dir;

  @Test
  void theShippedConfigReadsAndNamesSimulationsThatExist() {
    NightlyConfig config = NightlyConfig.read(Path.of("nightly.json"));
    assertTrue(config.targetUrl() == null, "the embedded emulator, so that it runs as shipped");
    assertFalse(config.entries().isEmpty());
    config.entries().forEach(Nightly::requireSimulation);
    assertTrue(config.entries().stream().anyMatch(NightlyConfig.Entry::stress), "a stress entry, for --stress");
    assertTrue(config.entries().stream().anyMatch(e -> !e.stress()), "entries that run every night");
  }

  private static RunOutcome outcome(String name, Verdict v, String why) {
    return new RunOutcome(name, "simulations.SmokeSimulation", v == Verdict.FAILED ? null : Path.of("reports", name),
        v, why, v == Verdict.FAILED ? null : 0, Duration.ofMillis(1500));
  }

  @Test
  void aFailedRunOutranksARegressionWhichOutranksAClientBoundRun() {
    RunOutcome ok = outcome("a", Verdict.OK, "");
    RunOutcome clientBound = outcome("b", Verdict.CLIENT_BOUND, "not judged");
    RunOutcome regression = outcome("c", Verdict.REGRESSION, "worse");
    RunOutcome failedVerdict = outcome("d", Verdict.FAILED_VERDICT, "a check failed");
    RunOutcome failed = outcome("e", Verdict.FAILED, "no result folder");
    assertEquals(Nightly.CLEAN, Nightly.exitCode(List.of(ok, clientBound), 0));
    assertEquals(Nightly.REGRESSION, Nightly.exitCode(List.of(ok, regression), 0));
    assertEquals(Nightly.REGRESSION, Nightly.exitCode(List.of(failedVerdict, ok), 0));
    assertEquals(Nightly.RUN_FAILED, Nightly.exitCode(List.of(regression, failed), 0));
    assertEquals(Nightly.RUN_FAILED, Nightly.exitCode(List.of(ok), 2), "a failed history update");
    assertEquals(Nightly.CLEAN, Nightly.exitCode(List.of(), 0), "nothing to run: nothing wrong");
  }

  @Test
  void theTableAndTheMarkdownNameEveryRunAndWhy() throws Exception {
    List<RunOutcome> runs = List.of(outcome("smoke", Verdict.OK, ""), outcome("down", Verdict.FAILED,
        "no result folder | exit code 1"));
    String table = NightlySummary.table(runs);
    List<String> lines = table.lines().toList();
    assertEquals(4, lines.size(), table);
    assertTrue(lines.get(0).startsWith("entry"), table);
    assertTrue(lines.get(1).startsWith("smoke") && lines.get(1).contains("ok"), table);
    assertTrue(lines.get(2).startsWith("down") && lines.get(2).contains("FAILED"), table);
    assertEquals("no result folder | exit code 1", lines.get(3).strip(), "the reason under its run");
    NightlySummary s = new NightlySummary(Instant.parse("2026-12-07T02:00:00Z"), Instant.parse("2026-12-07T02:10:00Z"),
        3, false, "smoke", 30, 0, 3, runs);
    assertTrue(s.markdown().contains("| down | - | FAILED (no result folder \\| exit code 1) |"), s.markdown());
    List<Path> first = s.write(dir);
    List<Path> second = s.write(dir);
    assertEquals("nightly-20261207-020000.md", first.get(0).getFileName().toString());
    assertEquals("nightly-20261207-020000-2.json", second.get(1).getFileName().toString(), "never replaced");
  }
}
