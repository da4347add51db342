package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link EmulatorConfig#fromProperties}: every key read, unknown keys and bad values refused by name. */
class EmulatorConfigTest {

  private static EmulatorConfig read(Map<String, String> properties) {
    return EmulatorConfig.fromProperties(Props.of(properties));
  }

  @Test
  void noPropertiesGiveTheDefaults() {
    assertEquals(EmulatorConfig.defaults(), read(Map.of("llm.model", "not ours", "java.version", "17")));
  }

  @Test
  void everyKeyIsRead() {
    Map<String, String> p = new HashMap<>();
    p.put("emulator.host", "0.0.0.0");
    p.put("emulator.port", "8123");
    p.put("emulator.model", "m");
    p.put("emulator.max.model.len", "4096");
    p.put("emulator.io.threads", "3");
    p.put("emulator.transport", "nio");
    p.put("emulator.prefill.tps", "12000.5");
    p.put("emulator.decode.step.base.us", "4000");
    p.put("emulator.decode.step.per.seq.us", "25");
    p.put("emulator.max.running", "64");
    p.put("emulator.kv.cache.tokens", "100_000");
    p.put("emulator.prefill.chunk.tokens", "2048");
    p.put("emulator.tokens.per.chunk", "4");
    p.put("emulator.mean.output.tokens", "300");
    p.put("emulator.dialect", "llama-cpp");
    p.put("emulator.reasoning.tokens", "16");
    p.put("emulator.seed", "-7");
    p.put("emulator.ground.truth.file", "target/gt.jsonl");
    p.put("emulator.ground.truth.capacity", "10");
    p.put("emulator.tokenizer", "subword");
    p.put("emulator.tokenize.endpoint", "false");
    p.put("emulator.fault.rate.http-500", "0.25");
    p.put("emulator.fault.rate.no-done", "1");
    p.put("emulator.fault.rate.wrong-shape", "0.1");
    p.put("emulator.die.after.requests", "40");
    p.put("emulator.wire.style", "spaced, bare-data,CRLF");
    p.put("emulator.close.after.stream.ms", "5");
    p.put("emulator.keepalive.max", "3");
    p.put("emulator.keepalive.timeout.ms", "1500");
    p.put("emulator.embedding.dim", "768");
    p.put("emulator.fault.drift.pct.per.min", "2.5");
    p.put("emulator.fault.memory.growth.mb.per.min", "64");
    p.put("emulator.fault.oom.above.tokens", "20000");
    p.put("emulator.accuracy", "0.95");
    p.put("emulator.prefix.cache", "true");
    p.put("emulator.prefix.cache.block", "32");

    EmulatorConfig c = read(p);

    assertEquals("0.0.0.0", c.host());
    assertEquals(8123, c.port());
    assertEquals("m", c.model());
    assertEquals(4096, c.maxModelLen());
    assertEquals(3, c.ioThreads());
    assertEquals(EmulatorConfig.Transport.NIO, c.transport());
    assertEquals(new TimingModel(12000.5, 4000, 25, 64, 100_000, 2048, 4, 300), c.timing());
    assertEquals(Dialect.LLAMA_CPP, c.dialect());
    assertEquals(16, c.reasoningTokens());
    assertEquals(-7, c.seed());
    assertEquals(Path.of("target/gt.jsonl"), c.groundTruthFile());
    assertEquals(10, c.groundTruthCapacity());
    assertEquals(EmulatorConfig.Tokenizer.SUBWORD, c.tokenizer());
    assertFalse(c.tokenizeEndpoint());
    assertEquals(Map.of(Fault.HTTP_500, 0.25, Fault.NO_DONE, 1.0, Fault.WRONG_SHAPE, 0.1), c.faultRates());
    assertEquals(40, c.dieAfterRequests());
    assertTrue(c.describe().endsWith(" dieAfterRequests=40 tokenizer=subword tokenizeEndpoint=false wire=spaced,crlf,bare-data closeAfterStream=5ms keepAliveMax=3 keepAliveTimeout=1500ms embeddingDim=768 drift=2.5%/min memoryGrowth=64MiB/min oomAboveTokens=20000 accuracy=0.95 prefixCache=32tok/block"), c.describe());
    assertEquals(WireStyle.of(WireStyle.Option.SPACED, WireStyle.Option.BARE_DATA, WireStyle.Option.CRLF),
        c.wireStyle());
    assertEquals(5, c.closeAfterStreamMillis());
    assertEquals(3, c.keepAliveMax());
    assertEquals(1500, c.keepAliveTimeoutMillis());
    assertEquals(768, c.embeddingDim());
    assertEquals(2.5, c.driftPctPerMin());
    assertEquals(64, c.memoryGrowthMbPerMin());
    assertEquals(20_000, c.oomAboveTokens());
    assertEquals(0.95, c.accuracy());
    assertEquals(32, c.prefixCacheBlockTokens());
    assertTrue(p.keySet().stream().allMatch(k -> EmulatorConfig.PROPERTY_KEYS.contains(k)
        || k.startsWith("emulator.fault.rate.")), "the test covers only documented keys");
    assertEquals(EmulatorConfig.PROPERTY_KEYS.size(), p.size() - 3, "the test covers every documented key");
  }

