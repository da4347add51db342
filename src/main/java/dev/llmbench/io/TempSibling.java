package dev.llmbench.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A new, uniquely named file or folder in the folder of its final place, to be filled there and then
 * renamed onto that place in one atomic step. Unlike {@link Files#createTempFile} and
 * {@link Files#createTempDirectory}, which force owner-only modes (0600, 0700) that the rename keeps,
 * it gets the mode the user's umask gives any new file, so results and baselines stay readable by CI
 * artifact collectors and other users.
 */
public final class TempSibling {
  private TempSibling() {}

  /** A new empty folder {@code <parent>/<prefix><random>}. */
  public static Path directory(Path parent, String prefix) throws IOException {
    return create(parent, prefix, "", Files::createDirectory);
  }

  /** A new empty file {@code <parent>/<prefix><random><suffix>}. */
  public static Path file(Path parent, String prefix, String suffix) throws IOException {
    return create(parent, prefix, suffix, Files::createFile);
  }

  /** What writes a file's text. */
  @FunctionalInterface
  public interface Body {
    void write(java.io.Writer out) throws IOException;
  }

  /**
   * Writes {@code file} (UTF-8), creating its folder: into a new sibling first, then moved onto it in one
   * step, so a reader never sees half a file.
   */
  public static void write(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = file(dir, "." + file.getFileName(), ".tmp");
    try {
      try (java.io.Writer out = Files.newBufferedWriter(temp, java.nio.charset.StandardCharsets.UTF_8)) {
        body.write(out);
      }
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @FunctionalInterface
  private interface Creator {
    Path create(Path path) throws IOException;
  }

  private static Path create(Path parent, String prefix, String suffix, Creator creator) throws IOException {
    while (true) {
      // Creation is exclusive (it never follows or reuses what is there), so a guessable name is harmless.
      Path path = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix);
      try {
        return creator.create(path);
      } catch (FileAlreadyExistsException e) {
        // taken by another writer: draw another name
      }
    }
  }
}
