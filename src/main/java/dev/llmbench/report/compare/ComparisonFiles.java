package dev.llmbench.report.compare;

import dev.llmbench.io.TempSibling;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a comparison as {@code <reports>/summary/comparison-<yyyyMMdd-HHmmss>.{json,md,html}}. Each file
 * is written beside its place and linked onto it in one step, which fails rather than replace a file:
 * an earlier comparison is never overwritten (one made in the same second gets {@code -2}, {@code -3}...).
 */
public final class ComparisonFiles {
  public static final String FOLDER = "summary";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final List<String> EXTENSIONS = List.of(".json", ".md", ".html");

  private ComparisonFiles() {}

  /** Writes the three files; returns them, JSON, Markdown, HTML. */
  public static List<Path> write(Path reports, FrameworkComparison c, Instant now) throws IOException {
    Path dir = reports.resolve(FOLDER);
    Files.createDirectories(dir);
    StringWriter json = new StringWriter();
    JsonFormat.write(c, json);
    List<String> bodies = List.of(json.toString(), MarkdownFormat.render(c), HtmlFormat.render(c));
    String base = "comparison-" + STAMP.format(now);
    for (int n = 1; ; n++) {
      String stem = n == 1 ? base : base + "-" + n;
      if (EXTENSIONS.stream().anyMatch(e -> Files.exists(dir.resolve(stem + e)))) {
        continue;
      }
      Path[] written = new Path[EXTENSIONS.size()];
      for (int i = 0; i < EXTENSIONS.size(); i++) {
        written[i] = place(dir.resolve(stem + EXTENSIONS.get(i)), bodies.get(i));
      }
      return List.of(written);
    }
  }

  /** Writes {@code file} without ever replacing one: a sibling, then a hard link onto the name (refused when taken). */
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
      throw new IOException(file + " was written by another comparison meanwhile; nothing was replaced", e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
