package dev.llmbench.report.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Result folders written by hand: a {@code summary.json} as the post-run step writes it, with only what a comparison reads. */
final class HandMadeResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The load parameters of a smoke run against the emulator, as a result records them. */
  static final Map<String, String> SMOKE = Map.of("numPrompts", "32", "maxConcurrency", "8", "inputLen", "128",
      "outputLen", "64", "seed", "1", "sampling", "2", "size", "smoke");

  private HandMadeResults() {}

  /**
   * Writes {@code <reports>/<framework>/<name>/summary.json} with one group per entry of {@code groups} (its figures by
   * summary.json key) and returns the folder.
   */
  static Path write(Path reports, String framework, String name, Map<String, String> parameters,
      Map<String, Map<String, Double>> groups, ObjectNode serverMemory) throws IOException {
    Path folder = reports.resolve(framework).resolve(name);
    Files.createDirectories(folder);
    ObjectNode s = JSON.createObjectNode();
    s.put("schemaVersion", 1);
    ObjectNode m = s.putObject("metadata");
    m.put("runId", "run-" + framework);
    m.put("startedAt", "2026-12-01T00:00:00Z");
    m.put("profile", "smoke");
    m.put("framework", framework);
    m.put("backend", "openai-chat");
    m.put("model", "m");
    m.put("targetUrl", "http://127.0.0.1:8000");
    m.put("serverHardware", "");
    ObjectNode p = m.putObject("parameters");
    parameters.forEach(p::put);
    s.putObject("validity").put("verdict", "valid");
    var array = s.putArray("groups");
    groups.forEach((name2, figures) -> {
      ObjectNode g = array.addObject();
      g.put("group", name2);
      figures.forEach(g::put);
    });
    if (serverMemory != null) {
      s.set("serverMemory", serverMemory);
    }
    JSON.writeValue(folder.resolve("summary.json").toFile(), s);
    return folder;
  }

  static ObjectNode memory(double modelGiB, double kvCacheGiB, long tokens) {
    ObjectNode n = JSON.createObjectNode();
    n.put("source", "server.log");
    n.put("modelGiB", modelGiB);
    n.put("kvCacheGiB", kvCacheGiB);
    n.put("kvCacheTokens", tokens);
    return n;
  }
}
