package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.stream.Backend;
import dev.llmbench.stream.CircuitBreaker;
import dev.llmbench.workload.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's configuration from properties: defaults, parsing, and loud rejections. */
class BenchConfigTest {

  @TempDir
  Path dir;

  private static BenchConfig config(Map<String, String> values) {
    return BenchConfig.from(Props.of(values));
  }

  private static ConfigException rejected(Map<String, String> values) {
    return assertThrows(ConfigException.class, () -> config(values));
  }

  private static void assertNames(ConfigException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "\"" + part + "\" missing from: " + e.getMessage());
    }
  }

  @Test
  void defaults() {
    BenchConfig c = config(Map.of());
    assertNull(c.targetUrl());
    assertEquals("emulator", c.framework());
    assertEquals(Backend.OPENAI_CHAT, c.backend());
    assertNull(c.model());
    assertEquals("random-1024-1024", c.profile());
    assertEquals(Size.SMOKE, c.size());
    assertNull(c.numPrompts());
    assertNull(c.maxConcurrency());
    assertEquals(List.of(Double.POSITIVE_INFINITY), c.requestRates());
    assertEquals(1.0, c.burstiness());
    assertNull(c.randomInputLen());
    assertNull(c.randomOutputLen());
    assertNull(c.randomRangeRatio());
    assertEquals(1L, c.seed());
    assertNull(c.promptFile());
    assertEquals(1, c.warmupRequests());
    assertEquals(Duration.ofSeconds(60), c.healthTimeout());
    assertEquals(Duration.ofSeconds(1_800), c.requestTimeout());
    assertNull(c.maxModelLen());
  }

  @Test
  void setValuesAreRead() {
    BenchConfig c = config(Map.ofEntries(
        Map.entry("target.url", "http://127.0.0.1:30000"), Map.entry("backend", "sglang"),
        Map.entry("model", "llama"), Map.entry("profile", "Random-256-256"), Map.entry("size", "full"),
        Map.entry("num.prompts", "1_000"), Map.entry("max.concurrency", "64"), Map.entry("burstiness", "0.5"),
        Map.entry("random.input.len", "100"), Map.entry("random.output.len", "50"),
        Map.entry("random.range.ratio", "1.0"), Map.entry("seed", "-7"), Map.entry("warmup.requests", "0"),
        Map.entry("health.timeout.sec", "5"), Map.entry("request.timeout.sec", "30"),
        Map.entry("max.model.len", "4096")));
    assertEquals("http://127.0.0.1:30000", c.targetUrl());
    assertEquals("sglang", c.framework(), "framework defaults to the backend's name against a real server");
    assertEquals(Backend.SGLANG, c.backend());
    assertEquals("llama", c.model());
    assertEquals("random-256-256", c.profile());
    assertEquals(Size.FULL, c.size());
    assertEquals(1_000, c.numPrompts());
    assertEquals(64, c.maxConcurrency());
    assertEquals(0.5, c.burstiness());
    assertEquals(100, c.randomInputLen());
    assertEquals(50, c.randomOutputLen());
    assertEquals(1.0, c.randomRangeRatio());
    assertEquals(-7L, c.seed());
    assertEquals(0, c.warmupRequests());
    assertEquals(Duration.ofSeconds(5), c.healthTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    assertEquals(4096, c.maxModelLen());
  }

  @Test
  void requestRateIsInfAOneNumberOrAList() {
    assertEquals(List.of(Double.POSITIVE_INFINITY), config(Map.of("request.rate", "inf")).requestRates());
    assertEquals(List.of(Double.POSITIVE_INFINITY), config(Map.of("request.rate", "INF")).requestRates());
    assertEquals(List.of(2.5), config(Map.of("request.rate", "2.5")).requestRates());
    assertEquals(List.of(1.0, 2.0, 4.0), config(Map.of("request.rate", "1,2,4")).requestRates());
    assertEquals(List.of(1.0, Double.POSITIVE_INFINITY), config(Map.of("request.rate", " 1 , inf ")).requestRates());
  }

  @Test
  void zeroOrNonNumericRequestRateIsRejected() {
    assertNames(rejected(Map.of("request.rate", "0")), "request.rate", "0");
    assertNames(rejected(Map.of("request.rate", "-1")), "request.rate", "-1");
    assertNames(rejected(Map.of("request.rate", "abc")), "request.rate", "\"abc\"");
    assertNames(rejected(Map.of("request.rate", "1,abc")), "request.rate", "abc");
    assertNames(rejected(Map.of("request.rate", "1,,2")), "request.rate");
    assertNames(rejected(Map.of("request.rate", "NaN")), "request.rate", "NaN");
  }

  @Test
  void httpKeepAliveIsOnByDefaultAndReadLoudly() {
    assertTrue(config(Map.of()).httpKeepAlive());
    BenchConfig off = config(Map.of("http.keepalive", "false"));
    assertFalse(off.httpKeepAlive());
    assertTrue(off.describe().endsWith(" http.keepalive=false"), off.describe());
    assertNames(rejected(Map.of("http.keepalive", "sometimes")), "http.keepalive", "\"sometimes\"");
    assertNames(rejected(Map.of("http.keepalve", "false")), "http.keepalve", "http.keepalive");
  }

  @Test
  void streamLoopsAreTheMachinesDefaultUnlessGivenAndReadLoudly() {
    assertNull(config(Map.of()).streamLoops(), "null: StreamLoops picks as many as the cores");
    BenchConfig one = config(Map.of("stream.loops", "1"));
    assertEquals(1, one.streamLoops());
    assertTrue(one.describe().endsWith(" stream.loops=1"), one.describe());
    assertNames(rejected(Map.of("stream.loops", "0")), "stream.loops", "0");
    assertNames(rejected(Map.of("stream.loops", "two")), "stream.loops", "\"two\"");
    assertNames(rejected(Map.of("stream.loop", "2")), "stream.loop", "stream.loops");
  }

  @Test
  void maxConcurrencyZeroIsRejected() {
    assertNames(rejected(Map.of("max.concurrency", "0")), "max.concurrency", "0");
    assertNames(rejected(Map.of("max.concurrency", "many")), "max.concurrency", "\"many\"");
  }

  @Test
  void backendsParseByWireName() {
    assertEquals(Backend.OPENAI_CHAT, config(Map.of("backend", "openai-chat")).backend());
    assertEquals(Backend.TRT_LLM, config(Map.of("backend", "trt-llm")).backend());
    assertEquals(Backend.OPENAI, config(Map.of("backend", "openai")).backend());
    assertEquals("trt-llm", config(Map.of("backend", "trt-llm", "target.url", "http://h:8000")).framework());
  }

  @Test
  void unknownBackendListsTheValidOnes() {
    ConfigException e = rejected(Map.of("backend", "foo"));
    assertNames(e, "backend", "\"foo\"");
    for (Backend b : Backend.values()) {
      assertNames(e, b.wireName());
    }
  }

  @Test
  void theArrivalScheduleIsBenchServingsUnlessVllmsIsAskedFor() {
    assertEquals(dev.llmbench.workload.Arrivals.Schedule.BENCH_SERVING, config(Map.of()).arrivalSchedule());
    BenchConfig vllm = config(Map.of("arrival.schedule", "vllm", "request.rate", "4"));
    assertEquals(dev.llmbench.workload.Arrivals.Schedule.VLLM, vllm.arrivalSchedule());
    assertTrue(vllm.describe().contains(" arrival.schedule=vllm "), vllm.describe());
    assertFalse(config(Map.of()).describe().contains("arrival.schedule"), "the default is not printed");
    assertNames(rejected(Map.of("arrival.schedule", "poisson")), "arrival.schedule", "bench-serving", "vllm",
        "\"poisson\"");
  }

  @Test
  void frameworkMustBeAFolderSafeLabel() {
    assertEquals("vllm-0.6.3_fp8", config(Map.of("framework", "vllm-0.6.3_fp8")).framework());
    assertNames(rejected(Map.of("framework", "vllm/0.6")), "framework", "\"vllm/0.6\"");
    assertNames(rejected(Map.of("framework", "a b")), "framework");
  }

  @Test
  void promptFileMustExist() throws IOException {
    Path missing = dir.resolve("nope.jsonl");
    assertNames(rejected(Map.of("prompt.file", missing.toString())), "prompt.file", "nope.jsonl");
    Path present = Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\":\"hi\"}\n");
    assertEquals(present, config(Map.of("prompt.file", present.toString())).promptFile());
  }

  @Test
  void serverLogMustBeAReadableFile() throws IOException {
    assertNames(rejected(Map.of("server.log", dir.resolve("vllm.log").toString())), "server.log", "vllm.log",
        "docker logs");
    assertNames(rejected(Map.of("server.log", dir.toString())), "server.log", "not a readable file");
    Path log = Files.writeString(dir.resolve("sglang.log"), "KV Cache is allocated. #tokens: 1\n");
    assertEquals(log.toAbsolutePath(), config(Map.of("server.log", log.toString())).serverLog());
    assertEquals(null, config(Map.of()).serverLog());
  }

  @Test
  void otherRangesAreChecked() {
    assertNames(rejected(Map.of("num.prompts", "0")), "num.prompts", "0");
    assertNames(rejected(Map.of("burstiness", "0")), "burstiness", "0");
    assertNames(rejected(Map.of("random.range.ratio", "1.5")), "random.range.ratio", "1.5");
    assertNames(rejected(Map.of("size", "huge")), "size", "smoke", "full", "\"huge\"");
    assertNames(rejected(Map.of("request.timeout.sec", "0")), "request.timeout.sec", "0");
    assertNames(rejected(Map.of("max.model.len", "1")), "max.model.len", "1");
  }

  @Test
  void describeNamesTheResolvedValues() {
    String d = config(Map.of("request.rate", "1,inf", "max.concurrency", "8", "seed", "3")).describe();
    assertTrue(d.contains("backend=openai-chat"), d);
    assertTrue(d.contains("request.rate=[1.0, inf]"), d);
    assertTrue(d.contains("max.concurrency=8"), d);
    assertTrue(d.contains("seed=3"), d);
    String matrix = config(Map.of()).describe("matrix");
    assertTrue(matrix.contains(" profile=matrix ") && !matrix.contains("random-1024-1024"),
        "the matrix simulation's line names its profile, not -Dprofile's default: " + matrix);
  }

  @Test
  void aMisspelledPropertyIsRefusedNamingTheIntendedOne() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BenchConfig.from(Props.of(Map.of("max.concurency", "64"))));
    assertTrue(e.getMessage().contains("max.concurency") && e.getMessage().contains("did you mean max.concurrency"),
        e.getMessage());
    // Unrelated properties (the JVM's, Gatling's) are not ours to judge.
    BenchConfig.from(Props.of(Map.of("java.version", "17", "gatling.simulationClass", "x")));
  }

  @Test
  void aRateListedTwiceIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BenchConfig.from(Props.of(Map.of("request.rate", "1,2,1"))));
    assertTrue(e.getMessage().contains("request.rate") && e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void theTargetUrlIsCheckedOnceAndNeverEchoesCredentials() {
    assertEquals("https://gpu-box:8000/llm", config(Map.of("target.url", "https://gpu-box:8000/llm/")).targetUrl(),
        "a gateway's prefix is kept, the trailing slash dropped");
    for (String openAiBase : new String[] {"https://gpu-box:8000/v1", "https://gpu-box:8000/v1/",
        "https://gpu-box:8000/v1//"}) {
      assertEquals("target.url must not end with /v1, as the API's path (/v1/chat/completions, ...) is added to it:"
          + " use -Dtarget.url=https://gpu-box:8000", rejected(Map.of("target.url", openAiBase)).getMessage());
    }
    for (String withQuery : new String[] {"https://gpu-box:8000/v1/?key=sk-secret", "https://gpu-box:8000/#f"}) {
      assertEquals("target.url must have no query or fragment: the API's path is added to it",
          rejected(Map.of("target.url", withQuery)).getMessage(), "and a key in the query is not echoed");
    }
    assertEquals("target.url must be an http(s) URL such as http://127.0.0.1:30000, but was \"gpu-box:8000\"",
        rejected(Map.of("target.url", "gpu-box:8000")).getMessage());
    assertEquals("target.url must be an http(s) URL such as http://127.0.0.1:30000, but was \"ftp://h/\"",
        rejected(Map.of("target.url", "ftp://h/")).getMessage());
    assertEquals("target.url is not a valid URL: \"http://h:80 80\" (Illegal character in authority)",
        rejected(Map.of("target.url", "http://h:80 80")).getMessage());
    for (String withKey : new String[] {"http://user:sk-secret@h:8000", "user:sk-secret@h:8000",
        "http://sk-secret@h 8000/"}) {
      String message = rejected(Map.of("target.url", withKey)).getMessage();
      assertTrue(message.startsWith("target.url must not carry credentials (was "), message);
      assertFalse(message.contains("sk-secret"), message);
    }
  }

  @Test
  void validityThresholdsHaveDocumentedDefaults() {
    BenchConfig c = config(Map.of());
    assertEquals(ValidityThresholds.DEFAULTS, c.validity());
    assertEquals(false, c.validityStrict());
    assertTrue(c.describe().contains("validity: " + ValidityThresholds.DEFAULTS.describe()), c.describe());
  }

  @Test
  void validityThresholdsAreRead() {
    BenchConfig c = config(Map.of("validity.loop.lag.ms", "12.5", "validity.read.lag.ms", "2", "validity.send.lag.ms",
        "0", "validity.gc.pause.ms", "250", "validity.cpu.share", "0.75", "validity.strict", "true"));
    assertEquals(new ValidityThresholds(12.5, 2, 0, 250, 0.75), c.validity());
    assertTrue(c.validityStrict());
    assertTrue(c.describe().contains("(strict)"), c.describe());
  }

  @Test
  void badValidityValuesAreRefusedLoudly() {
    assertEquals("validity.loop.lag.ms must be a number, but was \"fast\"",
        rejected(Map.of("validity.loop.lag.ms", "fast")).getMessage());
    assertEquals("validity.gc.pause.ms must be in [0.0, 3600000.0], but was -5",
        rejected(Map.of("validity.gc.pause.ms", "-5")).getMessage());
    assertEquals("validity.cpu.share must be in [0.0, 1.0], but was 90",
        rejected(Map.of("validity.cpu.share", "90")).getMessage());
    assertEquals("validity.cpu.share must be in (0, 1], a share of all cores, but was 0",
        rejected(Map.of("validity.cpu.share", "0")).getMessage());
    assertEquals("validity.strict must be true or false, but was \"maybe\"",
        rejected(Map.of("validity.strict", "maybe")).getMessage());
  }

  @Test
  void aMisspelledOrUnknownValidityPropertyIsRefused() {
    assertEquals("unknown property validity.loop.lag.sm; did you mean validity.loop.lag.ms?",
        rejected(Map.of("validity.loop.lag.sm", "10")).getMessage());
    assertEquals("unknown property validity.heap.ms; the validity properties are [validity.cpu.share, "
        + "validity.gc.pause.ms, validity.loop.lag.ms, validity.read.lag.ms, validity.send.lag.ms, validity.strict]",
        rejected(Map.of("validity.heap.ms", "10")).getMessage());
  }

  @Test
  void theServersHardwareIsAnOptionalLabelOfOneLine() {
    assertNull(config(Map.of()).serverHardware(), "unset: no label, so runs compare as before it existed");
    assertEquals("8x H100 80GB", config(Map.of("server.hardware", "  8x H100 80GB ")).serverHardware());
    assertNull(config(Map.of("server.hardware", " ")).serverHardware(), "blank is unset, as for every property");
    assertEquals(200, config(Map.of("server.hardware", "x".repeat(200))).serverHardware().length());
    assertNames(rejected(Map.of("server.hardware", "x".repeat(201))), "server.hardware must be a label of one line",
        "but was \"" + "x".repeat(60) + "...\" (201 characters)");
    for (String breaking : List.of("\n", "\u0085", "\u2028", "\u202e")) {
      ConfigException e = rejected(Map.of("server.hardware", "H100" + breaking + "second line"));
      assertNames(e, "server.hardware", "but was \"H100?second line\"");
    }
    assertNames(rejected(Map.of("server.hardwere", "H100")), "did you mean server.hardware?");
  }

  @Test
  void theCircuitBreakerHasDocumentedDefaultsAndCanBeTurnedOff() {
    BenchConfig c = config(Map.of());
    assertEquals(CircuitBreaker.Settings.DEFAULTS, c.breaker());
    assertEquals(new CircuitBreaker.Settings(true, 10, 0.5, 100), c.breaker(), "the README's defaults");
    assertTrue(c.describe().contains("breaker: 10 connection failures in a row or >50% of the last 100 failed"),
        c.describe());
    BenchConfig off = config(Map.of("breaker.enabled", "false"));
    assertFalse(off.breaker().enabled());
    assertTrue(off.describe().contains("breaker: off"), off.describe());
    assertEquals(new CircuitBreaker.Settings(true, 3, 0.25, 20), config(Map.of("breaker.consecutive.failures", "3",
        "breaker.error.rate", "0.25", "breaker.window.requests", "20")).breaker());
  }

  @Test
  void badBreakerValuesAreRefusedLoudly() {
    assertEquals("breaker.consecutive.failures must be in [1, 1000000], but was 0",
        rejected(Map.of("breaker.consecutive.failures", "0")).getMessage());
    assertEquals("breaker.error.rate must be in [0.0, 1.0], but was 50",
        rejected(Map.of("breaker.error.rate", "50")).getMessage());
    assertEquals("breaker.error.rate must be a share of failed requests in (0, 1] (1 never trips on the rate; "
        + "breaker.enabled=false turns the breaker off), but was 0", rejected(Map.of("breaker.error.rate", "0"))
        .getMessage());
    assertEquals("breaker.window.requests must be an integer, but was \"many\"",
        rejected(Map.of("breaker.window.requests", "many")).getMessage());
    assertEquals("breaker.enabled must be true or false, but was \"off\"",
        rejected(Map.of("breaker.enabled", "off")).getMessage());
    assertEquals("unknown property breaker.threshold; the breaker properties are [breaker.consecutive.failures, "
        + "breaker.enabled, breaker.error.rate, breaker.window.requests]",
        rejected(Map.of("breaker.threshold", "3")).getMessage());
  }

  @Test
  void sliceSecIsParsedDescribedAndRefusedLoudly() {
    assertNull(config(Map.of()).sliceSec(), "no slices unless given");
    BenchConfig c = config(Map.of("slice.sec", "2.5"));
    assertEquals(2.5, c.sliceSec());
    assertTrue(c.describe().endsWith(" slice.sec=2.5"), c.describe());
    String hint = " (-Dslice.sec is the length of each time slice in seconds, as AIPerf's --slice-duration: "
        + "e.g. -Dslice.sec=10)";
    assertEquals("slice.sec must be a number, but was \"10s\"" + hint,
        rejected(Map.of("slice.sec", "10s")).getMessage());
    assertEquals("slice.sec must be in [0.001, 86400.0], but was 0" + hint,
        rejected(Map.of("slice.sec", "0")).getMessage());
    assertEquals("slice.sec must be in [0.001, 86400.0], but was -1" + hint,
        rejected(Map.of("slice.sec", "-1")).getMessage());
    assertEquals("unknown property slice.secs; did you mean slice.sec?",
        rejected(Map.of("slice.secs", "1")).getMessage());
  }

  @Test
  void itlRowsAreOffUnlessAskedForAndRefusedLoudly() {
    assertFalse(config(Map.of()).itlRows(), "no per-token rows in simulation.log by default");
    assertFalse(config(Map.of()).describe().contains(BenchConfig.ITL_ROWS), "the default is not described");
    BenchConfig c = config(Map.of("gatling.itl.rows", "true"));
    assertTrue(c.itlRows());
    assertTrue(c.describe().endsWith(" gatling.itl.rows=true"), c.describe());
    assertEquals("gatling.itl.rows must be true or false, but was \"all\"",
        rejected(Map.of("gatling.itl.rows", "all")).getMessage());
    assertEquals("unknown property gatling.itl.row; did you mean gatling.itl.rows?",
        rejected(Map.of("gatling.itl.row", "true")).getMessage());
  }

  @Test
  void sloIsParsedAndDescribedInItsCanonicalForm() {
    assertNull(config(Map.of()).slo(), "no objectives unless given");
    BenchConfig c = config(Map.of("slo", "ttft:200,tpot:50,e2el:20000"));
    assertEquals(200.0, c.slo().ttftMs());
    assertEquals(50.0, c.slo().tpotMs());
    assertEquals(20_000.0, c.slo().e2elMs());
    assertTrue(c.describe().endsWith(" slo=e2el:20000,tpot:50,ttft:200"), c.describe());
  }

  @Test
  void badSloIsRefusedLoudlyOnOneLine() {
    String hint = " (-Dslo takes objectives in ms, as vLLM's --goodput: e.g. -Dslo=ttft:200,tpot:50,e2el:20000)";
    assertEquals("slo has unknown objective \"itl\"; the objectives are ttft, tpot and e2el" + hint,
        rejected(Map.of("slo", "ttft:200,itl:5")).getMessage());
    assertEquals("slo objective tpot must be a positive number of ms, but was \"50ms\"" + hint,
        rejected(Map.of("slo", "tpot:50ms")).getMessage());
    assertEquals("slo objective e2el must be a positive number of ms, but was \"0\"" + hint,
        rejected(Map.of("slo", "e2el:0")).getMessage());
    assertEquals("slo part \"ttft\" is not key:ms" + hint, rejected(Map.of("slo", "ttft")).getMessage());
    assertNull(config(Map.of("slo", " ")).slo(), "blank is absent, as for every property");
    assertFalse(rejected(Map.of("slo", "ttft:1,ttft:2")).getMessage().contains("\n"));
    assertEquals("unknown property sol; did you mean slo?", rejected(Map.of("sol", "ttft:200")).getMessage());
  }

  @Test
  void telemetryDefaultsToTheTargetsMetricsEverySecondAndNvidiaSmiOnThePath() {
    TelemetrySettings t = config(Map.of()).telemetry();
    assertEquals(java.time.Duration.ofSeconds(1), t.interval());
    assertEquals("nvidia-smi", t.nvidiaSmi());
    assertEquals(java.net.URI.create("http://h:8000/metrics"), t.metricsUrlFor("http://h:8000"));
  }

  @Test
  void telemetryIsReadLoudly() {
    TelemetrySettings t = config(Map.of("metrics.url", "http://gpu-box:9400/metrics", "metrics.interval.ms", "250",
        "nvidia.smi", "off")).telemetry();
    assertEquals(java.net.URI.create("http://gpu-box:9400/metrics"), t.metricsUrlFor("http://h:8000"));
    assertEquals(java.time.Duration.ofMillis(250), t.interval());
    assertEquals(null, t.nvidiaSmi());
    assertEquals(null, config(Map.of("metrics.url", "off")).telemetry().metricsUrlFor("http://h:8000"));
    assertNames(rejected(Map.of("metrics.url", "gpu-box:9400")), "metrics.url", "gpu-box:9400", "off");
    assertNames(rejected(Map.of("metrics.url", "http://u:secret@h/metrics")), "metrics.url", "credentials");
    assertTrue(!rejected(Map.of("metrics.url", "http://u:secret@h/metrics")).getMessage().contains("secret"));
    assertNames(rejected(Map.of("metrics.interval.ms", "0")), "metrics.interval.ms");
  }
}
