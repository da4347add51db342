package dev.llmbench.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Facts read from the server before load starts (low rate, so the JDK client is fine here). */
final class ServerInfo {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServerInfo() {}

  static String firstModelId(Target target) {
    String url = target.baseUrl() + "/v1/models";
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (target.apiKey() != null) {
      req.header("Authorization", "Bearer " + target.apiKey());
    }
    try {
      HttpResponse<String> resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(req.build(), HttpResponse.BodyHandlers.ofString());
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
      throw new ConfigException("cannot reach " + url + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); check -Dtarget.url, or pass the model name with -Dmodel=<name>", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while reading " + url, e);
    }
  }
}
