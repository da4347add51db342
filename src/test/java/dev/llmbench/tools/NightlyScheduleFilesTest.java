package dev.llmbench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The schedule files a team installs (docs/nightly-schedules.md) say what the docs say: the GitHub workflow
 * parses as YAML and has its triggers, runner, steps and artifact; every crontab line is five fields and a
 * command that calls bin/nightly and appends to a log. Nothing here runs them.
 */
class NightlyScheduleFilesTest {
  private static final Path WORKFLOW = Path.of(".github/workflows/nightly-perf.yaml");
  private static final Path CRONTAB = Path.of("crontab_rules.txt");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, "a mapping: " + o);
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> workflow() throws IOException {
    try (Reader in = Files.newBufferedReader(WORKFLOW)) {
      return map(new Yaml().load(in));
    }
  }

  @Test
  void theWorkflowRunsAt2AmUtcAndOnDemandWithASizeAndStress() throws IOException {
    Map<String, Object> w = workflow();
    // YAML 1.1 (SnakeYAML) reads the bare key `on` as the boolean true; GitHub reads it as "on".
    Map<String, Object> on = map(w.containsKey("on") ? w.get("on") : ((Map<?, ?>) w).get(Boolean.TRUE));
    List<?> schedule = (List<?>) on.get("schedule");
    assertEquals("0 2 * * *", map(schedule.get(0)).get("cron"));
    Map<String, Object> inputs = map(map(on.get("workflow_dispatch")).get("inputs"));
    Map<String, Object> size = map(inputs.get("size"));
    assertEquals("choice", size.get("type"));
    assertEquals(List.of("smoke", "full"), size.get("options"));
    assertEquals("smoke", size.get("default"));
    assertEquals("boolean", map(inputs.get("stress")).get("type"));
  }

  @Test
  void theJobRunsNextToTheGpusCallsTheNightlyAndAlwaysUploadsTheReports() throws IOException {
    Map<String, Object> jobs = map(workflow().get("jobs"));
    assertEquals(1, jobs.size(), jobs.keySet().toString());
    Map<String, Object> job = map(jobs.values().iterator().next());
    assertEquals(List.of("self-hosted", "gpu"), job.get("runs-on"));
    List<Map<String, Object>> steps = ((List<?>) job.get("steps")).stream().map(NightlyScheduleFilesTest::map).toList();

    assertTrue(steps.stream().anyMatch(s -> String.valueOf(s.get("uses")).startsWith("actions/checkout@")));
    Map<String, Object> java = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/setup-java@"))
        .findFirst().map(s -> map(s.get("with"))).orElseThrow();
    assertEquals("17", String.valueOf(java.get("java-version")));
    assertEquals("temurin", java.get("distribution"));
    assertEquals("maven", java.get("cache"));

    String run = steps.stream().map(s -> s.get("run")).filter(r -> r != null).map(String::valueOf)
        .filter(r -> r.contains("bin/nightly")).findFirst().orElseThrow();
    assertTrue(run.contains("--size ${{ inputs.size || 'smoke' }}"), run);
    assertTrue(run.contains("--stress"), run);
    assertFalse(run.contains("|| true"), "the job fails when bin/nightly does: " + run);

    Map<String, Object> upload = steps.stream().filter(s -> String.valueOf(s.get("uses"))
        .startsWith("actions/upload-artifact@")).findFirst().orElseThrow();
    assertEquals("always()", upload.get("if"));
    Map<String, Object> with = map(upload.get("with"));
    assertEquals("perf-results-${{ github.run_number }}", with.get("name"));
    assertEquals("reports/", with.get("path"));
  }

  @Test
  void everyCrontabEntryCallsTheNightlyFromTheCheckoutAndAppendsToALog() throws IOException {
    List<String> entries = Files.readAllLines(CRONTAB).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).toList();
    assertFalse(entries.isEmpty(), "no entry in " + CRONTAB);
    for (String e : entries) {
      String[] fields = e.split("\\s+", 6);
      assertEquals(6, fields.length, "five time fields and a command: " + e);
      for (int i = 0; i < 5; i++) {
        assertTrue(fields[i].matches("[0-9*/,-]+"), "time field " + (i + 1) + " of: " + e);
      }
      String command = fields[5];
      assertTrue(command.startsWith("cd \"$WORK_DIR\" &&"), e);
      assertTrue(command.matches(".*bin/nightly --size (smoke|full)\\b.*>> \\S+ 2>&1$"), e);
    }
    assertTrue(Files.readAllLines(CRONTAB).stream().anyMatch(l -> l.startsWith("WORK_DIR=")), "WORK_DIR is set");
  }

  @Test
  void thePlotServerScriptIsThereAndExecutable() {
    Path script = Path.of("bin/plots_server.sh");
    assertNotNull(script);
    assertTrue(Files.isExecutable(script), script + " is executable");
  }
}
