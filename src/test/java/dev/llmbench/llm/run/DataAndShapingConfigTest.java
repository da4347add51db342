package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.workload.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset and request-shaping properties: read once, each mistake one line naming the property. */
class DataAndShapingConfigTest {
  @TempDir
  Path dir;

  private static BenchConfig config(Map<String, String> values) {
    return BenchConfig.from(Props.of(values));
  }

  private static void refused(Map<String, String> values, String start) {
    ConfigException e = assertThrows(ConfigException.class, () -> config(values));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void aDatasetPathAloneInfersItsFormatAndFixesOutputsOnlyWhenAsked() throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Files.writeString(file, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi there\"}]}\n");
    BenchConfig c = config(Map.of("dataset.path", file.toString()));
    assertEquals(Dataset.Format.MESSAGES, c.dataset().format());
    assertNull(c.dataset().fixedOutputTokens());
    assertEquals(Integer.valueOf(12), config(Map.of("dataset.path", file.toString(), "random.output.len", "12"))
        .dataset().fixedOutputTokens());
    assertEquals(Integer.valueOf(9), config(Map.of("dataset.path", file.toString(), "sharegpt.output.len", "9"))
        .dataset().fixedOutputTokens());
    assertNull(config(Map.of()).dataset());
    assertTrue(config(Map.of()).shaping().none());
    assertNull(config(Map.of("dataset.name", "generated-shared-prefix")).dataset(), "another part's dataset");
  }

  @Test
  void mistakesAreOneLine() throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Files.writeString(file, "{\"prompt\": \"hello there\"}\n");
    refused(Map.of("dataset.name", "sharegtp", "dataset.path", file.toString()), "dataset.name must be one of");
    refused(Map.of("dataset.name", "sharegpt"), "dataset.name=sharegpt reads a file");
    refused(Map.of("dataset.path", dir.resolve("missing.json").toString()), "dataset.path ");
    refused(Map.of("dataset.path", file.toString(), "prompt.file", file.toString()), "give either prompt.file");
    refused(Map.of("extra.body", "{\"top_p\": 0.9"), "extra.body is not valid JSON");
    refused(Map.of("extra.body", "[1]"), "extra.body must be a JSON object");
    refused(Map.of("extra.headers", "X-A"), "extra.headers takes");
    refused(Map.of("lora.modules", "a,,b"), "lora.modules takes");
    refused(Map.of("temperature", "-1"), "temperature");
    refused(Map.of("temperature", "0.5", "extra.body", "{\"temperature\":0.7}"), "give the temperature once");
    refused(Map.of("extra.bdy", "{}"), "unknown property extra.bdy; did you mean extra.body?");
  }
}
