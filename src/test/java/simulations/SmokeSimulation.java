package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import dev.llmbench.llm.Keys;
import dev.llmbench.llm.Llm;
import dev.llmbench.llm.LlmProtocol;
import dev.llmbench.llm.LlmSimulation;
import dev.llmbench.llm.Target;
import dev.llmbench.tokenizer.WordTokenizer;
import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The default simulation: a short smoke run of streamed chat completions, 8 concurrent streams of
 * 128 prompt tokens and 64 output tokens, 4 requests each, against {@code -Dtarget.url} or the
 * embedded emulator. Closed model (fixed concurrency), as {@code bench_serving --max-concurrency 8}.
 */
public class SmokeSimulation extends LlmSimulation {

  // Where the load goes: -Dtarget.url, or the embedded emulator started in this JVM
  private static final Target TARGET = Target.get();

  // Smoke size: seconds on the emulator
  private static final int STREAMS = 8;
  private static final int REQUESTS_PER_STREAM = 4;
  private static final int INPUT_TOKENS = 128;
  private static final int OUTPUT_TOKENS = 64;

  // One protocol for every simulation (base URL, headers, warm-up off, API key)
  private static final HttpProtocolBuilder PROTOCOL = LlmProtocol.http(TARGET);

  // Prompts of exactly INPUT_TOKENS tokens, from a fixed seed
  private static final Random RANDOM = new Random(1);
  private static final Iterator<Map<String, Object>> PROMPTS = Stream.generate(
      () -> Map.<String, Object>of(
          Keys.PROMPT, WordTokenizer.prompt(INPUT_TOKENS, RANDOM),
          Keys.INPUT_TOKENS, INPUT_TOKENS,
          Keys.OUTPUT_TOKENS, OUTPUT_TOKENS))
      .iterator();

  // One streamed chat completion, every token event timed (rows TTFT, ITL, TPOT, E2E)
  private static final ChainBuilder CHAT_STREAM = feed(PROMPTS).exec(Llm.stream("chat"));

  private static final ScenarioBuilder SMOKE =
      scenario("smoke").group("smoke").on(repeat(REQUESTS_PER_STREAM).on(CHAT_STREAM));

  // Every stream must complete
  private static final Assertion NO_FAILURES = global().failedRequests().count().is(0L);

  {
    setUp(SMOKE.injectClosed(constantConcurrentUsers(STREAMS).during(Duration.ofSeconds(1))))
        .protocols(PROTOCOL)
        .assertions(NO_FAILURES)
        .maxDuration(Duration.ofMinutes(5));
  }
}
