package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.emulator.LlmEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The server's version travels from the run's start to its result: the embedded emulator answers
 * {@code GET /version}, and the run records what it said in {@code llm-run.json}, {@code metadata.json},
 * {@code summary.json}, the result page and {@code reports/summary/index.csv}. (A server without any
 * version route: {@code llm.run.ServerInfoTest}.)
 */
class ServerVersionRunTest extends EmulatorRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GatlingRun.Outcome run;

  @BeforeAll
  static void runAgainstTheEmulator() throws IOException {
    run = GatlingRun.run(ServingSimulation.class, randomLoad(4, 16, 8, 2), results.resolve("version"));
    assertEquals(0, run.exitCode());
  }

  @Test
  void theRunRecordsTheVersionTheServerReported() throws IOException {
    JsonNode described = JSON.readTree(run.runFolder().resolve("llm-run.json").toFile());
    assertEquals(LlmEmulator.VERSION, described.path("serverVersion").asText(), described.toString());

    Path result = resultFolder("version");
    JsonNode metadata = JSON.readTree(result.resolve("summary.json").toFile()).path("metadata");
    assertEquals(LlmEmulator.VERSION, metadata.path("serverVersion").asText(), metadata.toString());
    assertEquals(LlmEmulator.VERSION,
        JSON.readTree(result.resolve("metadata.json").toFile()).path("run").path("serverVersion").asText());
    assertTrue(Files.readString(result.resolve("index.html")).contains(LlmEmulator.VERSION), "the result page");
  }

  @Test
  void theSummaryIndexListsIt() throws IOException {
    Path index = result().getParent().getParent().resolve("summary").resolve("index.csv");
    try (var in = Files.newBufferedReader(index)) {
      List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)
          .getRecords();
      assertTrue(!rows.isEmpty());
      rows.forEach(r -> assertEquals(LlmEmulator.VERSION, r.get("server_version"), r.toString()));
    }
  }

  private static Path result() {
    return resultFolder("version");
  }
}
