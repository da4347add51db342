package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.requests.RequestResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simulations.ServingSimulation;

/**
 * Real Gatling runs against the emulator writing its events in forms other than the compact one
 * ({@code emulator.wire.style}): every request succeeds, with the ground truth's prompt and output
 * tokens and one ITL per content event after the first, as in the compact form; the side file counts
 * the events read by the full JSON parse (none for the compact form).
 */
class WireStylesRunTest extends EmulatorRuns {
  private static final int PROMPTS = 4;
  private static final int OUTPUT_TOKENS = 24;

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = ';', value = {
      "openai; vllm; compact",
      "openai-chat; llama-cpp; compact",
      "openai; vllm; spaced",
      "openai-chat; vllm; spaced",
      "openai; llama-cpp; spaced,reordered,escaped",
      "openai-chat; llama-cpp; spaced,reordered,escaped",
      "openai; vllm; multiline,cr,comments,bare-data,fields",
      "openai-chat; vllm; reordered,crlf,comments,fields"})
  void everyRequestReadsAsTheGroundTruth(String backend, String dialect, String style) throws Exception {
    String name = backend + "-" + dialect + "-" + style.replace(',', '-');
    Map<String, String> props = randomLoad(PROMPTS, 48, OUTPUT_TOKENS, 2,
        "backend", backend, "emulator.dialect", dialect, "emulator.wire.style", style);
    List<RequestResult> rows = GatlingRun.run(ServingSimulation.class, props, results.resolve(name)).measured();
    assertEquals(PROMPTS, rows.size(), name + ": every request is in the side file");
    boolean patterns = !style.contains("spaced") && !style.contains("multiline");
    for (RequestResult r : rows) {
      assertTrue(r.ok(), () -> name + ": request failed: " + r);
      assertEquals(OUTPUT_TOKENS, r.outputTokens(), () -> name + ": output tokens of " + r);
      assertEquals("usage", r.outputTokensSource(), name);
      RequestTrace t = LastRun.target().emulator().groundTruth().byClientRequestId(r.requestId());
      assertNotNull(t, name);
      assertEquals(t.promptTokens(), r.promptTokens(), () -> name + ": prompt tokens of " + r);
      assertEquals(t.chunkNanos().length - 1, r.itlMicros().length, name + ": one ITL per content event after the first");
      if (patterns) {
        assertEquals(0, r.fallbackParses(), name + ": the byte patterns read every event");
      } else {
        assertTrue(r.fallbackParses() >= t.chunkNanos().length, name + ": " + r.fallbackParses() + " fallback parses");
      }
    }
  }
}
