package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.Workloads;
import dev.llmbench.workload.TraceFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trace.* properties: read once, a bad one refused in one line, and what a replay's plan records. */
class TraceSettingsTest {
  private static String sample() {
    try {
      return Path.of(TraceSettingsTest.class.getResource("/traces/burstgpt.csv").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BenchConfig config(Map<String, String> values) {
    return BenchConfig.from(Props.of(values));
  }

  @Test
  void readAndRecorded() {
    BenchConfig c = config(Map.of("trace.path", sample(), "trace.speed", "4", "trace.max.requests", "2",
        "trace.format", "burstgpt"));
    assertEquals(TraceFile.Format.BURSTGPT, c.trace().format());
    assertEquals(4.0, c.trace().speed());
    Workloads.Plan plan = Workloads.serving(c);
    assertEquals(2, plan.numPrompts());
    assertEquals("burstgpt", plan.load().trace().format());
    assertEquals(TraceFile.sha256(Path.of(sample())), plan.load().trace().sha256());
    assertTrue(plan.load().asMap().containsKey("trace"), "a baseline compares it: " + plan.load().asMap());
    assertNull(config(Map.of()).trace());
  }

  @Test
  void badValuesAreOneClearLine() {
    assertTrue(assertThrows(ConfigException.class, () -> config(Map.of("trace.speed", "2"))).getMessage()
        .contains("trace.path"));
    assertTrue(assertThrows(ConfigException.class, () -> config(Map.of("trace.path", "/no/such/trace.jsonl")))
        .getMessage().contains("/no/such/trace.jsonl"));
    assertTrue(assertThrows(ConfigException.class, () -> config(Map.of("trace.path", sample(), "trace.speed", "0")))
        .getMessage().contains("trace.speed"));
    assertTrue(assertThrows(ConfigException.class, () -> config(Map.of("trace.path", sample(), "trace.format", "csv")))
        .getMessage().contains("trace.format"));
    assertTrue(assertThrows(ConfigException.class, () -> config(Map.of("trace.speeed", "2"))).getMessage()
        .contains("did you mean trace.speed"));
    // The trace decides arrivals and count: a property it would override is refused, not ignored.
    assertTrue(assertThrows(ConfigException.class,
        () -> Workloads.serving(config(Map.of("trace.path", sample(), "request.rate", "4")))).getMessage()
        .contains("request.rate"));
  }
}
