package dev.llmbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

/** Test help: is a written file's mode what the user's umask gives, whatever the umask is. */
public final class PosixModes {
  private PosixModes() {}

  /**
   * Asserts that {@code path} has the permissions of a file (or folder, as {@code path} is) newly created
   * beside it; skips the test where the file system has no POSIX modes.
   */
  public static void assertAsUmask(Path path) throws IOException {
    assumeTrue(Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class),
        "the file system has no POSIX modes");
    assertEquals(umaskMode(path), Files.getPosixFilePermissions(path), path + "'s mode");
  }

  private static Set<PosixFilePermission> umaskMode(Path path) throws IOException {
    Path probe = path.resolveSibling(".mode-probe-" + UUID.randomUUID());
    if (Files.isDirectory(path)) {
      Files.createDirectory(probe);
    } else {
      Files.createFile(probe);
    }
    try {
      return Files.getPosixFilePermissions(probe);
    } finally {
      Files.delete(probe);
    }
  }
}
