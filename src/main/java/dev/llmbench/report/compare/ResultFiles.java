package dev.llmbench.report.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.baseline.Baselines;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.ServerMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a result folder for a comparison: its {@code summary.json} (metadata, validity, groups, server
 * memory; the format is documented in {@code report.render.JsonSummaryFormat}) and its {@code metadata.json}
 * (hardware, partial). A framework folder ({@code reports/<framework>}) stands for its newest result: the
 * one whose name ({@code <profile>-<yyyyMMdd-HHmmss>[-n]}) has the latest time stamp.
 */
public final class ResultFiles {
  public static final String SUMMARY = "summary.json";
  public static final String METADATA = "metadata.json";

  /**
   * Where a result records the GPU memory at its peak during the load, MiB: {@code summary.json}'s
   * {@code server.vramPeakMiB} (from {@code nvidia-smi}, when the run had one: docs/results.md, "The server's
   * telemetry"); the column says n/a without it.
   */
  static final String VRAM_PEAK = "vramPeakMiB";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STAMP = Pattern.compile("-(\\d{8}-\\d{6})(?:-(\\d+))?$");

  /** Newest last: by the name's time stamp, then its same-second suffix ({@code -2}, {@code -3}). */
  static final Comparator<Path> BY_STAMP = Comparator.comparing((Path p) -> stamp(p).map(m -> m.group(1)).orElse(""))
      .thenComparingInt(p -> stamp(p).map(m -> m.group(2) == null ? 1 : Integer.parseInt(m.group(2))).orElse(0));

  private ResultFiles() {}

  /**
   * The result folder an argument names: the folder itself when it holds a {@code summary.json}, or the
   * newest result in a framework folder.
   *
   * @throws CompareException when it is neither
   */
  public static Path resolve(Path arg) throws CompareException {
    if (!Files.isDirectory(arg)) {
      throw new CompareException(arg + " is not a folder; pass a result folder such as reports/<framework>/<profile>-<ts>"
          + " or a framework folder reports/<framework>");
    }
    if (Files.isRegularFile(arg.resolve(SUMMARY))) {
      return arg;
    }
    try (Stream<Path> children = Files.list(arg)) {
      List<Path> results = children.filter(p -> Files.isRegularFile(p.resolve(SUMMARY)))
          .filter(p -> stamp(p).isPresent()).sorted(BY_STAMP).toList();
      if (results.isEmpty()) {
        throw new CompareException(arg + " is not a result: it has no " + SUMMARY + " and no result folder "
            + "<profile>-<yyyyMMdd-HHmmss> with one");
      }
      return results.get(results.size() - 1);
    } catch (IOException e) {
      throw new CompareException(arg + " cannot be listed: " + e.getMessage(), e);
    }
  }

  private static Optional<Matcher> stamp(Path p) {
    Matcher m = STAMP.matcher(p.getFileName().toString());
    return m.find() ? Optional.of(m) : Optional.empty();
  }

  /**
   * Reads a result folder.
   *
   * @throws CompareException when its {@code summary.json} is missing, unreadable or lacks its metadata or groups
   */
  public static ResultRun read(Path folder) throws CompareException {
    Path file = folder.resolve(SUMMARY);
    JsonNode summary;
    try {
      summary = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CompareException(file + " cannot be read: " + e.getMessage(), e);
    }
    if (summary == null || !summary.path("metadata").isObject() || !summary.path("groups").isArray()) {
      throw new CompareException(file + " is not a result summary: it has no \"metadata\" object or no \"groups\" "
          + "array");
    }
    RunMetadata metadata;
    try {
      metadata = metadata(summary.get("metadata"));
    } catch (RuntimeException e) {
      throw new CompareException(file + ": metadata is incomplete: " + e.getMessage(), e);
    }
    JsonNode machine = readMachine(folder);
    SortedMap<String, String> hardware = machine == null ? new TreeMap<>() : Baselines.hardware(machine);
    JsonNode verdict = summary.path("validity").path("verdict");
    JsonNode mem = summary.path("serverMemory");
    ServerMemory memory = mem.isObject() ? new ServerMemory(mem.path("source").asText(""), number(mem, "modelGiB"),
        number(mem, "kvCacheGiB"), mem.path("kvCacheTokens").isNumber() ? mem.get("kvCacheTokens").asLong() : null)
        : null;
    Map<String, Map<HeadlineMetric, Double>> groups = new LinkedHashMap<>();
    for (JsonNode g : summary.get("groups")) {
      Map<HeadlineMetric, Double> figures = new EnumMap<>(HeadlineMetric.class);
      for (HeadlineMetric m : HeadlineMetric.values()) {
        Double v = number(g, m.key());
        if (v != null) {
          figures.put(m, v);
        }
      }
      groups.put(g.path("group").asText(), figures);
    }
    return new ResultRun(folder, metadata, hardware, verdict.isTextual() ? verdict.asText() : null,
        machine != null && machine.path("partial").asBoolean(false), memory, number(summary.path("server"), VRAM_PEAK),
        groups);
  }

  private static JsonNode readMachine(Path folder) throws CompareException {
    Path file = folder.resolve(METADATA);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CompareException(file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static RunMetadata metadata(JsonNode m) {
    Map<String, String> parameters = new TreeMap<>();
    m.path("parameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
    return RunMetadata.of(text(m, "runId"), text(m, "startedAt"), text(m, "profile"), m.path("framework").asText(""),
        text(m, "backend"), text(m, "model"), m.path("targetUrl").asText(""), m.path("serverHardware").asText(""),
        m.path("serverVersion").asText(""), parameters);
  }

  private static String text(JsonNode m, String key) {
    JsonNode v = m.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("\"" + key + "\" is missing");
    }
    return v.asText();
  }

  private static Double number(JsonNode node, String key) {
    JsonNode v = node.path(key);
    return v.isNumber() ? v.asDouble() : null;
  }
}
