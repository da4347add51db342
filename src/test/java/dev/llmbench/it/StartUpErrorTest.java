package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llmbench.llm.LlmSimulation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simulations.SmokeSimulation;

/** A run that cannot start says why in the project's one line, before Gatling's own report of the crash. */
class StartUpErrorTest {
  @TempDir
  Path results;

  @Test
  void aServerThatListsNoModelIsExplainedInOneLine() throws Exception {
    // Healthy, but without /v1/models, and no -Dmodel: the model cannot be known.
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 404, -1);
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        GatlingRun.run(SmokeSimulation.class, Map.of("target.url", url), results);
      } catch (Exception e) {
        // Gatling reports the crash its own way (rethrowing the simulation's InvocationTargetException
        // unchecked); what matters here is the line before it.
      }
    } finally {
      System.setErr(err);
      server.stop(0);
    }
    String line = "llm-serving-bench: ERROR GET " + url + "/v1/models answered HTTP 404; pass the model name with"
        + " -Dmodel=<name>";
    assertTrue(captured.toString(StandardCharsets.UTF_8).contains(line), captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void inMavensForkABadPropertyEndsTheRunAfterItsLineWithoutATrace() throws Exception {
    // As gatling-maven-plugin runs a simulation: its own JVM, with the POM's property set.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process gatling = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "-D" + LlmSimulation.EXIT_ON_CONFIG_ERROR + "=true", "-Dmax.concurrency=abc",
        "-Dllmbench.results.dir=" + results, "-Dllmbench.reports.dir=" + results.resolve("reports"),
        "io.gatling.app.Gatling", "-s", SmokeSimulation.class.getName(), "-rf", results.toString(), "-nr")
        .redirectErrorStream(true)
        .redirectOutput(results.resolve("gatling.out").toFile())
        .start();
    boolean ended = gatling.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      gatling.destroyForcibly();
    }
    String output = java.nio.file.Files.readString(results.resolve("gatling.out"), StandardCharsets.UTF_8);
    assertTrue(ended, "the run did not end: " + output);
    assertEquals(1, gatling.exitValue(), output);
    assertTrue(output.contains("llm-serving-bench: ERROR max.concurrency must be an integer, but was \"abc\""), output);
    assertFalse(output.contains("\tat ") || output.contains("Exception") || output.contains("Run crashed"), output);
  }
}
