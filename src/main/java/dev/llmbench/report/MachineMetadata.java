package dev.llmbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.model.RunDescription;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The facts a result is kept with ({@code metadata.json}): when (UTC), this project's git commit, the
 * JVM, OS and CPU, the GPU and its memory from {@code nvidia-smi} when there is one, and the run's own
 * description ({@code llm-run.json}: target URL, framework, backend, model, profile and every load
 * parameter). The target URL never carries credentials.
 */
public final class MachineMetadata {
  public static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MachineMetadata() {}

  /** Builds the metadata of a run from its description as JSON ({@link RunDescriptionFile#of}) and this machine. */
  public static ObjectNode of(JsonNode runDescription, Instant timestamp, Path projectDir) {
    return of(RunDescriptionFile.of(runDescription), timestamp, projectDir);
  }

  /** Builds the metadata of a run from its description and this machine. */
  public static ObjectNode of(RunDescription runDescription, Instant timestamp, Path projectDir) {
    ObjectNode m = MAPPER.createObjectNode();
    m.put("schemaVersion", SCHEMA_VERSION);
    m.put("timestampUtc", timestamp.toString());
    m.put("gitCommit", command(projectDir, List.of("git", "rev-parse", "HEAD")));
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
        + System.getProperty("os.arch") + ")");
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    String gpu = command(projectDir, List.of("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"));
    m.put("gpu", gpu);
    ObjectNode run = RunDescriptionFile.json(runDescription);
    if (runDescription.targetUrl() != null) {
      run.put("targetUrl", withoutCredentials(runDescription.targetUrl()));
    }
    m.set(RunDescriptionFile.IN_METADATA, run);
    return m;
  }

  /** The URL with any user-info and query removed: keys must never reach a report. */
  static String withoutCredentials(String url) {
    try {
      URI u = new URI(url);
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      return "(unparseable URL)";
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: say nothing rather than guess
    }
    return null;
  }

  /** The trimmed output of a command, or null when it is missing, fails or takes over 10 s. */
  static String command(Path dir, List<String> command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      String s = new String(out, StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 && !s.isEmpty() ? s : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
