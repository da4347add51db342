package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/** A real request-rate sweep against the emulator gets latency-throughput.png and the curve on its page. */
class LatencyCurveRunTest extends EmulatorRuns {

  @Test
  void aSweepOfTwoRatesWritesTheCurve() throws IOException {
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class,
        randomLoad(12, 32, 8, 4, "request.rate", "20,40", "baseline.compare", "false"), results.resolve("sweep"));
    assertEquals(0, o.exitCode());
    Path folder = resultFolder("sweep");
    BufferedImage image = ImageIO.read(folder.resolve("latency-throughput.png").toFile());
    assertEquals(900, image.getWidth());
    assertEquals(500, image.getHeight());
    String html = Files.readString(folder.resolve("index.html"));
    assertTrue(html.contains("<img src=\"data:image/png;base64,"), "the image inline on the page");
    assertTrue(html.contains("@rate=20"), "a row per rate");
    assertTrue(html.contains("@rate=40"), "a row per rate");
  }

  @Test
  void oneRateWritesNoCurve() throws IOException {
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class,
        randomLoad(12, 32, 8, 4, "request.rate", "20", "baseline.compare", "false"), results.resolve("one"));
    assertEquals(0, o.exitCode());
    Path folder = resultFolder("one");
    assertFalse(Files.exists(folder.resolve("latency-throughput.png")));
    assertFalse(Files.readString(folder.resolve("index.html")).contains("<img"));
  }
}
