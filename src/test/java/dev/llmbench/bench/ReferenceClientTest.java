package dev.llmbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.emulator.Fault;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.emulator.TimingModel;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's yardstick reads the emulator's streams as the server sent them. */
class ReferenceClientTest {
  /**
   * 20 ms between a sequence's tokens: an event stamped one event early or late is off by a step,
   * four times the tolerance below.
   */
  private static final TimingModel SLOW_STEPS = new TimingModel(200_000, 20_000, 10, 256, 1L << 20, 8_192, 1, 64);
  private static final TimingModel FAST = new TimingModel(200_000, 1_000, 10, 256, 1L << 20, 8_192, 1, 64);

  /**
   * The emulator stamps a chunk just after flushing it, so a client on another core may read it a
   * little before that stamp; this is how much earlier we accept on a loaded 2-core machine.
   */
  private static final long STAMP_TOLERANCE_NANOS = 5_000_000;

  @Test
  void everyContentEventIsFoundAndStampedNoEarlierThanTheServerSentIt() throws IOException {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().timing(SLOW_STEPS).ioThreads(2))) {
      List<RequestResult> results = ReferenceClient.run(settings(emulator, 6, 3, 3, 12, 0.5));

      assertEquals(9, results.size());
      assertEquals(3, results.stream().filter(RequestResult::warmup).count());
      for (RequestResult r : results) {
        assertTrue(r.ok(), r.requestId() + ": " + r.error());
        RequestTrace t = emulator.groundTruth().byClientRequestId(r.requestId());
        assertNotNull(t, r.requestId());
        long[] chunks = t.chunkNanos();
        assertEquals(chunks.length, r.outputTokens(), r.requestId() + ": one content event per chunk sent");
        assertEquals(chunks.length - 1, r.itlMicros().length);
        assertTrue(r.sentNanos() < t.arrivalNanos(), "sent before the server took it");
        // The side file keeps whole µs: each gap may lose up to 1 µs to rounding.
        long read = r.sentNanos() + r.ttftMicros() * 1_000;
        for (int i = 0; i < chunks.length; i++) {
          read += i == 0 ? 0 : r.itlMicros()[i - 1] * 1_000;
          assertTrue(read >= chunks[i] - STAMP_TOLERANCE_NANOS - 1_000L * (i + 1),
              r.requestId() + " event " + i + ": read " + read + " vs flush " + chunks[i]);
        }
        long e2eEnd = r.sentNanos() + r.e2eMicros() * 1_000;
        assertTrue(e2eEnd >= t.finishNanos() - STAMP_TOLERANCE_NANOS, "E2E ends at [DONE], after the last chunk");
      }
      results.stream().filter(r -> !r.warmup())
          .forEach(r -> assertTrue(r.outputTokens() >= 6 && r.outputTokens() <= 12, "lengths of ratio 0.5"));
    }
  }

  @Test
  void aStreamWithoutDoneEndsWithItsBody() throws IOException {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().timing(FAST).faultRate(Fault.NO_DONE, 1.0))) {
      List<RequestResult> results = ReferenceClient.run(settings(emulator, 4, 2, 0, 8, 1));
      assertEquals(4, results.size());
      results.forEach(r -> assertTrue(r.ok() && r.outputTokens() == 8, r.toString()));
    }
  }

  @Test
  void aConnectionTheServerResetsIsAFailedRequestAndTheOthersGoOn() throws IOException {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().timing(FAST).faultRate(Fault.DISCONNECT, 0.5))) {
      // One request per connection: each ends, reset or not, and none waits for a dead connection
      List<RequestResult> results = ReferenceClient.run(settings(emulator, 8, 8, 0, 8, 1));

      assertEquals(8, results.size());
      // The emulator picks faults from its seed and the request's number: the same ones every run
      assertTrue(results.stream().anyMatch(RequestResult::ok) && results.stream().anyMatch(r -> !r.ok()),
          "some requests reset, some not");
      for (RequestResult r : results) {
        String outcome = emulator.groundTruth().byClientRequestId(r.requestId()).outcome();
        assertEquals(outcome.equals("ok"), r.ok(), r.requestId() + ": server's outcome " + outcome);
        if (!r.ok()) {
          assertEquals("connection closed by the server", r.error(), r.requestId());
        }
      }
    }
  }

  @Test
  void aResponseThatIsNotAStreamStopsTheRunWithWhatItWas() {
    try (LlmEmulator emulator = start(EmulatorConfig.builder().timing(FAST).maxModelLen(100))) {
      IOException e = assertThrows(IOException.class, () -> ReferenceClient.run(
          new ReferenceClient.Settings(URI.create(emulator.baseUrl()), 2, 1, 0, 200, 8, 1, 1)));
      assertTrue(e.getMessage().startsWith("HTTP 400 for request ref-0"), e.getMessage());
    }
  }

  private static LlmEmulator start(EmulatorConfig.Builder config) {
    return new LlmEmulator(config.build()).start();
  }

  private static ReferenceClient.Settings settings(LlmEmulator emulator, int prompts, int streams, int warmups,
      int outputLen, double ratio) {
    return new ReferenceClient.Settings(URI.create(emulator.baseUrl()), prompts, streams, warmups, 32, outputLen,
        ratio, 1);
  }
}
