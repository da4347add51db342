package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.stream.Backend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checks made before load against servers that are not our emulator. */
class ServerInfoTest {
  private HttpServer server;

  /** A server that answers 200 on {@code paths} and 404 on every other. */
  private Target serving(Set<String> paths) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      int status = paths.contains(exchange.getRequestURI().getPath()) ? 200 : 404;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return Target.resolve("http://127.0.0.1:" + server.getAddress().getPort(), Props.of(Map.of()), null);
  }

  /** A server that answers 200 with the given JSON bodies on their paths and 404 on every other. */
  private Target answering(Map<String, String> bodies) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = bodies.get(exchange.getRequestURI().getPath());
      byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return Target.resolve("http://127.0.0.1:" + server.getAddress().getPort(), Props.of(Map.of()), null);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void tritonIsHealthyByItsOwnPathAndItsModelIsTheOneTheStreamPathNames() throws IOException {
    Target triton = serving(Set.of("/v2/health/ready"));
    for (Backend backend : new Backend[] {Backend.TRT_LLM, Backend.OPENAI_CHAT}) {
      ServerInfo.awaitHealthy(triton, backend, Duration.ofSeconds(5)); // no /health, no /v1/models
    }
    assertEquals(Backend.TRITON_MODEL, triton.model(Backend.TRT_LLM));
    assertTrue(Backend.TRT_LLM.path().contains("/" + Backend.TRITON_MODEL + "/"), Backend.TRT_LLM.path());
    Target asOpenAi = Target.resolve(triton.baseUrl(), Props.of(Map.of()), null);
    ConfigException e = assertThrows(ConfigException.class, () -> asOpenAi.model(Backend.OPENAI_CHAT));
    assertEquals("GET " + triton.baseUrl() + "/v1/models answered HTTP 404; pass the model name with -Dmodel=<name>",
        e.getMessage(), "an OpenAI backend still asks the server");
  }

  @Test
  void aServerThatIsNotThereIsSaidToRefuseTheConnection() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Target gone = Target.resolve("http://127.0.0.1:" + port, Props.of(Map.of()), null);
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServerInfo.awaitHealthy(gone, Backend.OPENAI_CHAT, Duration.ZERO));
    assertEquals("server at http://127.0.0.1:" + port + " is not healthy after 0 s (last answer: connection refused);"
        + " start it, fix -Dtarget.url, or raise -Dhealth.timeout.sec", e.getMessage());
  }

  @Test
  void theContextLimitIsVllmsMaxModelLenElseLlamaCppsSlotContextElseUnknown() throws IOException {
    // vLLM and SGLang list max_model_len with the model
    assertEquals(4096, ServerInfo.maxModelLen(answering(Map.of(
        "/v1/models", "{\"data\":[{\"id\":\"m\",\"max_model_len\":4096}]}"))));
    stop();
    // llama.cpp's server (b4748): /v1/models has only the training context; a slot's context is in /props
    assertEquals(8192, ServerInfo.maxModelLen(answering(Map.of(
        "/v1/models", "{\"data\":[{\"id\":\"tiny\",\"meta\":{\"n_ctx_train\":32768}}]}",
        "/props", "{\"default_generation_settings\":{\"id\":0,\"n_ctx\":8192}}"))));
    stop();
    // Neither: unknown, not a NullPointerException (a matrix run then skips nothing)
    Target none = answering(Map.of("/v1/models", "{\"data\":[{\"id\":\"m\"}]}"));
    assertEquals(null, ServerInfo.maxModelLen(none));
    assertEquals(null, none.maxModelLen());
  }

  @Test
  void eachFrameworksVersionIsReadFromItsOwnRoute() throws IOException {
    Map<String, Map<String, String>> servers = Map.of(
        "vllm", Map.of("/version", "{\"version\": \"0.11.0\"}"),
        "sglang", Map.of("/get_server_info", "{\"model_path\": \"m\", \"version\": \"0.5.4\"}"),
        "tgi", Map.of("/info", "{\"model_id\": \"m\", \"version\": \"3.3.6\"}"),
        "llama.cpp", Map.of("/props", "{\"build_info\": \"b6915-a1b2c3d\", \"total_slots\": 1}"));
    Map<String, String> versions = Map.of("vllm", "0.11.0", "sglang", "0.5.4", "tgi", "3.3.6",
        "llama.cpp", "b6915-a1b2c3d");
    for (var e : servers.entrySet()) {
      Target t = answering(e.getValue());
      assertEquals(versions.get(e.getKey()), ServerInfo.version(t), e.getKey());
      stop();
    }
  }

  @Test
  void theFirstRouteThatGivesAVersionWinsAndOneWithoutItIsSkipped() throws IOException {
    // /version answers without the field (not JSON at all), /get_server_info without a version: /info gives it.
    Target t = answering(Map.of("/version", "not json", "/get_server_info", "{\"model_path\": \"m\"}",
        "/info", "{\"version\": \"3.3.6\"}", "/props", "{\"build_info\": \"b1\"}"));
    assertEquals("3.3.6", ServerInfo.version(t));
  }

  @Test
  void aServerWithoutAnyVersionRouteHasNoneAndNothingFails() throws IOException {
    Target t = serving(Set.of("/health", "/v1/models"));
    assertEquals(null, ServerInfo.version(t));
    assertEquals(null, t.serverVersion(), "asked once through the target: still none");
  }

  @Test
  void aServerThatIsGoneHasNoVersionAndNothingFails() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    assertEquals(null, ServerInfo.version(Target.resolve("http://127.0.0.1:" + port, Props.of(Map.of()), null)));
  }
}
