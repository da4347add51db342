package dev.llmbench.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempSiblingTest {
  @TempDir
  Path dir;

  @Test
  void aNewFileIsUniqueHiddenAndHasTheUmasksMode() throws IOException {
    Path a = TempSibling.file(dir, ".index.csv", ".tmp");
    Path b = TempSibling.file(dir, ".index.csv", ".tmp");
    assertNotEquals(a, b);
    assertEquals(dir, a.getParent(), "beside its final place, so the rename stays on one file system");
    assertTrue(a.getFileName().toString().startsWith(".index.csv") && a.toString().endsWith(".tmp"), a.toString());
    assertTrue(Files.isRegularFile(a) && Files.size(a) == 0);
    PosixModes.assertAsUmask(a);
  }

  @Test
  void aNewFolderIsUniqueHiddenAndHasTheUmasksMode() throws IOException {
    Path a = TempSibling.directory(dir, ".smoke.tmp-");
    Path b = TempSibling.directory(dir, ".smoke.tmp-");
    assertNotEquals(a, b);
    assertTrue(Files.isDirectory(a) && a.getFileName().toString().startsWith(".smoke.tmp-"), a.toString());
    PosixModes.assertAsUmask(a);
  }
}
