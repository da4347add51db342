package dev.llmbench.report;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders Gatling's own HTML report of a run folder with Gatling's reports-only mode
 * ({@code io.gatling.app.Gatling -ro <folder name> -rf <its parent>}, which reads the folder's one
 * {@code simulation.log} and writes {@code index.html} and {@code js/} next to it), in a JVM of its own:
 * Gatling's entry point stops Logback when it ends and its {@code main} exits the JVM, neither of which
 * may happen to the command that calls this. Gatling is a test-scope dependency, so the forked JVM gets
 * this JVM's classpath ({@link #classpath()}), which has Gatling when the command runs on the test
 * classpath ({@code <classpathScope>test</classpathScope>}, as {@code exec:java@merge} does).
 */
public final class GatlingReportsOnly {
  static final String GATLING_MAIN = "io.gatling.app.Gatling";
  /** Lines of Gatling's output (stack frames left out) a failure quotes. */
  private static final int TAIL_LINES = 15;

  /** Gatling could not render the report; the message says why, quoting the end of its output. */
  public static final class RenderException extends Exception {
    public RenderException(String message) {
      super(message);
    }
  }

  private GatlingReportsOnly() {}

  /** Renders the report of {@code runFolder} and returns its {@code index.html}. */
  public static Path render(Path runFolder) throws IOException, RenderException {
    Path folder = runFolder.toAbsolutePath().normalize();
    String classpath = classpath();
    if (Thread.currentThread().getContextClassLoader().getResource(GATLING_MAIN.replace('.', '/') + ".class") == null) {
      throw new RenderException("Gatling is not on this command's classpath (it is a test-scope dependency: run the"
          + " command on the test classpath, as exec:java@merge does)");
    }
    // Gatling reads the log's strings through String's internals (StringInternals), as gatling-maven-plugin's fork allows.
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", classpath,
        GATLING_MAIN, "-ro", folder.getFileName().toString(), "-rf", folder.getParent().toString());
    Path output = Files.createTempFile("gatling-reports-only-", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new RenderException("interrupted while Gatling rendered the report of " + folder);
      }
      Path index = folder.resolve("index.html");
      // Exit code 2 is Gatling's "assertions failed", evaluated on the merged log: the report is still written.
      if (!Files.isRegularFile(index)) {
        throw new RenderException("Gatling's reports-only mode (exit code " + code + ") wrote no " + index + "; its"
            + " output ends with:\n" + tail(output));
      }
      return index;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String tail(Path output) throws IOException {
    // Stack frames say less than the exception's message above them.
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.stripLeading().startsWith("at ")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  /**
   * This JVM's classpath as a forked JVM takes it: exec:java's class loader's URLs (exec:java runs in
   * Maven's JVM, whose own classpath is Maven's), else the JVM's {@code java.class.path}.
   */
  public static String classpath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls) {
      List<String> parts = new ArrayList<>();
      for (URL u : urls.getURLs()) {
        try {
          parts.add(Path.of(u.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("a classpath entry is not a file: " + u, e);
        }
      }
      return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }
}
