package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests get the right status and an OpenAI error body
 * {@code {"object":"error","message":...,"type":...,"code":...}} whose message says what is wrong.
 */
class BadRequestTest {
  private static final int MAX_MODEL_LEN = 1_024;
  private static final String MODEL = EmulatorConfig.DEFAULT_MODEL;
  private static final String CHAT = "/v1/chat/completions";
  private static final String COMPLETIONS = "/v1/completions";

  private static LlmEmulator emulator;
  private static EmulatorHttp http;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorHttp.start(EmulatorHttp.fastConfig().maxModelLen(MAX_MODEL_LEN));
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  private static String chatWith(String fields) {
    return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + fields + "}";
  }

  /** description, method, path, body (null for none), X-Emulator-Fault (null for none), status, message fragment. */
  static Stream<Arguments> badRequests() {
    String longPrompt = EmulatorHttp.prompt(1_000, 1);
    return Stream.of(
        Arguments.of("malformed JSON", "POST", CHAT, "{\"model\": ", null, 400, "not valid JSON"),
        Arguments.of("empty body", "POST", CHAT, "", null, 400, "body is empty"),
        Arguments.of("body not an object", "POST", CHAT, "[1,2]", null, 400, "must be a JSON object"),
        Arguments.of("missing messages", "POST", CHAT, "{\"model\":\"" + MODEL + "\"}", null, 400, "'messages'"),
        Arguments.of("empty messages", "POST", CHAT, "{\"messages\":[]}", null, 400, "'messages'"),
        Arguments.of("missing prompt", "POST", COMPLETIONS, "{\"model\":\"" + MODEL + "\"}", null, 400, "'prompt'"),
        Arguments.of("prompt of wrong type", "POST", COMPLETIONS, "{\"prompt\":{\"a\":1}}", null, 400, "'prompt'"),
        Arguments.of("max_tokens a string", "POST", CHAT, chatWith(",\"max_tokens\":\"abc\""), null, 400,
            "'max_tokens' must be a non-negative integer, but was \"abc\""),
        Arguments.of("max_tokens zero", "POST", CHAT, chatWith(",\"max_tokens\":0"), null, 400, "'max_tokens'"),
        Arguments.of("max_tokens fractional", "POST", COMPLETIONS, "{\"prompt\":\"x\",\"max_tokens\":1.5}", null, 400,
            "'max_tokens'"),
        Arguments.of("stream not a boolean", "POST", CHAT, chatWith(",\"stream\":\"yes\""), null, 400, "'stream'"),
        Arguments.of("temperature negative", "POST", CHAT, chatWith(",\"temperature\":-1"), null, 400, "'temperature'"),
        Arguments.of("unknown model", "POST", CHAT,
            "{\"model\":\"gpt-17\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null, 404, "gpt-17"),
        Arguments.of("unknown model on completions", "POST", COMPLETIONS, "{\"model\":\"gpt-17\",\"prompt\":\"x\"}",
            null, 404, "gpt-17"),
        Arguments.of("prompt + max_tokens over max_model_len", "POST", COMPLETIONS,
            "{\"prompt\":\"" + longPrompt + "\",\"max_tokens\":100}", null, 400, "maximum context length is 1024"),
        Arguments.of("prompt alone over max_model_len", "POST", COMPLETIONS,
            "{\"prompt\":\"" + longPrompt + " " + longPrompt + "\",\"max_tokens\":1}", null, 400,
            "your prompt has 2000 tokens"),
        Arguments.of("stream_options without stream", "POST", CHAT,
            chatWith(",\"stream_options\":{\"include_usage\":true}"), null, 400, "'stream_options'"),
        Arguments.of("min_tokens above max_tokens", "POST", CHAT, chatWith(",\"max_tokens\":5,\"min_tokens\":9"),
            null, 400, "min tokens (9) must be <= max tokens (5)"),
        Arguments.of("unknown route", "POST", "/v1/audio/speech", "{}", null, 404, "no route POST /v1/audio/speech"),
        Arguments.of("unknown GET route", "GET", "/nope", null, null, 404, "no route GET /nope"),
        Arguments.of("GET on a POST route", "GET", CHAT, null, null, 405, "use POST"),
        Arguments.of("POST on a GET route", "POST", "/v1/models", "{}", null, 405, "use GET"),
        Arguments.of("unknown fault", "POST", CHAT, chatWith(""), "explode", 400, "X-Emulator-Fault must be one of"),
        Arguments.of("fault parameter not a number", "POST", CHAT, chatWith(""), "stall;after=x", 400,
            "'after=x' must be name=<integer>"),
        Arguments.of("unknown fault parameter", "POST", CHAT, chatWith(""), "stall;every=3", 400,
            "unknown parameter 'every'"),
        Arguments.of("SGLang without text", "POST", "/generate", "{\"sampling_params\":{}}", null, 400, "'text'"),
        Arguments.of("TRT without max_tokens", "POST", "/v2/models/ensemble/generate_stream",
            "{\"text_input\":\"hi\"}", null, 400, "'max_tokens'"),
        Arguments.of("TRT unknown model", "POST", "/v2/models/other/generate_stream",
            "{\"text_input\":\"hi\",\"max_tokens\":2}", null, 404, "unknown model 'other'"),
        Arguments.of("score without labels", "POST", "/v1/score", "{\"query\":\"q\",\"items\":[\"a\"]}", null, 400,
            "label_token_ids"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestGetsStatusAndOpenAiErrorBody(String description, String method, String path, String body,
      String fault, int status, String fragment) {
    HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(emulator.baseUrl() + path))
        .timeout(EmulatorHttp.TIMEOUT).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (fault != null) {
      b.header("X-Emulator-Fault", fault);
    }
    EmulatorHttp.Reply r = send(b.build());

    String message = r.assertError(status);
    assertTrue(message.contains(fragment), () -> description + ": message '" + message + "' should contain '"
        + fragment + "'");
  }

  @Test
  void theConnectionKeepsServingAfterABadRequest() {
    EmulatorHttp.Reply bad = http.post(CHAT, "{oops");
    EmulatorHttp.Reply good = http.post(CHAT, EmulatorHttp.chat(5, 3, false));

    bad.assertError(400);
    assertEquals(200, good.status(), good.body());
    assertEquals("BadRequestError", bad.json().path("type").asText());
  }

  private static EmulatorHttp.Reply send(HttpRequest request) {
    try {
      var r = http.client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new EmulatorHttp.Reply(r.statusCode(), r.headers(), r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
