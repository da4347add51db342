package dev.llmbench.stress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.TempSibling;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The stress report: one line per check ({@link StressCheck#line()}), in the order given, then the
 * verdict, {@code Stress verdict: PASS (n checks, m skipped)} or {@code Stress verdict: FAIL (k of n checks
 * failed)}. The run fails (non-zero exit, decided by the caller) when any check failed, or when there
 * was no check at all: nothing verified is not a pass.
 */
public final class StressReport {
  private StressReport() {}

  /** Whether the run failed: a check failed, or there were none. */
  public static boolean failed(List<StressCheck> checks) {
    return checks.isEmpty() || checks.stream().anyMatch(c -> c.verdict() == StressVerdict.FAIL);
  }

  /** The last line of the report. */
  public static String verdictLine(List<StressCheck> checks) {
    int n = checks.size();
    if (n == 0) {
      return "Stress verdict: FAIL (no checks ran)";
    }
    long failed = checks.stream().filter(c -> c.verdict() == StressVerdict.FAIL).count();
    long skipped = checks.stream().filter(c -> c.verdict() == StressVerdict.SKIPPED).count();
    return failed > 0
        ? "Stress verdict: FAIL (" + failed + " of " + n + " checks failed)"
        : "Stress verdict: PASS (" + n + " check" + (n == 1 ? "" : "s") + ", " + skipped + " skipped)";
  }

  /** The report's lines: every check's, then the verdict. */
  public static List<String> lines(List<StressCheck> checks) {
    List<String> lines = new ArrayList<>(checks.size() + 1);
    for (StressCheck c : checks) {
      lines.add(c.line());
    }
    lines.add(verdictLine(checks));
    return lines;
  }

  /**
   * Writes the report to {@code file} (UTF-8, '\n' line ends), creating its folder: into a new sibling
   * first, then moved onto {@code file} in one step, so a reader never sees half a report.
   */
  public static void write(Path file, List<StressCheck> checks) throws IOException {
    TempSibling.write(file, out -> {
      for (String line : lines(checks)) {
        out.write(line);
        out.write('\n');
      }
    });
  }

  /** The JSON file's schema version ({@link #writeJson}). */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The same report for a CI step to read, written as {@link #write} writes: {@code {"schemaVersion": 1,
   * "verdict": "PASS" | "FAIL", "line": the verdict line, "checks": [{"scenario", "check", "verdict",
   * "measured", "bound", "note" (null when none)}, ...]}}.
   */
  public static void writeJson(Path file, List<StressCheck> checks) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("verdict", failed(checks) ? "FAIL" : "PASS");
    root.put("line", verdictLine(checks));
    ArrayNode list = root.putArray("checks");
    for (StressCheck c : checks) {
      ObjectNode n = list.addObject();
      n.put("scenario", c.scenario());
      n.put("check", c.check());
      n.put("verdict", c.verdict().name());
      n.put("measured", c.measured());
      n.put("bound", c.bound());
      n.put("note", c.note());
    }
    TempSibling.write(file, out -> {
      out.write(JSON.writeValueAsString(root));
      out.write('\n');
    });
  }
}
