package dev.llmbench.report.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.TempSibling;
import dev.llmbench.report.model.CapacitySearchResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code capacity.json}, a capacity search's result ({@link CapacitySearchResult}),
 * which {@code CapacitySimulation} leaves in Gatling's run folder and the post-run step copies into the
 * result folder. One place for the format, both ways:
 *
 * <pre>
 * {
 *   "schemaVersion" : 1 (absent in files from before it was versioned: read as 1),
 *   "search" : "rate" | "concurrency",
 *   "answer" : the highest load that met the objectives (req/s or streams); null when none did,
 *   "failedAt" : the lowest load that missed them; null when none did,
 *   "bracketShare" : (failedAt - answer) / answer; null without both,
 *   "stop" : "converged" | "max_passed" | "min_failed" | "max_steps"; null when the run ended first,
 *   "passedAtOrBelow", "failedAbove" : steps that back the answer on either side,
 *   "tolerance" : the bracket's width aimed for, a share of its lower end,
 *   "headline" : the answer in one phrase,
 *   "steps" : [ {
 *     "step" (from 1), "rate" | "concurrency" (the step's load, the key named by "search"), "group",
 *     "passed", "planned", "completed", "failed", "errorRate" (0..1), "requestThroughput" (req/s),
 *     "outputThroughput" (tok/s), "percentile" (99 for p99),
 *     "measuredMs" : { "ttft" | "tpot" | "e2el" : that percentile in ms, null when unmeasured },
 *     "saturated" (absent when not judged), "stoppedEarly" (absent when not stopped),
 *     "misses" : [ why it missed, one phrase each ]
 *   }, ... in the order they ran ]
 * }
 * </pre>
 */
public final class CapacityFile {
  /** The file's name, in the run folder and in the result folder. */
  public static final String FILE_NAME = "capacity.json";

  /** The version this code writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CapacityFile() {}

  /**
   * The search in {@code file}.
   *
   * @throws IOException when it cannot be read, is not JSON, has another schemaVersion, or lacks a field
   *     (the message names the file and the field)
   */
  public static CapacitySearchResult read(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(file.getFileName() + ": not JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return of(root);
    } catch (IllegalArgumentException e) {
      throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The search {@code root} holds, as the file does.
   *
   * @throws IllegalArgumentException naming the field that is missing or of the wrong type
   */
  public static CapacitySearchResult of(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode version = root.get("schemaVersion");
    if (version != null && version.asInt(-1) != SCHEMA_VERSION) {
      throw new IllegalArgumentException("has schemaVersion " + version + "; this tool reads " + SCHEMA_VERSION);
    }
    String search = text(root, "search", false);
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isArray()) {
      throw new IllegalArgumentException("field 'steps' must be an array, got " + steps);
    }
    List<CapacitySearchResult.Step> rows = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      try {
        rows.add(step(steps.get(i), search));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("steps[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new CapacitySearchResult(search, nullableNumber(root, "answer"), nullableNumber(root, "failedAt"),
        nullableNumber(root, "bracketShare"), text(root, "stop", true), (int) integer(root, "passedAtOrBelow"),
        (int) integer(root, "failedAbove"), number(root, "tolerance"), text(root, "headline", false), rows);
  }

  private static CapacitySearchResult.Step step(JsonNode s, String search) {
    if (s == null || !s.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode measured = s.get("measuredMs");
    if (measured == null || !measured.isObject()) {
      throw new IllegalArgumentException("field 'measuredMs' must be an object, got " + measured);
    }
    Map<String, Double> ms = new LinkedHashMap<>();
    for (Iterator<String> keys = measured.fieldNames(); keys.hasNext(); ) {
      String k = keys.next();
      ms.put(k, nullableNumber(measured, k));
    }
    JsonNode misses = s.get("misses");
    if (misses == null || !misses.isArray()) {
      throw new IllegalArgumentException("field 'misses' must be an array, got " + misses);
    }
    List<String> why = new ArrayList<>();
    misses.forEach(m -> why.add(m.asText()));
    JsonNode saturated = s.get("saturated");
    if (saturated != null && !saturated.isNull() && !saturated.isBoolean()) {
      throw new IllegalArgumentException("field 'saturated' must be a boolean, got " + saturated);
    }
    JsonNode passed = s.get("passed");
    if (passed == null || !passed.isBoolean()) {
      throw new IllegalArgumentException("field 'passed' must be a boolean, got " + passed);
    }
    // Older files have no planned count: the measured requests were the plan.
    long completed = integer(s, "completed");
    long failed = integer(s, "failed");
    long planned = s.has("planned") ? integer(s, "planned") : completed + failed;
    return new CapacitySearchResult.Step((int) integer(s, "step"), number(s, search), text(s, "group", false),
        passed.asBoolean(), planned, completed, failed, number(s, "errorRate"), number(s, "requestThroughput"),
        number(s, "outputThroughput"), number(s, "percentile"), ms,
        saturated == null || saturated.isNull() ? null : saturated.asBoolean(), text(s, "stoppedEarly", true), why);
  }

  /** The search as the file holds it. */
  public static ObjectNode json(CapacitySearchResult r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("search", r.search());
    putNumber(root, "answer", r.answer());
    putNumber(root, "failedAt", r.failedAt());
    putNumber(root, "bracketShare", r.bracketShare());
    root.put("stop", r.stop());
    root.put("passedAtOrBelow", r.passedAtOrBelow());
    root.put("failedAbove", r.failedAbove());
    root.put("tolerance", r.tolerance());
    root.put("headline", r.headline());
    ArrayNode rows = root.putArray("steps");
    for (CapacitySearchResult.Step s : r.steps()) {
      ObjectNode row = rows.addObject();
      row.put("step", s.step());
      row.put(r.search(), s.load());
      row.put("group", s.group());
      row.put("passed", s.passed());
      row.put("planned", s.planned());
      row.put("completed", s.completed());
      row.put("failed", s.failed());
      row.put("errorRate", s.errorRate());
      row.put("requestThroughput", s.requestThroughput());
      row.put("outputThroughput", s.outputThroughput());
      row.put("percentile", s.percentile());
      ObjectNode measured = row.putObject("measuredMs");
      s.measuredMs().forEach((k, v) -> putNumber(measured, k, v));
      if (s.saturated() != null) {
        row.put("saturated", s.saturated());
      }
      if (s.stoppedEarly() != null) {
        row.put("stoppedEarly", s.stoppedEarly());
      }
      ArrayNode misses = row.putArray("misses");
      s.misses().forEach(misses::add);
    }
    return root;
  }

  /** Writes the search to {@code file}, atomically (a reader never sees half of it). */
  public static void write(CapacitySearchResult r, Path file) throws IOException {
    ObjectNode root = json(r);
    TempSibling.write(file, out -> MAPPER.writeValue(out, root));
  }

  private static void putNumber(ObjectNode node, String key, Double v) {
    if (v == null || v.isNaN()) {
      node.putNull(key);
    } else {
      node.put(key, v);
    }
  }

  private static String text(JsonNode node, String field, boolean nullable) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (nullable) {
        return null;
      }
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field) {
    Double v = nullableNumber(node, field);
    if (v == null) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return v;
  }

  private static Double nullableNumber(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("field '" + field + "' must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static long integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + v);
    }
    return v.asLong();
  }
}
