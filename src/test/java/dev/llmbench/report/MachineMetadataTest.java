package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineMetadataTest {

  @Test
  void recordsTheMachineAndTheRunWithoutCredentials() {
    ObjectNode run = new ObjectMapper().createObjectNode().put("framework", "vllm")
        .put("targetUrl", "http://user:secret@gpu-box:8000/?key=sk-query-token");
    ObjectNode m = MachineMetadata.of(run, Instant.parse("2026-11-24T10:15:30Z"), Path.of("."));
    assertEquals("2026-11-24T10:15:30Z", m.get("timestampUtc").asText());
    assertEquals(MachineMetadata.SCHEMA_VERSION, m.get("schemaVersion").asInt());
    assertTrue(m.get("gitCommit").asText().matches("[0-9a-f]{40}"), "this checkout's commit: " + m.get("gitCommit"));
    assertTrue(m.get("cores").asInt() >= 1);
    assertTrue(m.get("jvm").asText().contains(System.getProperty("java.runtime.version")));
    assertEquals("vllm", m.get("run").get("framework").asText());
    assertEquals("http://gpu-box:8000/", m.get("run").get("targetUrl").asText());
    assertFalse(m.toString().contains("secret"), "no credential reaches the metadata");
    // Not a hex string: the metadata holds the commit's hash, which may contain any hex digits.
    assertFalse(m.toString().contains("query-token"), "nor does the query's key");
  }

  @Test
  void aMissingToolGivesNullNotAnError() {
    assertNull(MachineMetadata.command(Path.of("."), List.of("no-such-tool-here-42")));
  }
}
