package dev.llmbench.report;

import dev.llmbench.io.TempSibling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a result folder {@code <reports>/<framework>/<profile>-<yyyyMMdd-HHmmss>} atomically: the
 * files are written into a hidden temporary folder beside it, which is renamed in one step when
 * complete, so a reader never sees half a result. An earlier run is never overwritten (a second run
 * in the same second gets {@code -2}, {@code -3}, ...). If writing fails, what was written is kept
 * as {@code <name>.partial} and the error names it.
 */
public final class ResultFolder {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Fills a folder with result files. */
  @FunctionalInterface
  public interface Filler {
    void fill(Path folder) throws IOException;
  }

  private ResultFolder() {}

  /** The folder name for a profile at a time (UTC). */
  public static String name(String profile, Instant timestamp) {
    return safe(profile) + "-" + STAMP.format(timestamp);
  }

  /**
   * Writes the folder and returns where it is.
   *
   * @throws IOException when the files cannot be written (what was written is kept as {@code .partial})
   */
  public static Path write(Path reports, String framework, String profile, Instant timestamp, Filler filler)
      throws IOException {
    Path parent = reports.resolve(safe(framework));
    Files.createDirectories(parent);
    String name = name(profile, timestamp);
    Path temp = TempSibling.directory(parent, "." + name + ".tmp-");
    try {
      filler.fill(temp);
    } catch (IOException | RuntimeException e) {
      Path partial = parent.resolve(name + ".partial");
      for (int i = 2; Files.exists(partial); i++) {
        partial = parent.resolve(name + "-" + i + ".partial");
      }
      Files.move(temp, partial, StandardCopyOption.ATOMIC_MOVE);
      throw new IOException("writing the result folder failed (" + e.getMessage() + "); what was written is kept in "
          + partial, e);
    }
    for (int i = 1; ; i++) {
      Path target = parent.resolve(i == 1 ? name : name + "-" + i);
      try {
        // A rename onto an existing folder fails (or replaces an empty one on some systems): check first,
        // and let the atomic move refuse a race.
        if (Files.exists(target)) {
          continue;
        }
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // taken meanwhile: try the next suffix
      } catch (AtomicMoveNotSupportedException e) {
        throw new UncheckedIOException("the reports folder " + parent + " does not support atomic renames", e);
      }
    }
  }

  /** A folder-safe version of a label: letters, digits, '.', '_' and '-' kept, the rest as '_'. */
  static String safe(String label) {
    String s = label.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }
}
