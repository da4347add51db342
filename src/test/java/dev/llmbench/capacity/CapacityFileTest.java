package dev.llmbench.capacity;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.capacity.CapacitySearch.Mode;
import dev.llmbench.capacity.CapacitySearch.Stop;
import dev.llmbench.report.input.CapacityFile;
import dev.llmbench.report.model.CapacitySearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capacity.json} both ways: what the search writes into the run folder ({@link SearchResult#writeJson})
 * is what the post-run step reads ({@link CapacityFile#read}); here because this test package may see both.
 */
class CapacityFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** A search's result with steps of every kind: passed, missed, stopped early, unmeasured, unjudged. */
  static SearchResult result(Mode mode, Random random) {
    Map<String, Double> measured = new LinkedHashMap<>();
    measured.put("ttft", 100 * random.nextDouble());
    measured.put("tpot", 10 * random.nextDouble());
    Map<String, Double> unmeasured = new LinkedHashMap<>();
    unmeasured.put("ttft", Double.NaN);
    unmeasured.put("tpot", Double.NaN);
    StepVerdict passed = new StepVerdict(1, 8, "p@" + mode.wireName() + "=8", 40, 40, 0, 0,
        random.nextDouble() * 10, random.nextDouble() * 500, 99, measured, false, null, true, List.of());
    StepVerdict stopped = new StepVerdict(2, 16, "p@" + mode.wireName() + "=16", 40, 20, 20, 0.5,
        random.nextDouble() * 10, random.nextDouble() * 500, 99, measured, true, "20 of 40 requests failed", false,
        List.of("error rate 50.0 % > 1.0 %", "stopped early: 20 of 40 requests failed"));
    StepVerdict none = new StepVerdict(3, 12.5, "p@" + mode.wireName() + "=12.5", 40, 0, 40, 1, 0, 0, 99,
        unmeasured, null, null, false, List.of("p99 ttft not measured", "no request completed"));
    return new SearchResult(mode, 8.0, 12.5, Stop.MAX_STEPS, 1, 2, 0.05, List.of(passed, stopped, none));
  }

  @Test
  void whatTheSearchWritesIsWhatThePostRunStepReads() throws IOException {
    Random random = new Random(42);
    for (Mode mode : Mode.values()) {
      SearchResult r = result(mode, random);
      Path file = dir.resolve(mode.wireName() + "-" + SearchResult.JSON_FILE);
      r.writeJson(file);
      CapacitySearchResult read = CapacityFile.read(file);
      assertEquals(r.model(), read, "round trip of " + mode);
      assertEquals(r.headline(), read.headline());
      assertEquals(r.bracketShare(), read.bracketShare());
      assertNull(read.steps().get(2).measuredMs().get("ttft"), "NaN (not measured) reads as unknown");
      assertTrue(read.steps().get(2).measuredMs().containsKey("ttft"), "but the objective is still listed");
      assertEquals("max_steps", read.stop());
      assertEquals(mode == Mode.RATE ? "rate (req/s)" : "concurrency", read.loadLabel());
    }
  }

  @Test
  void aSearchWithNoPassingStepHasNoAnswer() throws IOException {
    SearchResult r = new SearchResult(Mode.RATE, null, 1.0, Stop.MIN_FAILED, 0, 1, 0.05,
        List.of(result(Mode.RATE, new Random(7)).steps().get(1)));
    Path file = dir.resolve(SearchResult.JSON_FILE);
    r.writeJson(file);
    CapacitySearchResult read = CapacityFile.read(file);
    assertNull(read.answer());
    assertNull(read.bracketShare());
    assertEquals(r.model(), read);
  }

  @Test
  void theCommittedFixtureReads() throws IOException {
    Path fixture = Path.of("src/test/resources/dev/llmbench/report/capacity/capacity.json");
    CapacitySearchResult read = CapacityFile.read(fixture);
    assertEquals(CapacitySearchResult.RATE, read.search());
    assertEquals(read.answer(), read.steps().stream().filter(CapacitySearchResult.Step::passed)
        .mapToDouble(CapacitySearchResult.Step::load).max().orElseThrow(), "the answer is the highest passing load");
    assertEquals(read.passedAtOrBelow(), read.steps().stream().filter(CapacitySearchResult.Step::passed).count());
  }

  @Test
  void aFileFromBeforeTheVersionAndThePlannedCountStillReads() throws IOException {
    Path file = dir.resolve(SearchResult.JSON_FILE);
    result(Mode.CONCURRENCY, new Random(3)).writeJson(file);
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    root.remove("schemaVersion");
    root.get("steps").forEach(s -> ((ObjectNode) s).remove("planned"));
    JSON.writeValue(file.toFile(), root);
    CapacitySearchResult read = CapacityFile.read(file);
    read.steps().forEach(s -> assertEquals(s.completed() + s.failed(), s.planned()));
  }

  @Test
  void aBadFileIsOneClearError() throws IOException {
    Path file = dir.resolve(SearchResult.JSON_FILE);
    result(Mode.RATE, new Random(5)).writeJson(file);
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ((ObjectNode) root.get("steps").get(1)).put("completed", "many");
    JSON.writeValue(file.toFile(), root);
    IOException e = assertThrows(IOException.class, () -> CapacityFile.read(file));
    assertEquals("capacity.json: steps[1]: field 'completed' must be an integer, got \"many\"", e.getMessage());

    root.put("schemaVersion", 9);
    JSON.writeValue(file.toFile(), root);
    e = assertThrows(IOException.class, () -> CapacityFile.read(file));
    assertEquals("capacity.json: has schemaVersion 9; this tool reads 1", e.getMessage());

    Files.writeString(file, "{\"search\": \"rate\", ");
    e = assertThrows(IOException.class, () -> CapacityFile.read(file));
    assertTrue(e.getMessage().startsWith("capacity.json: not JSON: "), e.getMessage());
  }
}
