package dev.llmbench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The serving profiles, read from {@code profiles.json} on the classpath (data, not code). */
public final class Profiles {

  /** A bench_serving random profile. */
  public record RandomProfile(String name, int inputLen, int outputLen, double rangeRatio, int smokePrompts,
      int fullPrompts, Integer smokeConcurrency, Integer fullConcurrency) {

    public int numPrompts(Size size) {
      return size == Size.SMOKE ? smokePrompts : fullPrompts;
    }

    /** The profile's own concurrency for a size, or null (bench_serving's default: no limit). */
    public Integer maxConcurrency(Size size) {
      return size == Size.SMOKE ? smokeConcurrency : fullConcurrency;
    }
  }

  /** One ISL/OSL configuration of the matrix. */
  public record MatrixConfig(int isl, int osl, String category, String label, boolean core) {
    public String name() {
      return name(1);
    }

    /** The group a run at a size that divides the lengths by {@code divisor} names it by: the lengths it ran. */
    public String name(int divisor) {
      return "matrix-" + isl(divisor) + "-" + osl(divisor);
    }

    /** The input length run at a size that divides the lengths by {@code divisor} (1 at full size). */
    public int isl(int divisor) {
      return Math.max(1, isl / divisor);
    }

    /** The output length run at a size that divides the lengths by {@code divisor}: at least 2, so one gap is timed. */
    public int osl(int divisor) {
      return Math.max(2, osl / divisor);
    }
  }

  /** The ISL/OSL matrix and how it runs at each size. */
  public record Matrix(List<MatrixConfig> configs, int warmupRuns, int measuredRuns, int smokeDivisor,
      int smokeWarmupRuns, int smokeMeasuredRuns, List<String> smokeSets) {
    /** Whether the smoke size runs {@code c}: its set (core or extended) is one of the smoke sets. */
    public boolean runsAtSmoke(MatrixConfig c) {
      return smokeSets.contains(c.core() ? "core" : "extended");
    }
  }

  private static final String RESOURCE = "/profiles.json";

  private final Map<String, RandomProfile> random;
  private final Matrix matrix;

  private Profiles(Map<String, RandomProfile> random, Matrix matrix) {
    this.random = random;
    this.matrix = matrix;
  }

  /**
   * The shipped profiles, read from the classpath on each call: a few kilobytes, read a few times
   * per run, so no cache outlives a run (tests run many in one JVM).
   */
  public static Profiles load() {
    try (InputStream in = Profiles.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("profiles.json is missing from the classpath");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read profiles.json: " + e.getMessage(), e);
    }
  }

  static Profiles parse(JsonNode root) {
    Map<String, RandomProfile> random = new TreeMap<>();
    root.path("random").fields().forEachRemaining(e -> {
      JsonNode p = e.getValue();
      random.put(e.getKey(), new RandomProfile(e.getKey(), p.path("inputLen").asInt(), p.path("outputLen").asInt(),
          p.path("rangeRatio").asDouble(), p.path("numPrompts").path("smoke").asInt(),
          p.path("numPrompts").path("full").asInt(), optInt(p.path("maxConcurrency").path("smoke")),
          optInt(p.path("maxConcurrency").path("full"))));
    });
    JsonNode m = root.path("matrix");
    List<MatrixConfig> configs = new ArrayList<>();
    for (String set : List.of("core", "extended")) {
      for (JsonNode c : m.path(set)) {
        configs.add(new MatrixConfig(c.path("isl").asInt(), c.path("osl").asInt(), c.path("category").asText(),
            c.path("label").asText(), set.equals("core")));
      }
    }
    JsonNode smoke = m.path("smoke");
    List<String> smokeSets = new ArrayList<>();
    smoke.path("sets").forEach(s -> smokeSets.add(s.asText()));
    return new Profiles(random, new Matrix(List.copyOf(configs), m.path("warmupRuns").asInt(),
        m.path("measuredRuns").asInt(), smoke.path("divideLengthsBy").asInt(1), smoke.path("warmupRuns").asInt(),
        smoke.path("measuredRuns").asInt(), List.copyOf(smokeSets)));
  }

  private static Integer optInt(JsonNode n) {
    return n.isInt() ? n.asInt() : null;
  }

  public RandomProfile random(String name) {
    RandomProfile p = random.get(name.toLowerCase(Locale.ROOT));
    if (p == null && name.equalsIgnoreCase("matrix")) {
      // A valid profile name, but of another simulation (the only other kind): say which.
      throw new ConfigException("profile matrix is run by its own simulation: use"
          + " -Dgatling.simulationClass=simulations.MatrixSimulation");
    }
    if (p == null) {
      throw new ConfigException("profile must be one of " + names() + ", but was \"" + name + "\"");
    }
    return p;
  }

  /** Every profile name a serving run accepts, plus {@code matrix}. */
  public List<String> names() {
    List<String> names = new ArrayList<>(random.keySet());
    names.add("matrix");
    return names;
  }

  public Matrix matrix() {
    return matrix;
  }
}
