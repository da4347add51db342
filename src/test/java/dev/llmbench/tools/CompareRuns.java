package dev.llmbench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.cli.CompareCommand;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.run.Target;
import dev.llmbench.stream.Backend;
import dev.llmbench.bench.InjectorBenchmark;
import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.CapacityConfig;
import dev.llmbench.llm.run.ScoreConfig;
import dev.llmbench.llm.run.StressConfig;
import dev.llmbench.report.baseline.BaselineOptions;
import dev.llmbench.report.compare.CompareException;
import dev.llmbench.report.compare.HourlyPrices;
import dev.llmbench.stress.StressThresholds;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulation, with the same properties, against several serving frameworks, one after another
 * (never at once), then their comparison ({@link CompareCommand}):
 *
 * <pre>
 *   mvn -q test-compile exec:java@compare-run -Dcompare.targets=sglang=http://gpu:30000,vllm=http://gpu:8000 \
 *       -Dgatling.simulationClass=simulations.ServingSimulation -Dprofile=random-1024-1024 -Dcost.per.hour=2.5
 * </pre>
 *
 * {@code -Dcompare.targets} lists {@code name=url} pairs; {@code -Dcompare.file} a JSON file of
 * {@code [{"name": "vllm", "url": "http://...", "backend": "vllm", "model": "..."}]} (backend and model
 * optional: the run's {@code -Dbackend}/{@code -Dmodel} otherwise). Every other property is the runs'
 * own, the same for each: only {@code target.url}, {@code framework} (the name) and a target's own
 * backend and model change. Each target is first asked for its health ({@code -Dcompare.health.timeout.sec},
 * 10 s): one that does not answer is skipped with one line, and the others still run. Each run writes its
 * result folder as any run does ({@code reports/<name>/<profile>-<ts>}); the comparison of those that gave
 * one is written to {@code reports/summary/comparison-<ts>.{json,md,html}} ({@code -Dcompare.reference},
 * {@code -Dcost.per.hour} as the comparison's options). {@code -Dcost.per.hour} is one price in USD per hour for
 * every framework ({@code 2.5}) or {@code name=usd} pairs; {@code -Dcompare.cost.per.hour}, its former name,
 * still works, and both given and different is an error. The prices are checked before any run (a
 * typo must not cost the runs), a price for a framework that is not a target too; a target that gives no
 * result loses its price, so the others are still compared. Each run is a JVM of its own, started as
 * gatling-maven-plugin starts one (its options, this command's classpath), after the one before has
 * ended; Gatling's own HTML report is written for each.
 *
 * <p>Exit codes: the comparison's ({@link CompareCommand#OK}, {@link CompareCommand#INPUT_ERROR}, also for a
 * bad price before any run);
 * {@value #TOO_FEW} when fewer than two targets gave a result; {@value #BAD_TARGETS} when the targets
 * are not given or not readable.
 */
public final class CompareRuns {
  public static final int TOO_FEW = 3;
  public static final int BAD_TARGETS = 4;

  /** One framework to run against. */
  record TargetSpec(String name, String url, String backend, String model) {}

  private CompareRuns() {}

  public static void main(String[] args) {
    System.exit(run(Props.system(), Path.of(System.getProperty("llmbench.reports.dir", "reports")), System.out,
        System.err));
  }

  /** The command with its properties and streams passed in (system properties are set per run, then restored). */
  public static int run(Props props, Path reports, PrintStream out, PrintStream err) {
    List<TargetSpec> targets;
    try {
      targets = targets(props);
    } catch (ConfigException | IOException e) {
      err.println("llm-serving-bench compare-run: ERROR " + e.getMessage());
      return BAD_TARGETS;
    }
    HourlyPrices prices;
    try {
      prices = prices(props, targets.stream().map(TargetSpec::name).toList());
    } catch (CompareException e) {
      err.println("llm-serving-bench compare-run: ERROR " + e.getMessage());
      return CompareCommand.INPUT_ERROR;
    }
    String simulation = props.string("gatling.simulationClass", "simulations.ServingSimulation");
    Duration health = Duration.ofSeconds(props.integer("compare.health.timeout.sec", 10, 0, 3_600));
    Path resultsDir = Path.of(props.string("llmbench.results.dir", "target/gatling"));
    List<String> folders = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    for (TargetSpec t : targets) {
      Backend backend = Props.parseEnum("backend", t.backend() != null ? t.backend()
          : props.string("backend", "openai-chat"), Backend.class);
      String down = Target.unhealthy(t.url(), backend, health);
      if (down != null) {
        out.println("llm-serving-bench compare-run: SKIPPED " + t.name() + ": " + down);
        continue;
      }
      out.println("llm-serving-bench compare-run: " + t.name() + " at " + t.url() + ", " + simulation);
      long started = System.currentTimeMillis();
      int code;
      try {
        code = gatling(simulation, resultsDir, reports, t, props);
      } catch (IOException e) {
        out.println("llm-serving-bench compare-run: FAILED " + t.name() + ": its run could not start: " + e.getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("llm-serving-bench compare-run: ERROR interrupted during " + t.name() + "'s run");
        return TOO_FEW;
      }
      Path result = newestResult(reports.resolve(t.name()), started);
      if (result == null) {
        out.println("llm-serving-bench compare-run: FAILED " + t.name() + ": the run left no result (exit code "
            + code + ")");
        continue;
      }
      if (code != 0) {
        out.println("llm-serving-bench compare-run: NOTE " + t.name() + "'s run ended with exit code " + code
            + " (its verdicts are in " + result + "); its result is compared");
      }
      folders.add(result.toString());
      compared.add(t.name());
    }
    if (folders.size() < 2) {
      err.println("llm-serving-bench compare-run: ERROR fewer than two frameworks gave a result (" + folders.size()
          + " of " + targets.size() + "): nothing to compare");
      return TOO_FEW;
    }
    List<String> args = new ArrayList<>();
    if (props.has("compare.reference")) {
      args.add("--reference");
      args.add(props.raw("compare.reference"));
    }
    if (prices != null && !prices.onlyFor(compared).option().isEmpty()) {
      args.add("--cost.per.hour");
      args.add(prices.onlyFor(compared).option());
    }
    args.addAll(folders);
    return CompareCommand.run(args.toArray(String[]::new), reports, Instant.now(), out, err);
  }

  /** The old name of {@code -Dcost.per.hour}, still read. */
  static final String COST_PER_HOUR_ALIAS = "compare.cost.per.hour";

  /**
   * {@code -Dcost.per.hour}, else its alias {@code -Dcompare.cost.per.hour}, else null; both given and different is
   * an error, and so is a price for a framework that is not among {@code targets}.
   */
  static HourlyPrices prices(Props props, List<String> targets) throws CompareException {
    String name = "-D" + CompareCommand.COST_PER_HOUR;
    String alias = "-D" + COST_PER_HOUR_ALIAS;
    HourlyPrices given = props.has(CompareCommand.COST_PER_HOUR)
        ? HourlyPrices.parse(name, props.raw(CompareCommand.COST_PER_HOUR)) : null;
    HourlyPrices old = props.has(COST_PER_HOUR_ALIAS) ? HourlyPrices.parse(alias, props.raw(COST_PER_HOUR_ALIAS))
        : null;
    if (given != null && old != null && !given.equals(old)) {
      throw new CompareException(name + "=" + props.raw(CompareCommand.COST_PER_HOUR) + " and " + alias + "="
          + props.raw(COST_PER_HOUR_ALIAS) + " (its former name) differ; give " + name + " only");
    }
    HourlyPrices prices = given != null ? given : old;
    if (prices != null && !prices.unknown(targets).isEmpty()) {
      throw new CompareException((given != null ? name : alias) + " names " + String.join(", ", prices.unknown(targets))
          + ", not a target; the targets are " + String.join(", ", targets));
    }
    return prices;
  }

  /** {@code -Dcompare.targets} or {@code -Dcompare.file}, at least two, each name a folder-safe label and used once. */
  static List<TargetSpec> targets(Props props) throws IOException {
    List<TargetSpec> targets = new ArrayList<>();
    if (props.has("compare.file")) {
      JsonNode list = new ObjectMapper().readTree(Path.of(props.raw("compare.file")).toFile());
      if (!list.isArray()) {
        throw new ConfigException("compare.file must hold a JSON array of {\"name\", \"url\", \"backend\", \"model\"}");
      }
      for (JsonNode n : list) {
        targets.add(new TargetSpec(text(n, "name", true), text(n, "url", true), text(n, "backend", false),
            text(n, "model", false)));
      }
    } else if (props.has("compare.targets")) {
      for (String pair : props.raw("compare.targets").split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new ConfigException("compare.targets takes name=url pairs, e.g. sglang=http://gpu:30000,"
              + "vllm=http://gpu:8000, but had \"" + pair.trim() + "\"");
        }
        targets.add(new TargetSpec(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim(), null, null));
      }
    } else {
      throw new ConfigException("give the frameworks to compare: -Dcompare.targets=name=url,name=url or "
          + "-Dcompare.file=targets.json");
    }
    Map<String, TargetSpec> byName = new LinkedHashMap<>();
    for (TargetSpec t : targets) {
      if (!t.name().matches("[A-Za-z0-9._-]+")) {
        throw new ConfigException("a target's name is its framework's folder, so letters, digits, '.', '_', '-' "
            + "only, but was \"" + t.name() + "\"");
      }
      if (byName.put(t.name(), t) != null) {
        throw new ConfigException("target " + t.name() + " is listed twice");
      }
    }
    if (targets.size() < 2) {
      throw new ConfigException("a comparison needs at least two targets, but had " + targets.size());
    }
    return targets;
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ConfigException("compare.file: every target needs \"" + field + "\", but one has none: " + n);
      }
      return null;
    }
    return v.asText();
  }

  /**
   * The properties a run is given as they were given to this command: the project's own (the run's,
   * the search's, the scoring's, the stress tests', the baseline's, the emulator's, Gatling's simulation),
   * never the JVM's or Maven's, nor this command's {@code compare.*}, nor the API key (the child gets it in
   * its environment, not on its command line).
   */
  static Map<String, String> passThrough(Props props) {
    Map<String, String> out = new TreeMap<>();
    for (String k : props.keys()) {
      if (passesThrough(k) && !PER_TARGET.contains(k)) {
        out.put(k, props.raw(k));
      }
    }
    return out;
  }

  /**
   * Whether {@code key} is one of the project's own properties a run is given (all but the API key): the
   * nightly runner checks its config's properties against the same list.
   */
  static boolean passesThrough(String key) {
    return KNOWN.contains(key) || key.startsWith("emulator.") || key.startsWith("regression.")
        || key.startsWith("metrics.");
  }

  /** The run's, the search's, the scoring's, the stress tests', the baseline's, the emulator's and Gatling's. */
  private static final Set<String> KNOWN = known();

  private static Set<String> known() {
    Set<String> known = new HashSet<>(BenchConfig.KEYS);
    known.addAll(CapacityConfig.KEYS);
    known.addAll(ScoreConfig.KEYS);
    known.addAll(StressConfig.KEYS);
    known.addAll(StressThresholds.KEYS);
    known.addAll(BaselineOptions.KEYS);
    known.addAll(EmulatorConfig.PROPERTY_KEYS);
    known.add("gatling.simulationClass");
    known.remove("api.key");
    return Set.copyOf(known);
  }

  /** What changes from one target's run to the next. */
  private static final Set<String> PER_TARGET = Set.of("target.url", "framework", "backend", "model");

  /**
   * Runs the simulation against {@code t} in a JVM of its own, as gatling-maven-plugin forks one (its
   * options and the POM's: {@link InjectorBenchmark#GATLING_JVM_ARGS}), on this command's classpath.
   */
  private static int gatling(String simulation, Path resultsDir, Path reports, TargetSpec t, Props props)
      throws IOException, InterruptedException {
    Map<String, String> run = passThrough(props);
    run.put("target.url", t.url());
    run.put("framework", t.name());
    if (t.backend() != null || props.has("backend")) {
      run.put("backend", t.backend() != null ? t.backend() : props.raw("backend"));
    }
    if (t.model() != null || props.has("model")) {
      run.put("model", t.model() != null ? t.model() : props.raw("model"));
    }
    return gatlingProcess(simulation, resultsDir, reports, run, props.raw("api.key")).inheritIO().start().waitFor();
  }

  /**
   * The JVM that runs {@code simulation} with the run's properties {@code run}, as gatling-maven-plugin forks one
   * (its options and the POM's: {@link InjectorBenchmark#GATLING_JVM_ARGS}), on this command's classpath; the API
   * key, when given, goes in its environment, never on its command line. The nightly runner starts its runs the
   * same way.
   */
  public static ProcessBuilder gatlingProcess(String simulation, Path resultsDir, Path reports, Map<String, String> run,
      String apiKey) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(InjectorBenchmark.GATLING_JVM_ARGS.split(" ")));
    cmd.add("-Dllmbench.exit.on.config.error=true");
    cmd.add("-cp");
    cmd.add(classpath());
    Map<String, String> all = new TreeMap<>(run);
    all.put("llmbench.results.dir", resultsDir.toAbsolutePath().toString());
    all.put("llmbench.reports.dir", reports.toAbsolutePath().toString());
    all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("io.gatling.app.Gatling", "-s", simulation, "-rf", resultsDir.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (apiKey != null) {
      pb.environment().put("OPENAI_API_KEY", apiKey);
    }
    return pb;
  }

  /** This JVM's classpath: exec:java's class loader's, else the JVM's own. */
  private static String classpath() {
    return dev.llmbench.report.GatlingReportsOnly.classpath();
  }

  /** The newest result folder in {@code frameworkDir} made since {@code sinceMillis}, or null. */
  private static Path newestResult(Path frameworkDir, long sinceMillis) {
    File[] dirs = frameworkDir.toFile().listFiles(f -> f.isDirectory() && f.lastModified() >= sinceMillis - 1_000
        && Files.exists(f.toPath().resolve("summary.json")));
    if (dirs == null || dirs.length == 0) {
      return null;
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
