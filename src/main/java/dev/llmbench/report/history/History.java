package dev.llmbench.report.history;

import dev.llmbench.report.SummaryIndex;
import dev.llmbench.report.baseline.Baseline;
import dev.llmbench.report.baseline.BaselineException;
import dev.llmbench.report.baseline.BaselineFiles;
import dev.llmbench.report.baseline.Thresholds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The history of the results under {@code reports/}: keeps the result folders of the last days, prunes
 * the older ones, writes one CSV and its trend plots per framework and profile into
 * {@code reports/history/<framework>/}, and the page {@code reports/index.html} that links them all.
 * Rebuilt from the result folders each time: the history holds nothing the folders do not.
 */
public final class History {
  /** Where the CSVs and plots go, beside reports/summary. */
  public static final String FOLDER = SummaryIndex.HISTORY_FOLDER;

  private History() {}

  /**
   * What an update did.
   *
   * @param kept the result folders kept (read), newest first
   * @param pruned the folders deleted (or, without pruning, that would have been)
   * @param corrupt the folders skipped because their summary could not be read
   * @param csvs the CSVs written
   * @param plots the plots written
   * @param page reports/index.html
   */
  public record Outcome(List<ResultEntry> kept, List<Path> pruned, List<Path> corrupt, List<Path> csvs,
      List<Path> plots, Path page) {}

  /**
   * Updates the history.
   *
   * @param keepDays how many days of results to keep (a result started before {@code now - keepDays} is old)
   * @param prune whether old result folders are deleted; without, they are only left out of the history
   * @param out one line per pruned and per corrupt folder
   */
  public static Outcome update(Path reports, Path baselines, int keepDays, boolean prune, Instant now,
      PrintStream out) throws IOException {
    return update(reports, baselines, keepDays, prune, Thresholds.DEFAULTS.regressionPct(), now, out);
  }

  /**
   * Updates the history, the baseline bands spanning {@code regressionPct} either side of the baseline
   * value (the threshold the comparisons apply, {@code -Dregression.threshold}).
   */
  public static Outcome update(Path reports, Path baselines, int keepDays, boolean prune, double regressionPct,
      Instant now, PrintStream out) throws IOException {
    Instant cutoff = now.minus(Duration.ofDays(keepDays));
    List<ResultEntry> kept = new ArrayList<>();
    List<Path> pruned = new ArrayList<>();
    List<Path> corrupt = new ArrayList<>();
    // framework -> profile -> rows
    Map<String, Map<String, List<HistoryRow>>> rows = new TreeMap<>();
    for (Path framework : frameworks(reports)) {
      String name = framework.getFileName().toString();
      for (Path folder : resultFolders(framework)) {
        ResultReader.Read read;
        try {
          read = ResultReader.read(name, folder);
        } catch (ResultReader.Corrupt e) {
          Optional<Instant> stamp = ResultReader.folderStamp(folder);
          if (stamp.isPresent() && stamp.get().isBefore(cutoff)) {
            prune(folder, prune, keepDays, out, pruned);
          } else {
            out.println("SKIPPED " + folder + ": summary.json cannot be read (" + e.getMessage() + ")");
            corrupt.add(folder);
          }
          continue;
        }
        if (read.entry().date().isBefore(cutoff)) {
          prune(folder, prune, keepDays, out, pruned);
          continue;
        }
        kept.add(read.entry());
        rows.computeIfAbsent(name, f -> new TreeMap<>())
            .computeIfAbsent(read.entry().profile(), p -> new ArrayList<>()).addAll(read.rows());
      }
    }
    List<Path> csvs = new ArrayList<>();
    List<Path> plots = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<HistoryRow>>> f : rows.entrySet()) {
      Path dir = reports.resolve(FOLDER).resolve(f.getKey());
      for (Map.Entry<String, List<HistoryRow>> p : f.getValue().entrySet()) {
        List<HistoryRow> sorted = new ArrayList<>(p.getValue());
        // Oldest first; a run's groups in the order the run measured them (the sort is stable).
        sorted.sort(Comparator.comparing(HistoryRow::date).thenComparing(HistoryRow::resultFolder));
        if (sorted.isEmpty()) {
          continue;
        }
        Path csv = dir.resolve(p.getKey() + ".csv");
        HistoryCsv.write(csv, sorted);
        csvs.add(csv);
        plots.addAll(TrendPlots.write(dir, p.getKey(), sorted, baseline(baselines, f.getKey(), p.getKey(), out),
            regressionPct));
      }
    }
    kept.sort(Comparator.comparing(ResultEntry::date).reversed());
    Path page = ReportsPage.write(reports, kept, csvs, plots, now);
    return new Outcome(List.copyOf(kept), List.copyOf(pruned), List.copyOf(corrupt), List.copyOf(csvs),
        List.copyOf(plots), page);
  }

  private static Optional<Baseline> baseline(Path baselines, String framework, String profile, PrintStream out) {
    if (baselines == null || !BaselineFiles.exists(baselines, framework, profile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(BaselineFiles.read(baselines, framework, profile));
    } catch (BaselineException e) {
      // The plots are still worth having without the band; the baseline's own check reports the error.
      out.println("WARN baseline " + BaselineFiles.csv(baselines, framework, profile) + " not drawn: "
          + e.getMessage());
      return Optional.empty();
    }
  }

  private static void prune(Path folder, boolean prune, int keepDays, PrintStream out, List<Path> pruned)
      throws IOException {
    pruned.add(folder);
    if (!prune) {
      return;
    }
    deleteTree(folder);
    out.println("PRUNED " + folder + " (older than " + keepDays + " days)");
  }

  private static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** reports/<framework>/ folders, without reports/summary and reports/history. */
  private static List<Path> frameworks(Path reports) throws IOException {
    try (Stream<Path> s = Files.list(reports)) {
      return s.filter(Files::isDirectory).filter(p -> {
        String n = p.getFileName().toString();
        return !n.equals(SummaryIndex.FOLDER) && !n.equals(FOLDER) && !n.startsWith(".");
      }).sorted().toList();
    }
  }

  /**
   * The result folders of a framework: {@code <profile>-<ts>[-N]} with a summary.json. A folder being
   * written (ResultFolder's hidden temporary sibling) or without a summary is not a result.
   */
  private static List<Path> resultFolders(Path framework) throws IOException {
    try (Stream<Path> s = Files.list(framework)) {
      return s.filter(Files::isDirectory)
          .filter(p -> ResultReader.NAME.matcher(p.getFileName().toString()).matches())
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> Files.exists(p.resolve("summary.json"))).sorted().toList();
    }
  }
}
