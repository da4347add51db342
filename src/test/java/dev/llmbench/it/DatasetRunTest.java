package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.RequestShaping;
import dev.llmbench.workload.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.ServingSimulation;

/**
 * A conversation dataset run by ServingSimulation with only {@code -Ddataset.path}: on the emulator, every
 * request's prompt tokens in its ground truth are the planned ones, and the run records the dataset; on a stub
 * server that keeps what it received, every request carries the extra body and headers, and its model is one of
 * the LoRA adapters, as the seeded draw chose it.
 */
class DatasetRunTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path work;

  private static Path sample(String name) throws URISyntaxException {
    return Path.of(DatasetRunTest.class.getResource("/datasets/" + name).toURI());
  }

  @Test
  void aMessagesDatasetReachesTheEmulatorWithThePlannedPromptLengths() throws Exception {
    Path file = sample("messages-sample.jsonl");
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, Map.of(
        "dataset.path", file.toString(),
        "max.concurrency", "2",
        "baseline.compare", "false"), work.resolve("emulator"));
    assertEquals(0, o.exitCode());
    List<RequestResult> measured = o.measured();
    assertEquals(Dataset.load(new Dataset.Settings(Dataset.Format.MESSAGES, file, null), null, 1,
        dev.llmbench.tokenizer.WordTokenizer::count).tickets().size(), measured.size());
    for (RequestResult r : measured) {
      assertTrue(r.ok(), r.error());
      RequestTrace truth = o.target().emulator().groundTruth().byClientRequestId(r.requestId());
      assertNotNull(truth, r.requestId());
      // The emulator's word tokenizer adds no chat-template tokens: its count is the planned one.
      assertEquals(r.promptTokensPlanned(), truth.promptTokens(), r.requestId());
      assertEquals(r.maxTokens(), truth.completionTokens(), r.requestId());
    }
    JsonNode run = MAPPER.readTree(o.runFolder().resolve("llm-run.json").toFile());
    assertEquals("messages", run.path("datasetName").asText(), run.toString());
    assertEquals(Dataset.sha256(file), run.path("datasetSha256").asText());
    assertEquals(measured.size(), run.path("datasetRows").asInt());
  }

  @Test
  void aSimulationOfItsOwnFeedsTheDataset() throws Exception {
    Path file = sample("sharegpt-sample.json");
    GatlingRun.Outcome o = GatlingRun.run(simulations.RampSimulation.class, Map.of(
        "dataset.path", file.toString(),
        "baseline.compare", "false"), work.resolve("ramp"));
    assertEquals(0, o.exitCode());
    assertFalse(o.measured().isEmpty());
    for (RequestResult r : o.measured()) {
      assertTrue(r.ok(), r.error());
      RequestTrace truth = o.target().emulator().groundTruth().byClientRequestId(r.requestId());
      assertEquals(r.promptTokensPlanned(), truth.promptTokens(), r.requestId());
    }
    JsonNode run = MAPPER.readTree(o.runFolder().resolve("llm-run.json").toFile());
    assertEquals("sharegpt", run.path("datasetName").asText(), run.toString());
    assertEquals(Dataset.sha256(file), run.path("datasetSha256").asText());
  }

  /** What the stub server received: each request's body and headers. */
  private record Received(JsonNode body, Map<String, List<String>> headers, String path) {}

  @Test
  void extraBodyHeadersAndAdaptersReachTheServer() throws Exception {
    List<Received> received = Collections.synchronizedList(new ArrayList<>());
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", x -> answer(x, received));
    stub.start();
    try {
      Path file = sample("custom-sample.jsonl");
      String extra = "{\"top_p\":0.9,\"top_k\":20}";
      Map<String, String> props = new HashMap<>(Map.of(
          "target.url", "http://127.0.0.1:" + stub.getAddress().getPort(),
          "model", "base-model",
          "dataset.name", "custom",
          "dataset.path", file.toString(),
          "random.output.len", "4",
          "extra.body", extra,
          "extra.headers", "X-Bench-Tag: nightly; X-Api-Key: sk-not-recorded",
          "lora.modules", "adapter-a,adapter-b",
          "baseline.compare", "false"));
      props.put("warmup.requests", "0");
      props.put("health.timeout.sec", "5");
      GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, props, work.resolve("stub"));
      List<RequestResult> measured = o.measured();
      assertFalse(measured.isEmpty());
      assertTrue(measured.stream().allMatch(RequestResult::ok), measured.toString());
      List<Received> streamed = received.stream().filter(r -> r.body() != null && r.body().has("messages")
          && r.body().path("max_tokens").asInt() == 4).toList();
      assertEquals(measured.size(), streamed.size(), "each measured request reached the stub");
      RequestShaping shaping = new RequestShaping(RequestShaping.parseExtraBody(extra), Map.of(),
          RequestShaping.parseLoraModules("adapter-a,adapter-b"), null);
      Set<String> models = new TreeSet<>();
      for (Received r : streamed) {
        assertEquals(0.9, r.body().path("top_p").asDouble(), r.body().toString());
        assertEquals(20, r.body().path("top_k").asInt(), r.body().toString());
        assertEquals(List.of("nightly"), r.headers().get("X-bench-tag"), r.headers().toString());
        assertEquals(List.of("sk-not-recorded"), r.headers().get("X-api-key"));
        models.add(r.body().path("model").asText());
      }
      assertEquals(new TreeSet<>(shaping.loraModules()), models, "every adapter asked for, and only they");
      // The probes before the load (health, model, version); not the telemetry scraper's /metrics, which may be
      // another host's (-Dmetrics.url) and gets no extra headers.
      List<Received> probes = received.stream().filter(r -> r.body() == null && !r.path().equals("/metrics")).toList();
      assertFalse(probes.isEmpty(), "the health check and the model lookup reached the stub");
      for (Received p : probes) {
        // A gateway that requires the header would refuse a probe without it as it would a streamed request.
        assertEquals(List.of("nightly"), p.headers().get("X-bench-tag"), "a probe: " + p.headers());
      }
      JsonNode run = MAPPER.readTree(o.runFolder().resolve("llm-run.json").toFile());
      assertEquals(extra, run.path("extraBody").asText());
      assertEquals("X-Bench-Tag: nightly; X-Api-Key: (secret)", run.path("extraHeaders").asText());
      assertFalse(run.toString().contains("sk-not-recorded"), "no secret in llm-run.json");
      assertEquals("adapter-a,adapter-b", run.path("loraModules").asText());
    } finally {
      stub.stop(0);
    }
  }

  /**
   * The stub: {@code /health} and {@code /v1/models} answer, a streamed chat request gets {@code max_tokens}
   * one-word chunks, a usage chunk and {@code [DONE]}; anything else 404.
   */
  private static void answer(HttpExchange x, List<Received> received) throws IOException {
    byte[] in = x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getPath();
    if (path.equals("/v1/chat/completions")) {
      JsonNode body = MAPPER.readTree(in);
      received.add(new Received(body, new HashMap<>(x.getRequestHeaders()), path));
      int n = body.path("max_tokens").asInt(1);
      x.getResponseHeaders().add("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      try (OutputStream out = x.getResponseBody()) {
        for (int i = 0; i < n; i++) {
          out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
              + "\"delta\":{\"content\":\"w \"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
            + "{\"prompt_tokens\":1,\"completion_tokens\":" + n + ",\"total_tokens\":" + (n + 1) + "}}\n\n"
            + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    received.add(new Received(null, new HashMap<>(x.getRequestHeaders()), path)); // a probe: its headers only
    byte[] answer = path.equals("/health") ? new byte[0]
        : path.equals("/v1/models") ? "{\"object\":\"list\",\"data\":[{\"id\":\"base-model\"}]}"
            .getBytes(StandardCharsets.UTF_8) : null;
    x.sendResponseHeaders(answer == null ? 404 : 200, answer == null || answer.length == 0 ? -1 : answer.length);
    if (answer != null && answer.length > 0) {
      x.getResponseBody().write(answer);
    }
    x.close();
  }
}
