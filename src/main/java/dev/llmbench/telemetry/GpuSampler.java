package dev.llmbench.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.JsonLines;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Samples the GPUs of this machine with {@code nvidia-smi} ({@value #QUERY}) once before the load, every
 * interval during it and once after, on a daemon thread of its own, one JSON line per sample:
 *
 * <ul>
 *   <li>{@code epochMillis} (integer), {@code nanos} (integer, {@link System#nanoTime()} of this JVM, the
 *       clock of the per-request rows' {@code sentNanos}): when the command was started
 *   <li>{@code gpus}: {@code [[index, memoryUsedMiB, memoryTotalMiB, utilizationPct], ...]}, or
 *   <li>{@code error} (string): why this sample has none (exit code, unreadable output)
 * </ul>
 *
 * The GPUs are this machine's: the server's only when it runs here. Never throws into its caller.
 */
public final class GpuSampler implements AutoCloseable {
  /** The arguments given to the command. */
  public static final String QUERY = "--query-gpu=index,memory.used,memory.total,utilization.gpu";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One GPU in one sample: MiB and percent, as nvidia-smi gives them. */
  public record Gpu(int index, double memoryUsedMib, double memoryTotalMib, double utilizationPct) {}

  /** One line of the file. */
  public record Sample(long epochMillis, long nanos, List<Gpu> gpus, String error) {}

  private final String command;
  private final PeriodicLines file;

  private GpuSampler(String command, Path file) throws IOException {
    this.command = command;
    this.file = new PeriodicLines("gpu-sampler", file, "samples");
    if (this.file.problem() != null) {
      throw new IOException(this.file.problem());
    }
  }

  /**
   * The command to run: {@code command} itself when it is a path, else the first executable of that name on
   * the {@code PATH}; empty when there is none (no NVIDIA GPU here, or its tools are not installed).
   */
  public static Optional<String> find(String command, String path) {
    if (command.contains(File.separator)) {
      return Files.isExecutable(Path.of(command)) ? Optional.of(command) : Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return Optional.of(Path.of(dir, command).toString());
      }
    }
    return Optional.empty();
  }

  /** Samples now (before the load), then every {@code interval}; {@link #close()} samples once more. */
  public static GpuSampler start(String command, Path file, Duration interval) throws IOException {
    GpuSampler g = new GpuSampler(command, file);
    g.sampleOnce();
    g.file.every(interval, interval, g::sampleOnce);
    return g;
  }

  private void sampleOnce() {
    long at = System.currentTimeMillis();
    long nanos = System.nanoTime();
    ObjectNode line = MAPPER.createObjectNode();
    line.put("epochMillis", at);
    line.put("nanos", nanos);
    try {
      List<Gpu> gpus = query();
      ArrayNode arr = line.putArray("gpus");
      for (Gpu g : gpus) {
        ArrayNode a = arr.addArray().add(g.index());
        for (double x : new double[] {g.memoryUsedMib(), g.memoryTotalMib(), g.utilizationPct()}) {
          if (Double.isNaN(x)) {
            a.addNull(); // JSON has no NaN
          } else {
            a.add(x);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      line.remove("gpus");
      line.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    file.append(line);
  }

  private List<Gpu> query() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command, QUERY, "--format=csv,noheader,nounits").redirectErrorStream(true).start();
    String output;
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        throw new IOException(command + " did not answer within 5 s");
      }
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited with " + p.exitValue() + ": " + output.strip());
    }
    return parse(output);
  }

  /** nvidia-smi's CSV lines ({@code 0, 1234, 81559, 37}); a value it cannot give ({@code [N/A]}) is NaN. */
  public static List<Gpu> parse(String csv) throws IOException {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : csv.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != 4) {
        throw new IOException("nvidia-smi line is not index, memory.used, memory.total, utilization.gpu: " + line);
      }
      try {
        gpus.add(new Gpu(Integer.parseInt(f[0].strip()), number(f[1]), number(f[2]), number(f[3])));
      } catch (NumberFormatException e) {
        throw new IOException("nvidia-smi line has no GPU index: " + line, e);
      }
    }
    return gpus;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return Double.NaN; // [N/A], [Not Supported]
    }
  }

  /** Stops sampling, samples once more (after the load) and closes the file. Never throws; a second call does nothing. */
  @Override
  public void close() {
    file.stop(Duration.ofSeconds(6)); // a sample in flight: the command's 5 s, and its start
    if (file.open() && !Thread.currentThread().isInterrupted()) {
      sampleOnce();
    }
    file.close();
  }

  /** The samples of a sampler's file, in order; a last line cut short is left out. */
  public static List<Sample> read(Path file) throws IOException {
    return JsonLines.readAppended(file, (lineNo, v) -> sample(file, lineNo, v));
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static Sample sample(Path file, int lineNo, JsonNode v) throws IOException {
    JsonNode at = v.get("epochMillis");
    JsonNode nanos = v.get("nanos");
    if (at == null || !at.isIntegralNumber() || nanos == null || !nanos.isIntegralNumber()) {
      throw new IOException(file + ":" + lineNo + ": a GPU sample needs integers 'epochMillis' and 'nanos'");
    }
    List<Gpu> gpus = new ArrayList<>();
    if (v.path("gpus").isArray()) {
      for (JsonNode g : v.get("gpus")) {
        if (!g.isArray() || g.size() != 4) {
          throw new IOException(file + ":" + lineNo + ": a GPU is [index, used MiB, total MiB, util %], but was " + g);
        }
        gpus.add(new Gpu(g.get(0).asInt(), num(g.get(1)), num(g.get(2)), num(g.get(3))));
      }
    }
    JsonNode error = v.get("error");
    return new Sample(at.asLong(), nanos.asLong(), List.copyOf(gpus), error == null ? null : error.asText());
  }
}
