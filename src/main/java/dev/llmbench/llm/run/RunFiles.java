package dev.llmbench.llm.run;

import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.requests.RequestLogWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Where this run's per-request side file goes. Gatling creates its run folder only once the run
 * starts and does not tell the simulation its name, so the file is written next to it while the run
 * goes and moved into it as {@value RequestLogWriter#FILE_NAME} by {@link #finish()} (called from the
 * simulation's {@code after()} hook). If that cannot happen, the file stays in the results folder,
 * nothing is lost, and the message says where.
 *
 * <p>The results folder is {@code -Dllmbench.results.dir} (the POM passes Gatling's), else
 * {@code target/gatling}.
 */
public final class RunFiles {
  private final Path resultsDir;
  private final Set<String> foldersBefore;
  private final RequestLogWriter writer;
  private Path finalPath;
  private RunDescription runDescription;
  /** Side files beside the requests' (e.g. the server's scraped metrics): name in the run folder, where now, who writes it. */
  private final java.util.List<Attached> attached = new java.util.ArrayList<>();

  private record Attached(String name, Path path, AutoCloseable producer) {}

  /**
   * The files of a run being set up, before Gatling makes its run folder: the folders already there
   * are noted, so that {@link #finish()} finds the new one.
   */
  RunFiles(Path resultsDir) {
    this.resultsDir = resultsDir;
    this.foldersBefore = folders(resultsDir);
    String name = ".llm-requests-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + ".jsonl.part";
    this.writer = new RequestLogWriter(resultsDir.resolve(name));
  }

  public RequestLogWriter requests() {
    return writer;
  }

  /** What the run was (load parameters, notes), written as {@value #RUN_FILE} beside the requests. */
  public synchronized void describe(RunDescription description) {
    this.runDescription = description;
  }

  /** Changes the run's description (once it was described), e.g. with the steps a search decided as it ran. */
  public synchronized void redescribe(UnaryOperator<RunDescription> change) {
    if (runDescription != null) {
      runDescription = change.apply(runDescription);
    }
  }

  /**
   * Records what the run gave once its load was over (the self-monitor's figures, the requests sent, the
   * breaker, the server's memory); with no description yet (the run was never announced) it starts one.
   */
  public synchronized void record(UnaryOperator<RunDescription.AfterLoad> part) {
    runDescription = (runDescription == null ? RunDescription.UNANNOUNCED : runDescription).withAfterLoad(part);
  }

  /**
   * A side file of the run written while it goes (e.g. the server's {@code /metrics} scraped): its
   * producer is started on a temporary path next to the run folder, and {@link #finish()} closes it
   * and moves the file into the run folder as {@code name}.
   *
   * @param start starts the producer writing to the path it is given
   */
  public synchronized void attach(String name, java.util.function.Function<Path, AutoCloseable> start) {
    Path path = resultsDir.resolve("." + name + "-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid()
        + ".part");
    attached.add(new Attached(name, path, start.apply(path)));
  }

  /** Stops the attached files' producers (again, harmlessly, once the run is over; or when it fails at set-up). */
  synchronized void closeAttached() {
    for (Attached a : attached) {
      try {
        a.producer().close();
      } catch (Exception e) {
        System.err.println("llm-serving-bench: WARN " + a.name() + " did not close cleanly: " + e.getMessage());
      }
    }
  }

  /** Name of the run description file in the run folder. */
  public static final String RUN_FILE = RunDescriptionFile.FILE_NAME;

  /** Closes the side file and moves it into Gatling's run folder; returns where it is now. */
  public synchronized Path finish() {
    if (finalPath != null) {
      return finalPath;
    }
    writer.close();
    closeAttached();
    Optional<Path> runFolder = folders(resultsDir).stream()
        .filter(f -> !foldersBefore.contains(f))
        .map(resultsDir::resolve)
        .filter(d -> Files.exists(d.resolve("simulation.log")))
        .max(Comparator.comparing(Path::toString));
    if (runFolder.isEmpty()) {
      finalPath = writer.path();
      System.err.println("llm-serving-bench: no new Gatling run folder found in " + resultsDir
          + "; the per-request file stays at " + finalPath);
      return finalPath;
    }
    Path target = runFolder.get().resolve(RequestLogWriter.FILE_NAME);
    try {
      if (runDescription != null) {
        Path tmp = runFolder.get().resolve(RUN_FILE + ".part");
        RunDescriptionFile.write(runDescription, tmp);
        Files.move(tmp, runFolder.get().resolve(RUN_FILE), StandardCopyOption.ATOMIC_MOVE);
      }
      for (Attached a : attached) {
        if (Files.exists(a.path())) {
          Files.move(a.path(), runFolder.get().resolve(a.name()), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      finalPath = Files.move(writer.path(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + writer.path() + " to " + target + ": " + e.getMessage(), e);
    }
    return finalPath;
  }

  private static Set<String> folders(Path dir) {
    File[] dirs = dir.toFile().listFiles(File::isDirectory);
    return dirs == null ? Set.of() : Arrays.stream(dirs).map(File::getName).collect(Collectors.toSet());
  }
}
