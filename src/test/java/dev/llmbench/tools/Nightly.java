package dev.llmbench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.HistoryCommand;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.workload.Size;
import io.gatling.javaapi.core.Simulation;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nightly command: every entry of {@code nightly.json} ({@link NightlyConfig}) run one after another,
 * each compared with its baseline as any run is, then the history update, then one summary:
 *
 * <pre>
 *   bin/nightly [--size smoke|full] [--stress] [--config FILE] [--days N]
 *   mvn -q test-compile exec:java@nightly -Dsize=smoke -Dnightly.stress=true -Dnightly.config=nightly.json -Dhistory.days=30
 * </pre>
 *
 * Each run is a JVM of its own started as {@link CompareRuns} starts one (gatling-maven-plugin's options, this
 * command's classpath, the API key in its environment); one that crashes, ends without a result folder or
 * cannot start is named FAILED and the next still runs. The run's verdict is read from what it wrote: its
 * exit code, {@code comparison.json} (the baseline verdict) and {@code summary.json} (the validity verdict).
 * The table is printed and written as {@code reports/summary/nightly-<ts>.{md,json}}.
 *
 * <p>Exit codes: {@value #CLEAN} every run ok (client-bound runs included: their comparison is not judged,
 * and the table says so); {@value #REGRESSION} a run regressed against its baseline or ended with a failed
 * verdict (its checks, its server failing, a strict client-bound run); {@value #BAD_CONFIG} the config file or an
 * option is wrong (one line, before any run); {@value #RUN_FAILED} a run crashed or left no result folder, or
 * the history update failed. {@value #RUN_FAILED} wins over {@value #REGRESSION}: a night with a missing
 * result is incomplete, and its regressions are in the summary anyway.
 */
public final class Nightly {
  public static final int CLEAN = 0;
  public static final int REGRESSION = 1;
  public static final int BAD_CONFIG = 2;
  public static final int RUN_FAILED = 3;

  /** The options this command reads; any other {@code nightly.*} is a typo. */
  static final Set<String> OPTIONS = Set.of("nightly.config", "nightly.stress");

  /** What the nightly calls once its runs are done: {@link HistoryCommand#run}'s shape. */
  @FunctionalInterface
  public interface HistoryStep {
    int run(Path reports, Path baselines, int keepDays, boolean prune, Instant now, PrintStream out, PrintStream err);
  }

  /** How a run ended, as the summary names it. */
  public enum Verdict {
    OK("ok"),
    CLIENT_BOUND("client-bound"),
    REGRESSION("REGRESSION"),
    FAILED_VERDICT("FAILED verdict"),
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One run's line in the summary.
   *
   * @param name the entry's name
   * @param simulation its simulation class
   * @param resultFolder the result folder it wrote, or null
   * @param verdict how it ended
   * @param why what the verdict rests on, in one line; empty for ok
   * @param exitCode the run's exit code, or null when it did not start
   * @param duration how long it took
   */
  public record RunOutcome(String name, String simulation, Path resultFolder, Verdict verdict, String why,
      Integer exitCode, Duration duration) {}

  private Nightly() {}

  public static void main(String[] args) {
    System.exit(run(Props.system(), Path.of(System.getProperty("llmbench.reports.dir", "reports")),
        HistoryCommand::run, System.out, System.err));
  }

  /** The command with its properties, reports folder, history step and streams passed in. */
  public static int run(Props props, Path reports, HistoryStep history, PrintStream out, PrintStream err) {
    Instant started = Instant.now();
    NightlyConfig config;
    boolean stress;
    int days;
    boolean prune;
    Path baselines;
    Map<String, String> commandLine;
    try {
      Set<String> unknown = new TreeSet<>(props.keysWithPrefix("nightly."));
      unknown.removeAll(OPTIONS);
      if (!unknown.isEmpty()) {
        throw new ConfigException("unknown option -D" + unknown.iterator().next() + "; the options are "
            + new TreeSet<>(OPTIONS) + ", -Dsize, -Dhistory.days, -Dhistory.prune");
      }
      if (props.has("size")) {
        props.enumValue("size", Size.class, Size.SMOKE);
      }
      stress = props.bool("nightly.stress", false);
      days = props.integer("history.days", 30, 1, 36_500);
      prune = props.bool("history.prune", true);
      baselines = Path.of(props.string("baseline.dir", "baselines"));
      config = NightlyConfig.read(Path.of(props.string("nightly.config", "nightly.json")));
      for (NightlyConfig.Entry e : config.entries()) {
        requireSimulation(e);
      }
      // The command line is tonight's word: it wins over the file (-Dsize is "every run at this size").
      commandLine = CompareRuns.passThrough(props);
      for (String k : List.of("target.url", "framework", "backend", "model")) {
        if (props.has(k)) {
          commandLine.put(k, props.raw(k));
        }
      }
    } catch (ConfigException e) {
      err.println("llm-serving-bench nightly: ERROR " + e.getMessage());
      return BAD_CONFIG;
    }
    Path resultsDir = Path.of(props.string("llmbench.results.dir", "target/gatling"));
    List<RunOutcome> outcomes = new ArrayList<>();
    for (NightlyConfig.Entry e : config.entries()) {
      if (e.stress() && !stress) {
        out.println("llm-serving-bench nightly: SKIPPED " + e.name() + ": a stress entry (-Dnightly.stress=true, "
            + "bin/nightly --stress, runs it)");
        continue;
      }
      Map<String, String> run = new LinkedHashMap<>();
      if (config.targetUrl() != null) {
        run.put("target.url", config.targetUrl());
      }
      if (config.framework() != null) {
        run.put("framework", config.framework());
      }
      run.putAll(config.properties());
      run.putAll(e.properties());
      run.putAll(commandLine);
      out.println("llm-serving-bench nightly: " + e.name() + ": " + e.simulation() + " " + run);
      RunOutcome o = runOne(e, run, resultsDir, reports, props.raw("api.key"), out);
      out.println("llm-serving-bench nightly: " + e.name() + ": " + o.verdict().label()
          + (o.why().isEmpty() ? "" : " (" + o.why() + ")"));
      outcomes.add(o);
    }
    int historyCode;
    try {
      historyCode = history.run(reports, baselines, days, prune, Instant.now(), out, err);
    } catch (RuntimeException ex) {
      err.println("llm-serving-bench nightly: ERROR the history update failed: " + ex);
      historyCode = -1;
    }
    int code = exitCode(outcomes, historyCode);
    NightlySummary summary = new NightlySummary(started, Instant.now(), config.entries().size(), stress,
        props.raw("size"), days, historyCode, code, outcomes);
    out.print(NightlySummary.table(outcomes));
    if (historyCode != 0) {
      out.println("llm-serving-bench nightly: the history update ended with exit code " + historyCode);
    }
    try {
      List<Path> files = summary.write(reports);
      out.println("llm-serving-bench nightly: summary in " + files.get(0) + " and " + files.get(1));
    } catch (IOException ex) {
      err.println("llm-serving-bench nightly: ERROR the summary could not be written: " + ex.getMessage());
      return RUN_FAILED;
    }
    out.println("llm-serving-bench nightly: exit code " + code);
    return code;
  }

  /** {@value #RUN_FAILED} over {@value #REGRESSION} over {@value #CLEAN} (the class comment says why). */
  static int exitCode(List<RunOutcome> outcomes, int historyCode) {
    if (historyCode != 0 || outcomes.stream().anyMatch(o -> o.verdict() == Verdict.FAILED)) {
      return RUN_FAILED;
    }
    if (outcomes.stream().anyMatch(o -> o.verdict() == Verdict.REGRESSION || o.verdict() == Verdict.FAILED_VERDICT)) {
      return REGRESSION;
    }
    return CLEAN;
  }

  /** A simulation not on the classpath is the config's fault, found before the first run rather than at its turn. */
  static void requireSimulation(NightlyConfig.Entry e) {
    Class<?> c;
    try {
      c = Class.forName(e.simulation(), false, Nightly.class.getClassLoader());
    } catch (ClassNotFoundException ex) {
      throw new ConfigException("entry " + e.name() + ": simulation " + e.simulation() + " is not on the test "
          + "classpath (the simulations are in src/test/java/simulations, e.g. simulations.SmokeSimulation)");
    }
    if (!Simulation.class.isAssignableFrom(c)) {
      throw new ConfigException("entry " + e.name() + ": " + e.simulation() + " is not a Gatling simulation");
    }
  }

  /** Runs one entry in its own JVM, its output copied to {@code out}, and reads its verdict. */
  private static RunOutcome runOne(NightlyConfig.Entry e, Map<String, String> run, Path resultsDir, Path reports,
      String apiKey, PrintStream out) {
    long t0 = System.nanoTime();
    Set<Path> before = resultFolders(reports);
    Integer code = null;
    String lastError = "";
    try {
      Process p = CompareRuns.gatlingProcess(e.simulation(), resultsDir, reports, run, apiKey)
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          out.println(line);
          // The run's own last word on why it failed: its ERROR, FAILED or REGRESSION line.
          if (line.startsWith("llm-serving-bench: ERROR") || line.startsWith("llm-serving-bench: FAILED")
              || line.contains("REGRESSION against baseline")) {
            lastError = line.replaceFirst("^.*?llm-serving-bench: ", "");
          }
        }
      }
      code = p.waitFor();
    } catch (IOException ex) {
      return new RunOutcome(e.name(), e.simulation(), null, Verdict.FAILED, "could not start: " + ex.getMessage(),
          null, Duration.ofNanos(System.nanoTime() - t0));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new RunOutcome(e.name(), e.simulation(), null, Verdict.FAILED, "interrupted", null,
          Duration.ofNanos(System.nanoTime() - t0));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Path folder = newest(resultFolders(reports), before);
    if (folder == null) {
      return new RunOutcome(e.name(), e.simulation(), null, Verdict.FAILED, "no result folder, exit code " + code
          + (lastError.isEmpty() ? "" : ": " + lastError), code, took);
    }
    return judge(e, folder, code, lastError, took);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The verdict of a run that wrote {@code folder}: its baseline comparison first, then its exit code and validity. */
  static RunOutcome judge(NightlyConfig.Entry e, Path folder, int code, String lastError, Duration took) {
    JsonNode comparison = readOrNull(folder.resolve("comparison.json"));
    JsonNode summary = readOrNull(folder.resolve("summary.json"));
    String baseline = comparison == null ? "" : comparison.path("verdict").asText("");
    String validity = summary == null ? "" : summary.path("validity").path("verdict").asText("");
    Verdict v;
    String why;
    if (baseline.equals("regression")) {
      v = Verdict.REGRESSION;
      why = comparison.path("message").asText("regression against baseline");
    } else if (code != 0) {
      v = Verdict.FAILED_VERDICT;
      why = "exit code " + code + (lastError.isEmpty() ? "" : ": " + lastError);
    } else if (validity.equals("server-failing")) {
      v = Verdict.FAILED_VERDICT;
      why = "server failing: " + reasons(summary);
    } else if (validity.equals("client-bound")) {
      v = Verdict.CLIENT_BOUND;
      why = "not judged: " + reasons(summary);
    } else {
      v = Verdict.OK;
      why = comparison == null ? "" : comparison.path("status").asText("").equals("compared") ? ""
          : comparison.path("status").asText("");
    }
    return new RunOutcome(e.name(), e.simulation(), folder, v, why, code, took);
  }

  private static String reasons(JsonNode summary) {
    List<String> r = new ArrayList<>();
    summary.path("validity").path("reasons").forEach(n -> r.add(n.asText()));
    return r.isEmpty() ? "see its summary.json" : String.join("; ", r);
  }

  private static JsonNode readOrNull(Path file) {
    try {
      return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
    } catch (IOException ex) {
      return null; // an unreadable file is no verdict: the run is judged by what else it left
    }
  }

  /**
   * Every result folder {@code reports/<framework>/<name>/} with a {@code summary.json}: the run's folder is
   * the one that was not there before it, whatever framework the run was filed under.
   */
  static Set<Path> resultFolders(Path reports) {
    Set<Path> found = new HashSet<>();
    File[] frameworks = reports.toFile().listFiles(File::isDirectory);
    if (frameworks == null) {
      return found;
    }
    for (File f : frameworks) {
      File[] runs = f.listFiles(d -> d.isDirectory() && new File(d, "summary.json").isFile());
      if (runs != null) {
        for (File r : runs) {
          found.add(r.toPath());
        }
      }
    }
    return found;
  }

  /** The newest of {@code after}'s folders not in {@code before} (by modification time), or null. */
  private static Path newest(Set<Path> after, Set<Path> before) {
    Path newest = null;
    for (Path p : after) {
      if (!before.contains(p) && (newest == null || p.toFile().lastModified() > newest.toFile().lastModified())) {
        newest = p;
      }
    }
    return newest;
  }
}
