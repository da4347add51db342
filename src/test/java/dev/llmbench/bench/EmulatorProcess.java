package dev.llmbench.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded emulator started as its own JVM ({@code dev.llmbench.emulator.EmulatorMain}), so that
 * a benchmark measures the CPU of server and client apart; plus the {@code /proc} readings the
 * benchmarks share (CPU time of any process, busy share of the machine).
 */
final class EmulatorProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://([^\\s:]+|\\[[^]]+]):(\\d+)");
  private static final long CLOCK_TICKS = clockTicks();

  private final Process process;
  private final int port;

  private EmulatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the emulator with {@code props} (every {@code emulator.*} system property of this JVM
   * overrides them), its ground truth going to {@code groundTruth} and its console to {@code log},
   * and waits until it listens.
   */
  static EmulatorProcess start(Map<String, String> props, Path groundTruth, Path log, String jvmArgs)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(props);
    all.putIfAbsent("emulator.port", "0");
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("emulator.")) {
        all.put(key, System.getProperty(key));
      }
    }
    all.put("emulator.ground.truth.file", groundTruth.toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    if (jvmArgs != null && !jvmArgs.isBlank()) {
      cmd.addAll(List.of(jvmArgs.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(childClasspath());
    all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("dev.llmbench.emulator.EmulatorMain");
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
           PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, UTF_8), true)) {
        out.println("# " + String.join(" ", cmd));
        String line;
        while ((line = r.readLine()) != null) {
          out.println(line);
          if (!port.isDone()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(2)));
            }
          }
        }
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new SetupException("emulator exited before listening; see " + log));
    }, "bench-emulator-console");
    pump.setDaemon(true);
    pump.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }));
    try {
      return new EmulatorProcess(process, port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new SetupException("emulator did not start (" + e.getMessage() + "); command: " + String.join(" ", cmd)
          + "; console in " + log);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** CPU time the emulator used so far, or -1 when unreadable. */
  long cpuNanos() {
    return cpuNanos(process.pid());
  }

  /** Stops it with SIGTERM, so its shutdown hook flushes the ground truth; null, or what went wrong. */
  String stop() throws InterruptedException {
    process.destroy();
    if (process.waitFor(30, TimeUnit.SECONDS)) {
      return null;
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return "emulator did not stop within 30 s of SIGTERM; ground truth may be incomplete";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** utime + stime of process {@code pid} from {@code /proc/<pid>/stat}, or -1 when unreadable. */
  static long cpuNanos(long pid) {
    try {
      long[] t = userAndSystem(Files.readString(Paths.get("/proc", Long.toString(pid), "stat")));
      return t[0] + t[1];
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The CPU of this JVM's children that have ended and been waited for (cutime + cstime of
   * {@code /proc/self/stat}, at the clock tick's resolution), in ns; -1 when unreadable. The JDK waits for
   * a child as soon as it exits, so the difference across a child's life is all of that child's CPU, to its
   * last instant, as long as no other child ended meanwhile.
   */
  static long endedChildrenCpuNanos() {
    try {
      // cutime=13, cstime=14 after "pid (comm) " (fields 16 and 17 of proc(5)).
      String[] f = fieldsAfterName(Files.readString(Paths.get("/proc/self/stat")));
      return ticksToNanos(f[13]) + ticksToNanos(f[14]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Where a process's CPU went: user and system time of the whole process, and utime + stime of each of
   * its live threads by thread id (with its name), all in ns. A thread that ended is in the process's
   * figures only: the JVM starts and stops compiler and GC threads as it needs them.
   */
  record CpuSplit(long userNanos, long systemNanos, Map<Long, ThreadCpu> threads) {}

  /** One thread's name and CPU (utime + stime) in ns. */
  record ThreadCpu(String name, long nanos) {}

  /** The split of process {@code pid} from {@code /proc} (its threads' only when asked), or null when unreadable. */
  static CpuSplit cpuSplit(long pid, boolean withThreads) {
    try {
      long[] process = userAndSystem(Files.readString(Paths.get("/proc", Long.toString(pid), "stat")));
      Map<Long, ThreadCpu> threads = new LinkedHashMap<>();
      File[] tasks = withThreads ? Paths.get("/proc", Long.toString(pid), "task").toFile().listFiles() : null;
      for (File task : tasks == null ? new File[0] : tasks) {
        try {
          String stat = Files.readString(task.toPath().resolve("stat"));
          long[] t = userAndSystem(stat);
          threads.put(Long.parseLong(task.getName()),
              new ThreadCpu(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), t[0] + t[1]));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile: its time stays in the process's figures only
        }
      }
      return new CpuSplit(process[0], process[1], threads);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The thread groups of a client JVM, named for what they do (thread names as the JVM and Gatling give them). */
  static String threadGroup(String name) {
    if (name.startsWith("llmb-stream")) {
      return "stream loops";
    }
    if (name.startsWith("pool-")) {
      return "Gatling actors (stats writer)"; // Gatling's ActorSystem: Executors.newFixedThreadPool
    }
    if (name.startsWith("gatling-")) {
      return "Gatling loops";
    }
    if (name.startsWith("llm-request-log")) {
      return "side file writer";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return "GC";
    }
    if (name.contains("CompilerThre")) {
      return "JIT";
    }
    return "other";
  }

  /** utime and stime in ns of a {@code stat} line of proc(5). */
  private static long[] userAndSystem(String stat) {
    // After "pid (comm) ": state=0 ... utime=11, stime=12 (fields 14 and 15 of proc(5)).
    String[] f = fieldsAfterName(stat);
    return new long[] {ticksToNanos(f[11]), ticksToNanos(f[12])};
  }

  /** The fields of a {@code stat} line of proc(5) after "pid (comm) ", from its state on (the name may hold spaces). */
  private static String[] fieldsAfterName(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static long ticksToNanos(String ticks) {
    return Long.parseLong(ticks) * 1_000_000_000L / CLOCK_TICKS;
  }

  /** {busy, total} jiffies of the whole machine. */
  static long[] machineJiffies() {
    try (BufferedReader r = Files.newBufferedReader(Paths.get("/proc/stat"))) {
      String[] f = r.readLine().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /** Busy share of the machine over the next second, or -1 when unreadable: a check that it is quiet. */
  static double busyShareOverOneSecond() throws InterruptedException {
    long[] m0 = machineJiffies();
    Thread.sleep(1000);
    long[] m1 = machineJiffies();
    return m1[1] > m0[1] ? (double) (m1[0] - m0[0]) / (m1[1] - m0[1]) : -1;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(s);
    } catch (Exception e) {
      return 100;
    }
  }

  /**
   * The classpath for child JVMs: -Dbench.classpath, else the class loader's URLs, else
   * java.class.path; checked to contain the emulator.
   */
  static String childClasspath() {
    String cp = System.getProperty("bench.classpath");
    if (cp == null || cp.isBlank()) {
      Set<String> entries = new LinkedHashSet<>();
      for (ClassLoader cl = EmulatorProcess.class.getClassLoader(); cl != null; cl = cl.getParent()) {
        if (cl instanceof URLClassLoader ucl) {
          for (URL url : ucl.getURLs()) {
            if ("file".equals(url.getProtocol())) {
              try {
                entries.add(Paths.get(url.toURI()).toString());
              } catch (URISyntaxException e) {
                entries.add(url.getPath());
              }
            }
          }
        }
      }
      cp = entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
    }
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (Files.isDirectory(p) ? Files.exists(p.resolve("dev/llmbench/emulator/EmulatorMain.class"))
          : p.getFileName() != null && p.getFileName().toString().startsWith("llm-serving-bench")) {
        return cp;
      }
    }
    throw new SetupException("the classpath for the child processes has no dev.llmbench.emulator.EmulatorMain: "
        + cp + " (pass -Dbench.classpath=target/classes:...)");
  }

  /** A benchmark cannot start: its main prints the message and exits 2. */
  static final class SetupException extends RuntimeException {
    SetupException(String message) {
      super(message);
    }
  }
}
