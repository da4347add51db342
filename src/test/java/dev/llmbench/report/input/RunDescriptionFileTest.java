package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.ServerMemory;
import dev.llmbench.report.model.ValidityThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llm-run.json: written and read back, as the map the simulation wrote before it, and from older runs. */
class RunDescriptionFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MonitorFigures FIGURES = new MonitorFigures(10_000_000_000L, 1_000_000_000L, 2, 0.5, 10_000,
      4, 4_000, 100, 900, 1_200, 3_000, 50, 400, 700, 20, 10, 30, 40, 2, 12, 8, 5, 60);
  private static final String EMULATOR = "ttft=20ms itl=2ms transport=epoll tokenizer=word";

  @TempDir
  Path dir;

  /** A run with every part recorded: a random profile on the embedded emulator, sized by the server. */
  private static RunDescription full() {
    LoadParameters load = new LoadParameters(null, null, "smoke", 20, LoadParameters.MaxConcurrency.of(4),
        LoadParameters.rates(List.of(2.0, Double.POSITIVE_INFINITY)), 1.0, "vllm", 42L, false, 2, 1, null, 128, 8,
        0.0, null).withTarget(true, EMULATOR).withPromptSizingMethod("server-tokenize");
    return new RunDescription(1, "2026-12-06T05:00:00Z", "random-128-8", "emulator", "openai-chat",
        "llm-serving-bench/emulated-8b", "http://127.0.0.1:40123", "1x L4 24GB, vLLM 0.11", "0.11.0", "/tmp/vllm.log", load,
        new RunDescription.Sizing("server-tokenize", "4000 of 4096 words one token", null),
        List.of(new RunDescription.PhaseSize("random-128-8@rate=2 warm-up", 1, 1),
            new RunDescription.PhaseSize("random-128-8@rate=2", 20, 4)),
        List.of("a note"), RunDescriptionFile.policy(false, ValidityThresholds.DEFAULTS),
        null, // no accuracy gate: the map before the record had none
        null, // one injector
        RunDescription.AfterLoad.NONE.withMonitor(RunDescriptionFile.monitor(FIGURES))
            .withRequests(new RunDescription.Requests(20L, 20L, 0L))
            .withBreaker(new RunDescription.Breaker(true, 10, 0.5, 100, false, null, null))
            .withServerMemory(new ServerMemory("vllm.log", 15.5, null, null)));
  }

  /** The same run as the simulation described it before the record: a map, filled in this order. */
  private static Map<String, Object> asTheMapWas() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("schemaVersion", 1);
    run.put("startedAt", "2026-12-06T05:00:00Z");
    run.put("profile", "random-128-8");
    run.put("framework", "emulator");
    run.put("backend", "openai-chat");
    run.put("model", "llm-serving-bench/emulated-8b");
    run.put("targetUrl", "http://127.0.0.1:40123");
    run.put("serverHardware", "1x L4 24GB, vLLM 0.11");
    run.put("serverVersion", "0.11.0");
    run.put("serverLog", "/tmp/vllm.log");
    run.put("embeddedEmulator", true);
    run.put("emulator", EMULATOR);
    run.put("size", "smoke");
    run.put("numPrompts", 20);
    run.put("maxConcurrency", 4);
    run.put("requestRates", List.of("2.0", "inf"));
    run.put("burstiness", 1.0);
    run.put("arrivalSchedule", "vllm");
    run.put("seed", 42L);
    run.put("httpKeepAlive", false);
    run.put("sampling", 2);
    run.put("warmupRequests", 1);
    run.put("promptFile", null);
    run.put("inputLen", 128);
    run.put("outputLen", 8);
    run.put("rangeRatio", 0.0);
    Map<String, Object> sizing = new LinkedHashMap<>();
    sizing.put("method", "server-tokenize");
    sizing.put("detail", "4000 of 4096 words one token");
    sizing.put("templateOverheadTokens", null);
    run.put("promptSizing", sizing);
    run.put("promptSizingMethod", "server-tokenize");
    run.put("phases", List.of(Map.of("name", "random-128-8@rate=2 warm-up", "requests", 1, "workers", 1),
        Map.of("name", "random-128-8@rate=2", "requests", 20, "workers", 4)));
    run.put("notes", List.of("a note"));
    run.put("validity", Map.of("strict", false, "thresholds", ValidityJson.thresholds(ValidityThresholds.DEFAULTS)));
    run.put("monitor", ValidityJson.monitor(FIGURES));
    run.put("requests", Map.of("planned", 20L, "sent", 20L, "notSent", 0L));
    Map<String, Object> breaker = new LinkedHashMap<>();
    breaker.put("enabled", true);
    breaker.put("consecutiveFailures", 10);
    breaker.put("errorRate", 0.5);
    breaker.put("windowRequests", 100);
    breaker.put("tripped", false);
    breaker.put("reason", null);
    breaker.put("trippedAt", null);
    run.put("breaker", breaker);
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("source", "vllm.log");
    memory.put("modelGiB", 15.5);
    memory.put("kvCacheGiB", null);
    memory.put("kvCacheTokens", null);
    run.put("serverMemory", memory);
    return run;
  }

  /** The load parameters as the post-run step took them from the file before the record, by their keys. */
  private static Map<String, String> asTheKeysGaveThem(JsonNode run) {
    Map<String, String> parameters = new TreeMap<>();
    for (String key : List.of("size", "numPrompts", "maxConcurrency", "requestRates", "burstiness", "arrivalSchedule",
        "seed", "sampling", "warmupRequests", "promptFile", "embeddedEmulator", "emulator", "inputLen", "outputLen",
        "rangeRatio", "promptSizingMethod", "httpKeepAlive")) {
      JsonNode v = run.get(key);
      if (v != null && !v.isNull()) {
        parameters.put(key, v.isTextual() ? v.asText() : v.toString());
      }
    }
    return parameters;
  }

  private static List<String> keys(JsonNode o) {
    List<String> keys = new ArrayList<>();
    o.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void thePhasesSeenLiveAreWrittenOneObjectEachAndReadBackEqual() throws IOException {
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    RunDescription run = full().withAfterLoad(a -> a.withLiveSaturation(List.of(
        new RunDescription.LiveSaturation("random-128-8@rate=2", true, 1.5, 4.0, true, 12),
        new RunDescription.LiveSaturation("random-128-8@rate=8", false, null, null, false, 0))));
    RunDescriptionFile.write(run, file);
    assertEquals(run, RunDescriptionFile.read(file));
    JsonNode live = JSON.readTree(file.toFile()).get("liveSaturation");
    assertEquals(JSON.readTree("[{\"phase\":\"random-128-8@rate=2\",\"saturated\":true,\"sinceSec\":1.5,"
        + "\"seenSec\":4.0,\"stopped\":true,\"notSent\":12},{\"phase\":\"random-128-8@rate=8\","
        + "\"saturated\":false,\"sinceSec\":null,\"seenSec\":null,\"stopped\":false,\"notSent\":0}]"), live);
  }

  @Test
  void aDescriptionWrittenIsReadBackEqual() throws IOException {
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    RunDescriptionFile.write(full(), file);
    assertEquals(full(), RunDescriptionFile.read(file));
  }

  @Test
  void theFileHoldsWhatTheMapHeldFieldForField() throws IOException {
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    RunDescriptionFile.write(full(), file);
    JsonNode written = JSON.readTree(file.toFile());
    JsonNode before = JSON.readTree(JSON.writeValueAsString(asTheMapWas()));
    assertEquals(before, written);
    // In the same order, but for the load parameter of the sizing, now with the other load parameters.
    List<String> order = keys(before);
    order.remove("promptSizingMethod");
    order.add(order.indexOf("promptSizing"), "promptSizingMethod");
    assertEquals(order, keys(written));
    assertEquals(asTheKeysGaveThem(before), RunDescriptionFile.read(file).load().asMap());
  }

  @Test
  void anOlderRunIsReadAndItsAbsentPartsStayAbsent() throws IOException {
    // As the simulation wrote it before -Dserver.hardware, keep-alive, prompt sizing, arrival schedules,
    // the resolved numPrompts and maxConcurrency, the sampling version and the self-monitor.
    String older = """
        {
          "schemaVersion" : 1,
          "startedAt" : "2026-03-01T11:00:00Z",
          "profile" : "random-128-8",
          "framework" : "emulator",
          "backend" : "openai-chat",
          "model" : "llm-serving-bench/emulated-8b",
          "targetUrl" : "http://127.0.0.1:8000",
          "embeddedEmulator" : true,
          "emulator" : "ttft=20ms itl=2ms",
          "size" : "smoke",
          "requestRates" : [ "inf" ],
          "burstiness" : 1.0,
          "seed" : 1,
          "warmupRequests" : 0,
          "promptFile" : null,
          "inputLen" : 128,
          "outputLen" : 8,
          "rangeRatio" : 0.0,
          "phases" : [ { "workers" : 10, "name" : "random-128-8", "requests" : 10 } ],
          "notes" : [ ]
        }
        """;
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    Files.writeString(file, older);
    RunDescription run = RunDescriptionFile.read(file);
    assertEquals("random-128-8", run.profile());
    assertNull(run.serverHardware());
    assertNull(run.promptSizing());
    assertNull(run.validity());
    assertEquals(RunDescription.AfterLoad.NONE, run.afterLoad());
    assertEquals(List.of(new RunDescription.PhaseSize("random-128-8", 10, 10)), run.phases());
    assertEquals(asTheKeysGaveThem(JSON.readTree(older)), run.load().asMap());
    assertFalse(run.load().asMap().containsKey("numPrompts"), "unknown, as before: a baseline says it is not checked");

    JsonNode again = RunDescriptionFile.json(run);
    for (String absent : List.of("serverHardware", "serverVersion", "httpKeepAlive", "promptSizing", "promptSizingMethod",
        "arrivalSchedule", "maxConcurrency", "sampling", "monitor", "requests", "breaker", "serverMemory")) {
      assertFalse(again.has(absent), absent + " stays absent: " + again);
    }
  }

  @Test
  void anUnlimitedConcurrencyIsRecordedAsBefore() throws IOException {
    JsonNode json = JSON.readTree("{\"maxConcurrency\" : \"unlimited\", \"numPrompts\" : null}");
    RunDescription run = RunDescriptionFile.of(json);
    assertNull(run.load().maxConcurrency().limit());
    assertEquals(Map.of("maxConcurrency", "unlimited"), run.load().asMap());
    assertEquals("unlimited", RunDescriptionFile.json(run).get("maxConcurrency").asText());
  }

  @Test
  void aFieldOfTheWrongTypeIsAnErrorNamingTheFile() throws IOException {
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    Files.writeString(file, "{\"schemaVersion\" : 1, \"maxConcurrency\" : \"many\"}");
    IOException e = assertThrows(IOException.class, () -> RunDescriptionFile.read(file));
    assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains("maxConcurrency"), e.getMessage());
  }

  @Test
  void aNewerFileIsRefusedNamingBothVersions() throws IOException {
    Path file = dir.resolve(RunDescriptionFile.FILE_NAME);
    Files.writeString(file, "{\"schemaVersion\" : 2}");
    IOException e = assertThrows(IOException.class, () -> RunDescriptionFile.read(file));
    assertEquals("llm-run.json has schemaVersion 2; this tool reads 1", e.getMessage());
  }
}
