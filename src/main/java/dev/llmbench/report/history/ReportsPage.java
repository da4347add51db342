package dev.llmbench.report.history;

import dev.llmbench.io.TempSibling;
import dev.llmbench.report.render.Templates;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code reports/index.html}: one self-contained page (no script, no fetched resource) linking every
 * result folder's page, every framework comparison under reports/summary, and every history CSV and
 * plot, newest first. Links are relative, so the folder can be copied or served as it is. Rendered with
 * {@code templates/reports-index.html.ftlh} and replaced atomically.
 */
public final class ReportsPage {
  public static final String FILE = "index.html";
  static final String TEMPLATE = "reports-index.html.ftlh";
  /** reports/summary/comparison-<ts>.{json,md,html} (report.compare.ComparisonFiles). */
  private static final Pattern COMPARISON = Pattern.compile("comparison-.+\\.(html|md|json)");
  /** reports/summary/nightly-<ts>.{md,json}: the nightly runner's table of each night. */
  private static final Pattern NIGHT = Pattern.compile("nightly-.+\\.(md|json)");
  private static final Configuration FREEMARKER = Templates.configuration();

  private ReportsPage() {}

  static Path write(Path reports, List<ResultEntry> runs, List<Path> csvs, List<Path> plots, Instant now)
      throws IOException {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("generated", DateTimeFormatter.ISO_INSTANT.format(now));
    List<Map<String, String>> runRows = new ArrayList<>();
    for (ResultEntry r : runs) {
      runRows.add(Map.of("date", DateTimeFormatter.ISO_INSTANT.format(r.date()), "framework", r.framework(),
          "profile", r.profile(), "folder", r.folder().getFileName().toString(),
          "href", href(reports, r.folder().resolve("index.html")), "validity", r.validity(),
          "baseline", r.baseline()));
    }
    model.put("runs", runRows);
    model.put("comparisons", summaries(reports, COMPARISON));
    model.put("nights", summaries(reports, NIGHT));
    List<Map<String, String>> csvRows = new ArrayList<>();
    for (Path c : csvs) {
      csvRows.add(Map.of("name", reports.resolve(History.FOLDER).relativize(c).toString().replace('\\', '/'),
          "href", href(reports, c)));
    }
    model.put("csvs", csvRows);
    List<Map<String, String>> plotRows = new ArrayList<>();
    for (Path p : plots) {
      plotRows.add(Map.of("name", reports.resolve(History.FOLDER).relativize(p).toString().replace('\\', '/'),
          "href", href(reports, p)));
    }
    model.put("plots", plotRows);
    Path file = reports.resolve(FILE);
    TempSibling.write(file, out -> {
      try {
        FREEMARKER.getTemplate(TEMPLATE).process(model, out);
      } catch (TemplateException e) {
        throw new IOException("cannot render " + TEMPLATE + ": " + e.getMessage(), e);
      }
    });
    return file;
  }

  /**
   * The files of reports/summary matching {@code names} (comparisons, nights), newest first (by the time in
   * their names, which sort as they were written).
   */
  private static List<Map<String, String>> summaries(Path reports, Pattern names) throws IOException {
    Path dir = reports.resolve(dev.llmbench.report.SummaryIndex.FOLDER);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Map<String, String>> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> names.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        out.add(Map.of("name", p.getFileName().toString(), "href", href(reports, p),
            "modified", DateTimeFormatter.ISO_INSTANT.format(t.toInstant())));
      }
    }
    return out;
  }

  private static String href(Path reports, Path target) {
    StringBuilder sb = new StringBuilder();
    for (Path part : reports.relativize(target)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(java.net.URLEncoder.encode(part.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }
}
