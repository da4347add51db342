package dev.llmbench.report.compare;

import dev.llmbench.io.NewFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    StringWriter json = new StringWriter();
    JsonFormat.write(c, json);
    List<String> bodies = List.of(json.toString(), MarkdownFormat.render(c), HtmlFormat.render(c));
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < EXTENSIONS.size(); i++) {
      files.put(EXTENSIONS.get(i), bodies.get(i));
    }
    return NewFiles.write(dir, "comparison-" + STAMP.format(now), files);
  }
}