  /**
   * The description is a load parameter of every run on the embedded emulator, compared with the
   * baseline's: with default settings it must read as the shipped baseline recorded it (its I/O
   * transport aside, which the comparison leaves out), or the default command compares with nothing.
   */
  @Test
  void theDefaultDescriptionIsTheShippedBaselines() throws java.io.IOException {
    String recorded = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Path.of("baselines/emulator/smoke.metadata.json").toFile())
        .path("loadParameters").path("emulator").asText();
    String now = EmulatorConfig.defaults().describe().replaceAll("transport=\\S+ ", "");
    assertEquals(recorded, now);
    String reasoning = EmulatorConfig.defaults().toBuilder().reasoningTokens(8).build().describe();
    assertTrue(reasoning.contains(" reasoningTokens=8 "), "a setting made is described: " + reasoning);
  }

  @Test
  void connectionOptionsOutOfRangeAreErrorsNamingTheKey() {
    for (Map.Entry<String, String> bad : Map.of("emulator.close.after.stream.ms", "-2",
        "emulator.keepalive.max", "-1", "emulator.keepalive.timeout.ms", "soon").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }

  @Test
  void unknownKeyIsAnErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("emulator.prefill.rate", "1000")));

    assertTrue(e.getMessage().contains("emulator.prefill.rate"), e.getMessage());
    assertTrue(e.getMessage().contains("emulator.prefill.tps"), "lists the valid keys: " + e.getMessage());
  }

  @Test
  void unknownFaultInARateKeyIsAnErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("emulator.fault.rate.http500", "0.5")));

    assertTrue(e.getMessage().contains("emulator.fault.rate.http500"), e.getMessage());
    assertTrue(e.getMessage().contains("http-500"), "names the valid faults: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "emulator.port, abc",
      "emulator.port, 70000",
      "emulator.max.model.len, 1",
      "emulator.io.threads, 0",
      "emulator.prefill.tps, fast",
      "emulator.prefill.tps, -5",
      "emulator.decode.step.base.us, -1",
      "emulator.decode.step.per.seq.us, NaN",
      "emulator.max.running, 0",
      "emulator.kv.cache.tokens, 0",
      "emulator.prefill.chunk.tokens, 0",
      "emulator.tokens.per.chunk, 0",
      "emulator.mean.output.tokens, 1.5",
      "emulator.dialect, openai",
      "emulator.seed, x",
      "emulator.ground.truth.capacity, -1",
      "emulator.fault.rate.stall, 1.5",
      "emulator.fault.rate.disconnect, often",
      "emulator.wire.style, tabs",
      "emulator.wire.style, 'cr,crlf'",
      "emulator.embedding.dim, 0",
      "emulator.embedding.dim, 100000",
      "emulator.fault.drift.pct.per.min, -1",
      "emulator.fault.drift.pct.per.min, fast",
      "emulator.fault.memory.growth.mb.per.min, -5",
      "emulator.fault.oom.above.tokens, -1",
      "emulator.fault.oom.above.tokens, 1.5",
      "emulator.fault.rate.wrong-shape, 2",
  })
  void badValueIsAnErrorNamingTheKeyAndTheValue(String key, String value) {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(key, value)));

    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void decodeStepsThatTakeNoTimeAreAnErrorNamingBothKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
        "emulator.decode.step.base.us", "0", "emulator.decode.step.per.seq.us", "0")));

    assertTrue(e.getMessage().contains("emulator.decode.step.base.us"), e.getMessage());
    assertTrue(e.getMessage().contains("emulator.decode.step.per.seq.us"), e.getMessage());
  }

  @Test
  void kvCacheSmallerThanOneRequestIsAnErrorNamingBothKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
        "emulator.kv.cache.tokens", "1000", "emulator.max.model.len", "2048")));

    assertTrue(e.getMessage().contains("emulator.kv.cache.tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("emulator.max.model.len"), e.getMessage());
    assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("2048"), e.getMessage());
  }

  @Test
  void blankValuesKeepTheDefaults() {
    EmulatorConfig c = read(Map.of("emulator.port", " ", "emulator.ground.truth.file", ""));

    assertEquals(0, c.port());
    assertNull(c.groundTruthFile());
  }

  @Test
  void builderRejectsOutOfRangeFields() {
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().port(-1).build());
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().ioThreads(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> EmulatorConfig.builder().faultRate(Fault.STALL, 2).build());
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().embeddingDim(0).build());
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().driftPctPerMin(Double.NaN).build());
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().memoryGrowthMbPerMin(-1).build());
    assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.builder().oomAboveTokens(-1).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorConfig.builder().maxModelLen(1).build());
    assertTrue(e.getMessage().contains("maxModelLen"), e.getMessage());
  }
}
