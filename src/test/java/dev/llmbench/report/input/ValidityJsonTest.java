package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.ValidityThresholds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The monitor and threshold objects of llm-run.json: written, read back, and refused when wrong. */
class ValidityJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MonitorFigures seeded(Random r, double machine) {
    long p50 = r.nextInt(1_000);
    long p99 = p50 + r.nextInt(10_000);
    long gcMax = r.nextInt(100);
    return new MonitorFigures(1 + r.nextInt(1 << 30), r.nextInt(1 << 30), 1 + r.nextInt(64), machine, 10_000,
        r.nextInt(8), 1 + r.nextInt(10_000), p50, p99, p99 + r.nextInt(100_000), 1 + r.nextInt(1 << 20), p50 / 2,
        p99 / 2, p99, 1 + r.nextInt(1_000), p50, p99, p99 + 1, r.nextInt(50), gcMax + r.nextInt(500), gcMax,
        r.nextInt(60), r.nextInt(900));
  }

  /** Through text, as llm-run.json is written by the simulation and read by the post-run step. */
  private static JsonNode written(Object value) throws Exception {
    return JSON.readTree(JSON.writeValueAsString(value));
  }

  @Test
  void monitorRoundTrips() throws Exception {
    Random r = new Random(7);
    for (int i = 0; i < 50; i++) {
      MonitorFigures m = seeded(r, i % 5 == 0 ? Double.NaN : r.nextDouble());
      JsonNode json = written(ValidityJson.monitor(m));
      assertEquals(m, ValidityJson.monitor(json));
      assertEquals(m.processCpuShare(), json.get("processCpuShare").asDouble(), 1e-12, "written for readers");
      if (Double.isNaN(m.machineCpuLoad())) {
        assertTrue(json.get("machineCpuLoad").isNull(), "unknown is null, never NaN: " + json);
      }
    }
  }

  @Test
  void thresholdsRoundTripKeyedByTheirProperties() throws Exception {
    ValidityThresholds t = new ValidityThresholds(12.5, 2.5, 3, 40, 0.75);
    JsonNode json = written(ValidityJson.thresholds(t));
    assertEquals(12.5, json.get("validity.loop.lag.ms").asDouble());
    assertEquals(2.5, json.get("validity.read.lag.ms").asDouble());
    assertEquals(t, ValidityJson.thresholds(json));
  }

  /** A run folder from before the read lag (monitor version 1) is still judged, as a run with no reads measured. */
  @Test
  void aVersionOneMonitorAndItsThresholdsAreReadWithoutReadLag() throws Exception {
    MonitorFigures m = seeded(new Random(3), 0.5);
    ObjectNode json = (ObjectNode) written(ValidityJson.monitor(m));
    json.put("schemaVersion", 1);
    for (String field : new String[] {"readLagSamples", "readLagP50Micros", "readLagP99Micros", "readLagMaxMicros"}) {
      json.remove(field);
    }
    MonitorFigures read = ValidityJson.monitor(json);
    assertEquals(0, read.readLagSamples());
    assertEquals(0, read.readLagMaxMicros());
    assertEquals(m.loopLagP99Micros(), read.loopLagP99Micros());
    assertEquals(m.gcCollectorTimeMs(), read.gcCollectorTimeMs());
    ObjectNode limits = (ObjectNode) written(ValidityJson.thresholds(new ValidityThresholds(12.5, 2.5, 3, 40, 0.75)));
    limits.remove("validity.read.lag.ms");
    assertEquals(new ValidityThresholds(12.5, ValidityThresholds.DEFAULTS.readLagMs(), 3, 40, 0.75),
        ValidityJson.thresholds(limits));
  }

  @Test
  void anotherSchemaVersionIsRefusedNamingBoth() throws Exception {
    ObjectNode json = (ObjectNode) written(ValidityJson.monitor(seeded(new Random(1), 0.5)));
    json.put("schemaVersion", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValidityJson.monitor(json));
    assertEquals("monitor has schemaVersion 3; this tool reads 1 to 2", e.getMessage());
    json.put("schemaVersion", 0);
    e = assertThrows(IllegalArgumentException.class, () -> ValidityJson.monitor(json));
    assertEquals("monitor has schemaVersion 0; this tool reads 1 to 2", e.getMessage());
  }

  @Test
  void aMissingOrWrongFieldIsNamed() throws Exception {
    ObjectNode json = (ObjectNode) written(ValidityJson.monitor(seeded(new Random(2), 0.5)));
    json.remove("readLagP99Micros");
    assertEquals("monitor.readLagP99Micros must be an integer, but was null",
        assertThrows(IllegalArgumentException.class, () -> ValidityJson.monitor(json)).getMessage(),
        "version 2 must have the read lag");
    json.put("readLagP99Micros", json.get("readLagP50Micros").asLong());
    json.remove("gcPauseMaxMs");
    assertEquals("monitor.gcPauseMaxMs must be an integer, but was null",
        assertThrows(IllegalArgumentException.class, () -> ValidityJson.monitor(json)).getMessage());
    json.put("gcPauseMaxMs", "3");
    assertEquals("monitor.gcPauseMaxMs must be an integer, but was \"3\"",
        assertThrows(IllegalArgumentException.class, () -> ValidityJson.monitor(json)).getMessage());
    ObjectNode limits = (ObjectNode) written(ValidityJson.thresholds(ValidityThresholds.DEFAULTS));
    limits.remove("validity.cpu.share");
    assertEquals("validity.thresholds.validity.cpu.share must be a number, but was null",
        assertThrows(IllegalArgumentException.class, () -> ValidityJson.thresholds(limits)).getMessage());
  }
}
