package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.io.PosixModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFolderTest {
  private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

  @TempDir
  Path reports;

  @Test
  void writesIntoFrameworkAndProfileFolderInOneRename() throws IOException {
    Path folder = ResultFolder.write(reports, "vllm", "random-1024-1024", T, dir -> {
      Files.writeString(dir.resolve("summary.json"), "{}");
      assertFalse(dir.getFileName().toString().startsWith("random"), "written in a temporary folder first");
    });
    assertEquals(reports.resolve("vllm").resolve("random-1024-1024-20261124-101530"), folder);
    assertEquals("{}", Files.readString(folder.resolve("summary.json")));
    try (Stream<Path> s = Files.list(reports.resolve("vllm"))) {
      assertEquals(1, s.count(), "no temporary folder left behind");
    }
  }

  @Test
  void theFolderAndItsFilesGetTheUmasksModeNotOwnerOnly() throws IOException {
    Path folder = ResultFolder.write(reports, "vllm", "smoke", T, dir -> Files.writeString(dir.resolve("a"), "1"));
    PosixModes.assertAsUmask(folder);
    PosixModes.assertAsUmask(folder.resolve("a"));
  }

  @Test
  void neverOverwritesAnEarlierRun() throws IOException {
    Path first = ResultFolder.write(reports, "sglang", "smoke", T, dir -> Files.writeString(dir.resolve("a"), "1"));
    Path second = ResultFolder.write(reports, "sglang", "smoke", T, dir -> Files.writeString(dir.resolve("a"), "2"));
    assertNotEquals(first, second);
    assertTrue(second.getFileName().toString().endsWith("-2"));
    assertEquals("1", Files.readString(first.resolve("a")), "the earlier run is untouched");
  }

  @Test
  void aFailedWriteKeepsWhatWasWrittenMarkedPartial() {
    IOException e = assertThrows(IOException.class, () -> ResultFolder.write(reports, "ollama", "smoke", T, dir -> {
      Files.writeString(dir.resolve("requests.csv"), "id\n");
      throw new IOException("disk full");
    }));
    Path partial = reports.resolve("ollama").resolve("smoke-20261124-101530.partial");
    assertTrue(Files.exists(partial.resolve("requests.csv")), "partial results kept");
    assertTrue(e.getMessage().contains("disk full") && e.getMessage().contains(partial.toString()), e.getMessage());
  }

  @Test
  void labelsBecomeFolderSafe() {
    assertEquals("llama.cpp", ResultFolder.safe("llama.cpp"));
    assertEquals("a_b", ResultFolder.safe("a/b"));
    assertEquals("_..", ResultFolder.safe(".."));
  }
}
