package dev.llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nvidia-smi's CSV read, the command found on a PATH, and a sampler's file written around a load. */
class GpuSamplerTest {
  @TempDir Path dir;

  @Test
  void readsNvidiaSmiCsvWithNotAvailableAsNaN() throws IOException {
    List<GpuSampler.Gpu> gpus = GpuSampler.parse("0, 1234, 81559, 37\n1, [N/A], 81559, [Not Supported]\n\n");
    assertEquals(new GpuSampler.Gpu(0, 1234, 81559, 37), gpus.get(0));
    assertTrue(Double.isNaN(gpus.get(1).memoryUsedMib()) && Double.isNaN(gpus.get(1).utilizationPct()));
    assertThrows(IOException.class, () -> GpuSampler.parse("No devices were found\n"));
  }

  @Test
  void findsTheCommandOnThePathOrByItsPath() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path smi = script(bin, "echo '0, 1, 2, 3'");
    assertEquals(Optional.of(smi.toString()), GpuSampler.find("nvidia-smi", dir + ":" + bin));
    assertEquals(Optional.of(smi.toString()), GpuSampler.find(smi.toString(), null));
    assertEquals(Optional.empty(), GpuSampler.find("nvidia-smi", dir.toString()));
  }

  @Test
  void samplesBeforeAndAfterAndKeepsAFailingCommandsReason() throws Exception {
    Path good = script(Files.createDirectories(dir.resolve("good")), "echo '0, 100, 200, 5'");
    Path file = dir.resolve("gpu.jsonl");
    try (GpuSampler g = GpuSampler.start(good.toString(), file, Duration.ofHours(1))) {
      assertEquals(1, GpuSampler.read(file).size(), "one sample before start returns");
    }
    List<GpuSampler.Sample> samples = GpuSampler.read(file);
    assertEquals(2, samples.size(), "and one when closed");
    assertEquals(List.of(new GpuSampler.Gpu(0, 100, 200, 5)), samples.get(1).gpus());

    Path bad = script(Files.createDirectories(dir.resolve("bad")), "echo 'NVIDIA-SMI has failed'; exit 9");
    try (GpuSampler g = GpuSampler.start(bad.toString(), file, Duration.ofHours(1))) {
      assertTrue(GpuSampler.read(file).get(0).error().contains("exited with 9"));
    }
  }

  private static Path script(Path bin, String body) throws IOException {
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    return smi;
  }
}
