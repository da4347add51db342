package dev.llmbench.it;

import dev.llmbench.llm.run.Target;
import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import io.gatling.app.Gatling$;
import io.gatling.shared.cli.GatlingCliOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a real Gatling simulation in this JVM, with the given system properties, and returns what it
 * left in its run folder, with the run's server ({@link LastRun}): its embedded emulator, stopped
 * with the run, keeps its ground truth for the test to compare with.
 */
public final class GatlingRun {

  public record Outcome(int exitCode, Path runFolder, List<RequestResult> requests, Target target) {
    /** The measured requests: the side file's rows but the warm-up's. */
    public List<RequestResult> measured() {
      return requests.stream().filter(r -> !r.warmup()).toList();
    }
  }

  private GatlingRun() {}

  public static synchronized Outcome run(Class<?> simulation, Map<String, String> properties, Path resultsDir)
      throws IOException {
    Map<String, String> saved = new HashMap<>();
    Map<String, String> all = new HashMap<>(properties);
    all.put("llmbench.results.dir", resultsDir.toString());
    all.putIfAbsent("llmbench.reports.dir", resultsDir.resolve("reports").toString());
    // Tests never compare with the shipped baselines (that would hang a test on the machine's luck):
    // a test that wants a baseline puts one here or passes its own baseline.dir.
    all.putIfAbsent("baseline.dir", resultsDir.resolve("baselines").toString());
    all.forEach((k, v) -> saved.put(k, System.getProperty(k)));
    LastRun.clear();
    try {
      all.forEach(System::setProperty);
      int code = Gatling$.MODULE$.fromArgs(new String[] {
          GatlingCliOptions.Simulation.shortOption(), simulation.getName(),
          GatlingCliOptions.ResultsFolder.shortOption(), resultsDir.toString(),
          GatlingCliOptions.NoReports.shortOption()});
      Path runFolder = newestRunFolder(resultsDir, simulation);
      Path requests = runFolder.resolve(RequestLogWriter.FILE_NAME);
      List<RequestResult> rows = Files.exists(requests) ? RequestLogReader.read(requests).requests() : List.of();
      return new Outcome(code, runFolder, rows, LastRun.targetOrNull());
    } finally {
      saved.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /** The measured rows of the simulation's newest run in {@code resultsDir}: for a run that failed (threw). */
  public static List<RequestResult> measuredIn(Path resultsDir, Class<?> simulation) throws IOException {
    return RequestLogReader.read(newestRunFolder(resultsDir, simulation).resolve(RequestLogWriter.FILE_NAME)).requests()
        .stream().filter(r -> !r.warmup()).toList();
  }

  /** The simulation's newest run folder ({@code <simulation>-<timestamp>}), not the reports or baselines beside it. */
  private static Path newestRunFolder(Path resultsDir, Class<?> simulation) throws IOException {
    String prefix = simulation.getSimpleName().toLowerCase(java.util.Locale.ROOT) + "-";
    File[] dirs = resultsDir.toFile().listFiles(f -> f.isDirectory() && f.getName().startsWith(prefix));
    if (dirs == null || dirs.length == 0) {
      throw new IOException("the run left no folder in " + resultsDir);
    }
    File newest = dirs[0];
    for (File d : dirs) {
      if (d.getName().compareTo(newest.getName()) > 0) {
        newest = d;
      }
    }
    return newest.toPath();
  }
}
