package dev.llmbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.emulator.LlmEmulator;
import dev.llmbench.emulator.RequestTrace;
import dev.llmbench.emulator.TimingModel;
import dev.llmbench.stream.RequestResult;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's yardstick reads the emulator's streams as the server sent them. */
class ReferenceClientTest {
  private static final TimingModel FAST = new TimingModel(200_000, 1_000, 10, 256, 1L << 20, 8_192, 1, 64);

  /** A content event is stamped after the read that brought it, so never before the server's flush of it. */
  @Test
  void everyContentEventIsFoundAndStampedAfterTheServerSentIt() throws IOException {
    try (LlmEmulator emulator = new LlmEmulator(EmulatorConfig.builder().timing(FAST).ioThreads(2).build()).start()) {
      List<RequestResult> results = ReferenceClient.run(new ReferenceClient.Settings(URI.create(emulator.baseUrl()),
          12, 4, 4, 64, 24, 0.5));

      assertEquals(16, results.size());
      assertEquals(4, results.stream().filter(RequestResult::warmup).count());
      for (RequestResult r : results) {
        assertTrue(r.ok(), r.requestId() + ": " + r.error());
        RequestTrace t = emulator.groundTruth().byClientRequestId(r.requestId());
        assertNotNull(t, r.requestId());
        long[] chunks = t.chunkNanos();
        assertEquals(chunks.length, r.outputTokens(), r.requestId() + ": one content event per chunk sent");
        assertEquals(chunks.length - 1, r.itlMicros().length);
        assertTrue(r.sentNanos() < t.arrivalNanos(), "sent before the server took it");
        // Stamps are whole µs in the side file: allow 1 µs of rounding, plus the server's own stamp
        // taken just after its flush (a read on another core can come first).
        long read = r.sentNanos() + r.ttftMicros() * 1_000;
        assertTrue(read >= chunks[0] - 5_000_000, "first read " + read + " vs flush " + chunks[0]);
        long last = read;
        for (long gap : r.itlMicros()) {
          last += gap * 1_000;
        }
        assertTrue(last >= chunks[chunks.length - 1] - 5_000_000 - 1_000L * r.itlMicros().length,
            "last read vs last flush");
      }
      results.stream().filter(r -> !r.warmup())
          .forEach(r -> assertTrue(r.outputTokens() >= 12 && r.outputTokens() <= 24, "lengths of ratio 0.5"));
    }
  }

  @Test
  void aResponseThatIsNotAStreamStopsTheRunWithWhatItWas() {
    try (LlmEmulator emulator = new LlmEmulator(EmulatorConfig.builder().timing(FAST).maxModelLen(100).build())
        .start()) {
      IOException e = assertThrows(IOException.class, () -> ReferenceClient.run(
          new ReferenceClient.Settings(URI.create(emulator.baseUrl()), 2, 1, 0, 200, 8, 1)));
      assertTrue(e.getMessage().startsWith("HTTP 400 for request ref-0"), e.getMessage());
    }
  }
}
