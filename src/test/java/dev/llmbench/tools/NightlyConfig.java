package dev.llmbench.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nightly runner's config file, {@code nightly.json} (docs/nightly.md):
 *
 * <pre>
 * {
 *   "targetUrl": "http://gpu:30000",       optional: the embedded emulator otherwise
 *   "framework": "sglang",                 optional: the runs' own default otherwise
 *   "properties": { "baseline.dir": "baselines" },   every run's, before its own
 *   "entries": [
 *     { "name": "smoke", "simulation": "simulations.SmokeSimulation", "properties": { ... }, "stress": false }
 *   ]
 * }
 * </pre>
 *
 * Read in full before any run, and refused with one line at the first thing wrong (an unknown key, a
 * name used twice, a simulation that is not on the classpath, a property no run knows): a typo found
 * at 2 AM after an hour of runs costs the night.
 *
 * @param targetUrl the server every run targets, or null for the embedded emulator
 * @param framework the framework every run is filed under, or null
 * @param properties every run's properties, which an entry's own replace
 * @param entries the runs, in order
 */
record NightlyConfig(String targetUrl, String framework, Map<String, String> properties, List<Entry> entries) {

  /**
   * One run.
   *
   * @param name a folder-safe label, unique in the file
   * @param simulation the simulation's class name ({@code simulations.} added to a name without a package)
   * @param properties its own properties, over the file's
   * @param stress whether it is a stress entry, run only with {@code -Dnightly.stress=true}
   */
  record Entry(String name, String simulation, Map<String, String> properties, boolean stress) {}

  /** A comment anywhere: ignored, as profiles.json's are. */
  private static final String COMMENT = "_comment";
  private static final Set<String> TOP = Set.of("targetUrl", "framework", "properties", "entries", COMMENT);
  private static final Set<String> ENTRY = Set.of("name", "simulation", "properties", "stress", COMMENT);

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigException with one line saying what is wrong and how to put it right
   */
  static NightlyConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + " does not exist: give the nightly config with -Dnightly.config=FILE "
          + "(bin/nightly --config FILE); nightly.json at the repository root is the example");
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + " is not valid JSON: " + e.getOriginalMessage() + " (line "
          + e.getLocation().getLineNr() + ")");
    } catch (IOException e) {
      throw new ConfigException(file + " cannot be read: " + e.getMessage());
    }
    String where = file.getFileName().toString();
    if (root == null || !root.isObject()) {
      throw new ConfigException(where + " must hold a JSON object {\"properties\": {...}, \"entries\": [...]}");
    }
    keys(root, TOP, where);
    String url = text(root, "targetUrl", where);
    String framework = text(root, "framework", where);
    Map<String, String> common = properties(root.get("properties"), where);
    JsonNode list = root.get("entries");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new ConfigException(where + ": \"entries\" must be a non-empty array of {\"name\", \"simulation\", "
          + "\"properties\"}");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode n : list) {
      if (!n.isObject()) {
        throw new ConfigException(where + ": every entry must be an object {\"name\", \"simulation\", "
            + "\"properties\"}, but one was " + n);
      }
      String name = text(n, "name", where + ": an entry");
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new ConfigException(where + ": every entry needs a \"name\" of letters, digits, '.', '_', '-' (it "
            + "names the run in the summary), but one had " + n.get("name"));
      }
      String at = where + ": entry " + name;
      if (!names.add(name)) {
        throw new ConfigException(at + " is listed twice: give each entry its own name");
      }
      keys(n, ENTRY, at);
      String simulation = text(n, "simulation", at);
      if (simulation == null || simulation.isBlank()) {
        throw new ConfigException(at + " needs a \"simulation\", e.g. \"simulations.SmokeSimulation\"");
      }
      JsonNode stress = n.get("stress");
      if (stress != null && !stress.isBoolean()) {
        throw new ConfigException(at + ": \"stress\" must be true or false, but was " + stress);
      }
      entries.add(new Entry(name, simulation.contains(".") ? simulation : "simulations." + simulation,
          properties(n.get("properties"), at), stress != null && stress.asBoolean()));
    }
    return new NightlyConfig(url, framework, common, List.copyOf(entries));
  }

  /** Refuses a key that is not in {@code allowed}: a misspelt key would otherwise be a setting silently lost. */
  private static void keys(JsonNode n, Set<String> allowed, String where) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigException(where + ": unknown key \"" + k + "\"; the keys are "
            + allowed.stream().filter(a -> !a.equals(COMMENT)).sorted().toList());
      }
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ConfigException(where + ": \"" + field + "\" must be a string, but was " + v);
    }
    return v.asText();
  }

  /**
   * A {@code "properties"} object: values as a run gets them on its command line (strings, numbers,
   * booleans), every key one of the project's run properties ({@link CompareRuns#passesThrough}).
   */
  private static Map<String, String> properties(JsonNode n, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new ConfigException(where + ": \"properties\" must be an object of property names to values, but was "
          + n);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (!p.getValue().isValueNode() || p.getValue().isNull()) {
        throw new ConfigException(where + ": property " + p.getKey() + " must be a string, number or boolean, but "
            + "was " + p.getValue());
      }
      if (p.getKey().equals("api.key")) {
        throw new ConfigException(where + ": api.key does not belong in a file; give it as -Dapi.key or "
            + "OPENAI_API_KEY when the nightly runs");
      }
      if (!CompareRuns.passesThrough(p.getKey())) {
        throw new ConfigException(where + ": unknown property " + p.getKey() + " (a run's properties are listed "
            + "in docs/properties.md)");
      }
      out.put(p.getKey(), p.getValue().asText());
    }
    return out;
  }
}
