package dev.llmbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simulations.ServingSimulation;

/**
 * The result page in a real browser: a short emulator run (its {@code /metrics} scraped and a stand-in
 * {@code nvidia-smi} sampled, so the server's and the GPUs' charts are there too) writes {@code index.html},
 * headless Chromium loads it from the file (offline: the page fetches nothing) and dumps the DOM after its
 * scripts ran. The page's own guard script records every
 * script error on {@code <body data-chart-errors>} and the chart script the charts whose canvas got a size on
 * {@code data-charts-rendered}; the test fails on any error and on a chart that did not render. Skipped, with
 * a line saying why, when no {@code chromium} is on the PATH ({@code .ci/run} installs Debian's package).
 */
class ResultPageBrowserTest extends EmulatorRuns {
  private static final Pattern BODY = Pattern.compile("<body([^>]*)>");

  private static Path chromium;
  private static Path page;

  @BeforeAll
  static void runAndRender() throws IOException {
    chromium = onPath("chromium");
    Assumptions.assumeTrue(chromium != null,
        "chromium is not installed (apt-get install -y chromium): the result page's browser test is skipped");
    GatlingRun.Outcome o = GatlingRun.run(ServingSimulation.class, randomLoad(32, 64, 120, 8,
        "metrics.interval.ms", "200", "emulator.decode.step.base.us", "4000",
        "nvidia.smi", standInNvidiaSmi(results.resolve("bin")).toString()), results.resolve("page"));
    assertEquals(0, o.exitCode());
    page = resultFolder("page").resolve("index.html");
  }

  @Test
  void everyChartRendersWithoutAScriptError() throws Exception {
    String dom = dumpDom(page);
    Matcher body = BODY.matcher(dom);
    assertTrue(body.find(), "no <body> in Chromium's DOM dump:\n" + head(dom));
    String attributes = body.group(1);
    assertEquals("", attribute(attributes, "data-chart-errors"), "script errors on the page");
    int expected = Integer.parseInt(attribute(attributes, "data-charts-expected"));
    // The client's four series over time, the server's KV cache and queue, the GPUs' memory and utilisation,
    // and TTFT, TPOT and ITL's CDFs.
    String serverColumns = Files.readAllLines(page.resolveSibling("server-metrics.csv")).get(0);
    int server = (serverColumns.contains("kv_cache_usage") ? 1 : 0)
        + (serverColumns.contains("requests_running") || serverColumns.contains("requests_waiting") ? 1 : 0);
    assertTrue(server > 0, "the emulator's /metrics gave the server's charts something: " + serverColumns);
    // gpu.csv: time_s, gpu, memory_used_mib, memory_total_mib, utilization_pct; a chart per figure given.
    List<String[]> gpuRows = Files.readAllLines(page.resolveSibling("gpu.csv")).stream().skip(1)
        .map(l -> l.split(",", -1)).toList();
    assertTrue(!gpuRows.isEmpty(), "the stand-in nvidia-smi was sampled");
    int gpu = (gpuRows.stream().anyMatch(r -> !r[2].isEmpty()) ? 1 : 0)
        + (gpuRows.stream().anyMatch(r -> !r[4].isEmpty()) ? 1 : 0);
    assertEquals(4 + server + gpu + 3, expected, "charts the page means to draw");
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(html.contains("GPU memory used") && html.contains("GPU utilisation"), "the GPU charts' data");
    assertEquals(Integer.toString(expected), attribute(attributes, "data-charts-rendered"),
        "charts whose canvas has a size (of " + expected + ")");
  }

  @Test
  void thePageIsOneFileWhoseScriptsAreAllowedByTheirHashes() throws IOException {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    // The policy's quotes are HTML-escaped in the attribute, as every interpolation of the template is.
    assertTrue(html.contains("script-src &#39;sha256-"), "scripts allowed by hash only");
    for (String forbidden : List.of("<script src", "<link", "<iframe", "@import")) {
      assertTrue(!html.contains(forbidden), "index.html holds " + forbidden);
    }
  }

  private static String dumpDom(Path file) throws IOException, InterruptedException {
    Path out = Files.createTempFile(results, "dom", ".html");
    Process p = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--virtual-time-budget=5000", "--dump-dom", file.toUri().toString())
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    // A guard against a browser that hangs, not a timing check.
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not exit while dumping " + file);
    }
    assertEquals(0, p.exitValue(), "chromium's exit code");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String attribute(String attributes, String name) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(attributes);
    if (!m.find()) {
      throw new AssertionError("<body> has no " + name + ": <body" + attributes + ">");
    }
    return m.group(1);
  }

  private static String head(String text) {
    return text.length() > 2_000 ? text.substring(0, 2_000) : text;
  }

  private static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

}
