package dev.llmbench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A set of files that share a name and differ in their extension ({@code comparison-<ts>.json/.md/.html},
 * {@code nightly-<ts>.md/.json}), written under a name none of them has yet: {@code <base>}, else
 * {@code <base>-2}, {@code <base>-3}, ... Never replaces a file: each is written whole into a sibling and
 * then hard-linked onto its name, which the file system refuses when the name was taken meanwhile.
 */
public final class NewFiles {
  private NewFiles() {}

  /**
   * Writes the bodies (UTF-8) as {@code dir/<stem><extension>}, in the order given, creating {@code dir}.
   *
   * @param bodies each file's extension (with its dot) and text
   * @return the files written, in the order given
   */
  public static List<Path> write(Path dir, String base, Map<String, String> bodies) throws IOException {
    Files.createDirectories(dir);
    for (int n = 1; ; n++) {
      String stem = n == 1 ? base : base + "-" + n;
      if (bodies.keySet().stream().anyMatch(e -> Files.exists(dir.resolve(stem + e)))) {
        continue;
      }
      List<Path> written = new ArrayList<>();
      for (Map.Entry<String, String> b : bodies.entrySet()) {
        written.add(place(dir.resolve(stem + b.getKey()), b.getValue()));
      }
      return List.copyOf(written);
    }
  }

  /** Writes {@code file} whole or not at all, never replacing one: a sibling, then a hard link onto the name. */
  private static Path place(Path file, String body) throws IOException {
    Path temp = TempSibling.file(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, body, StandardCharsets.UTF_8);
      try {
        Files.createLink(file, temp);
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file); // no hard links here: a plain move, which refuses an existing file too
      }
      return file;
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " was written by another run meanwhile; nothing was replaced", e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
