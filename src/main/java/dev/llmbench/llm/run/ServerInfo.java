package dev.llmbench.llm.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.stream.Backend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Facts read from the server before load starts (low rate, so the JDK client is fine here). */
final class ServerInfo {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServerInfo() {}

  /** Where a server says it is ready, in the order asked: Triton's first for its backend. */
  private static final String[] HEALTH = {"/health", "/v1/models", "/v2/health/ready"};
  private static final String[] TRITON_HEALTH = {"/v2/health/ready", "/health", "/v1/models"};

  /**
   * Waits until the server answers {@code /health} (or, where that is missing, {@code /v1/models},
   * or Triton's {@code /v2/health/ready}) with 200, polling every second; after {@code timeout} fails
   * with one line naming the URL and what answered last. Triton's path goes first for
   * {@link Backend#TRT_LLM}: older Tritons answer an unknown path such as {@code /health} with 400,
   * which would read as "not ready yet".
   */
  static void awaitHealthy(Target target, Backend backend, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing";
    while (true) {
      for (String path : backend == Backend.TRT_LLM ? TRITON_HEALTH : HEALTH) {
        String url = target.baseUrl() + path;
        try {
          int status = client.send(request(target, path, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.discarding())
              .statusCode();
          if (status == 200) {
            return;
          }
          last = "HTTP " + status + " from " + path;
          if (status != 404) {
            break; // /health exists but says not ready: wait, don't fall back
          }
        } catch (IOException e) {
          last = describe(e);
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ConfigException("interrupted while waiting for " + target.baseUrl(), e);
        }
      }
      if (System.nanoTime() >= deadline) {
        throw new ConfigException("server at " + target.baseUrl() + " is not healthy after " + timeout.toSeconds()
            + " s (last answer: " + last + "); start it, fix -Dtarget.url, or raise -Dhealth.timeout.sec");
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConfigException("interrupted while waiting for " + target.baseUrl(), e);
      }
    }
  }

  /**
   * The server's context limit per request, or null when it lists none: {@code max_model_len} of
   * {@code /v1/models} (vLLM, SGLang), else the context of one slot, {@code n_ctx} of
   * {@code default_generation_settings} in llama.cpp's {@code /props} (its {@code /v1/models} has only
   * the model's training context, {@code meta.n_ctx_train}, which the server's {@code -c} may cut).
   */
  static Integer maxModelLen(Target target) {
    Integer len = intAt(target, "/v1/models", "/data/0/max_model_len");
    return len != null ? len : intAt(target, "/props", "/default_generation_settings/n_ctx");
  }

  private static Integer intAt(Target target, String path, String pointer) {
    try {
      HttpResponse<String> resp = get(target, path);
      if (resp.statusCode() != 200) {
        return null;
      }
      JsonNode len = MAPPER.readTree(resp.body()).at(pointer);
      return len.canConvertToInt() && len.asInt() > 0 ? len.asInt() : null;
    } catch (IOException | ConfigException e) {
      return null;
    }
  }

  /**
   * Where servers say their version, in the order asked, with the field that holds it: vLLM's
   * {@code /version}, SGLang's {@code /get_server_info}, TGI's {@code /info}, llama.cpp's {@code /props}.
   */
  private static final String[][] VERSIONS = {
      {"/version", "/version"}, {"/get_server_info", "/version"}, {"/info", "/version"}, {"/props", "/build_info"}};

  /** Each version probe's limit: a server that hangs on one must not hold the run's start for long. */
  private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The server's version, the first of {@link #VERSIONS} that answers 200 with a non-blank text in its
   * field, or null when none does. Best effort: any failure (refused, timed out, not JSON) moves on to the
   * next, and none fails the run, whose figures do not depend on it.
   */
  static String version(Target target) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(VERSION_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1).build();
    for (String[] probe : VERSIONS) {
      try {
        HttpResponse<String> resp = client.send(request(target, probe[0], VERSION_TIMEOUT),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (resp.statusCode() != 200) {
          continue;
        }
        JsonNode v = MAPPER.readTree(resp.body()).at(probe[1]);
        if (v.isTextual() && !v.asText().isBlank()) {
          return v.asText().trim();
        }
      } catch (IOException | RuntimeException e) {
        // next probe: a server without this route, or not answering it in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /**
   * What went wrong, in words. The JDK's client throws a {@link ConnectException} without a
   * message both for a refused connection and for a host name it cannot resolve (its cause then an
   * {@link UnresolvedAddressException}, also without one), so the causes are read.
   */
  static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
      root = t;
    }
    if (root.getMessage() != null) {
      return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  /** A GET of {@code path} on the target, with its API key when it has one. */
  private static HttpRequest request(Target target, String path, Duration timeout) {
    return authorized(target, HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).timeout(timeout).GET());
  }

  /** The request with the target's API key as a Bearer header, when it has one, and its extra headers. */
  private static HttpRequest authorized(Target target, HttpRequest.Builder req) {
    if (target.apiKey() != null) {
      req.header("Authorization", "Bearer " + target.apiKey());
    }
    target.extraHeaders().forEach(req::header);
    return req.build();
  }

  /** One client for the POSTs before the load (sizing prompts: a few to a few hundred), made when first needed. */
  private static final class Http11 {
    static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * A POST of a JSON body to {@code path} on the target, with its API key when it has one, over
   * HTTP/1.1 (the JDK's client would otherwise offer an h2c upgrade that some servers mishandle).
   */
  static HttpResponse<String> post(Target target, String path, byte[] json) throws IOException {
    return post(target, path, json, Duration.ofSeconds(60));
  }

  /** As {@link #post(Target, String, byte[])}, waiting at most {@code timeout} for the answer. */
  static HttpResponse<String> post(Target target, String path, byte[] json, Duration timeout) throws IOException {
    HttpRequest req = authorized(target, HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
        .timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    try {
      return Http11.CLIENT.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to " + target.baseUrl() + path, e);
    }
  }

  private static HttpResponse<String> get(Target target, String path) throws IOException {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request(target, path, Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + target.baseUrl() + path, e);
    }
  }


  static String firstModelId(Target target) {
    String url = target.baseUrl() + "/v1/models";
    try {
      HttpResponse<String> resp = get(target, "/v1/models");
      if (resp.statusCode() != 200) {
        throw new ConfigException("GET " + url + " answered HTTP " + resp.statusCode()
            + "; pass the model name with -Dmodel=<name>");
      }
      JsonNode id = MAPPER.readTree(resp.body()).path("data").path(0).path("id");
      if (!id.isTextual()) {
        throw new ConfigException("GET " + url + " listed no model; pass the model name with -Dmodel=<name>");
      }
      return id.asText();
    } catch (IOException e) {
      throw new ConfigException("cannot reach " + url + " (" + describe(e)
          + "); check -Dtarget.url, or pass the model name with -Dmodel=<name>", e);
    }
  }

}
