package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.Metric;
import dev.llmbench.workload.Profiles;
import dev.llmbench.workload.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/**
 * Baselines through real smoke runs: {@code -Dbaseline.update=true} makes a run the baseline, and a
 * run against a baseline that is far better than the emulator can ever be fails (after writing its
 * result folder with {@code comparison.json}). The baseline is derived from the first run, so nothing
 * here depends on how fast this machine is. Both runs get validity limits no run crosses: a run that
 * came out client-bound on noisy cores would be refused as the baseline, and its regressions would be
 * warnings. A client-bound run, and a run whose post-run step fails, never become the baseline.
 */
class BaselineRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validity limits no run on these cores crosses (a minute of lag or GC pause, all of the CPU). */
  private static final Map<String, String> LENIENT = Map.of("validity.loop.lag.ms", "60000",
      "validity.read.lag.ms", "60000", "validity.send.lag.ms", "60000", "validity.gc.pause.ms", "60000",
      "validity.cpu.share", "1");

  @TempDir
  static Path work;

  @Test
  void anExplicitUpdateThenARegressionThatFailsTheRun() throws Exception {
    Path baselines = work.resolve("baselines");
    GatlingRun.Outcome first = GatlingRun.run(SmokeSimulation.class, with(LENIENT, Map.of("baseline.dir",
        baselines.toString(), "baseline.update", "true", "baseline.reason", "end-to-end test")), work.resolve("first"));
    assertEquals(0, first.exitCode());
    Baseline written = BaselineFiles.read(baselines, "emulator", "smoke");
    assertEquals("end-to-end test", written.metadata().reason());
    assertEquals(List.of(first.runFolder().getFileName().toString()), written.metadata().runs());
    assertEquals("64", written.metadata().loadParameters().get("outputLen"), "the resolved OSL is compared");
    // Prompts and concurrency as resolved from the profile, though not given on the command line.
    Profiles.RandomProfile smoke = Profiles.load().random("smoke");
    Size size = Size.valueOf(written.metadata().loadParameters().get("size").toUpperCase(Locale.ROOT));
    String concurrency = Integer.toString(smoke.maxConcurrency(size));
    assertEquals(Integer.toString(smoke.numPrompts(size)), written.metadata().loadParameters().get("numPrompts"));
    assertEquals(concurrency, written.metadata().loadParameters().get("maxConcurrency"));
    assertEquals(Metric.values().length - 3, written.rows().size(),
        "every metric of a generation group: all but IPS, and goodput (no -Dslo)");

    EmulatorRuns.twiceAsGoodBaseline(baselines, "emulator", "smoke");

    // The profile's concurrency given explicitly is the same load: compared, not refused.
    Path second = work.resolve("second");
    RuntimeException failed = assertThrows(RuntimeException.class, () -> GatlingRun.run(SmokeSimulation.class,
        with(LENIENT, Map.of("baseline.dir", baselines.toString(), "max.concurrency", concurrency)), second));
    assertTrue(messages(failed).contains("REGRESSION against baseline"), messages(failed));
    Path folder = only(second.resolve("reports").resolve("emulator"));
    JsonNode comparison = JSON.readTree(folder.resolve("comparison.json").toFile());
    assertEquals("regression", comparison.get("verdict").asText());
    assertTrue(Files.readString(folder.resolve("index.html")).contains("REGRESSION"));
  }

  @Test
  void aClientBoundRunIsRefusedAsTheBaseline() {
    // No timer fires on time to the microsecond: a zero limit makes every run client-bound.
    Path baselines = work.resolve("client-bound-baselines");
    RuntimeException refused = assertThrows(RuntimeException.class, () -> GatlingRun.run(SmokeSimulation.class,
        Map.of("baseline.dir", baselines.toString(), "baseline.update", "true", "baseline.reason", "test",
            "validity.loop.lag.ms", "0"), work.resolve("client-bound")));
    assertTrue(messages(refused).contains("is a client-bound run and cannot be a baseline: event-loop timer lag"),
        messages(refused));
    assertFalse(BaselineFiles.exists(baselines, "emulator", "smoke"), "nothing written");
  }

  @Test
  void anUpdateThatCannotHappenFailsTheRun() throws IOException {
    // The reports folder cannot be made (a file lies there), so the post-run step fails.
    Path notAFolder = Files.writeString(work.resolve("reports-is-a-file"), "");
    Path baselines = work.resolve("no-post-run-baselines");
    RuntimeException failed = assertThrows(RuntimeException.class, () -> GatlingRun.run(SmokeSimulation.class,
        with(LENIENT, Map.of("baseline.dir", baselines.toString(), "baseline.update", "true", "baseline.reason", "test",
            "llmbench.reports.dir", notAFolder.toString())), work.resolve("no-post-run")));
    assertTrue(messages(failed).contains("the baseline update (-Dbaseline.update=true) did not happen"),
        messages(failed));
    assertFalse(BaselineFiles.exists(baselines, "emulator", "smoke"), "nothing written");
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new java.util.HashMap<>(a);
    all.putAll(b);
    return all;
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" / ");
    }
    return sb.toString();
  }

  private static Path only(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
