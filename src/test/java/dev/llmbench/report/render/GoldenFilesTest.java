package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunMetadata;
import dev.llmbench.report.model.RunSummary;
import dev.llmbench.report.model.ValidityThresholds;
import dev.llmbench.report.stats.ServingMetrics;
import dev.llmbench.report.stats.ValidityCheck;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format renders a fixed summary (from a seeded {@link Random}) exactly as its golden file in
 * {@code src/test/resources/dev/llmbench/report/render/golden/}, under the root locale and under
 * locales that write numbers differently (German and French decimal commas, Arabic digits). After an
 * intended change of a format, rewrite the golden files with {@code -Dgolden.update=true} and review
 * the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN_SOURCE = Path.of("src/test/resources/dev/llmbench/report/render/golden");

  static Stream<Arguments> formatsAndLocales() {
    List<Arguments> all = new ArrayList<>();
    for (ReportFormatType type : ReportFormatType.values()) {
      for (Locale locale : List.of(Locale.ROOT, Locale.forLanguageTag("de-DE"), Locale.forLanguageTag("fr-FR"),
          Locale.forLanguageTag("ar-EG-u-nu-arab"))) {
        all.add(Arguments.of(type, locale));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} under [{1}]")
  @MethodSource("formatsAndLocales")
  void rendersTheGoldenFile(ReportFormatType type, Locale locale) throws IOException {
    Locale saved = Locale.getDefault();
    String actual;
    try {
      Locale.setDefault(locale);
      StringWriter out = new StringWriter();
      ReportFormatFactory.create(type).write(fixedSummary(), out);
      actual = out.toString();
    } finally {
      Locale.setDefault(saved);
    }
    if (Boolean.getBoolean("golden.update") && locale.equals(Locale.ROOT)) {
      Files.createDirectories(GOLDEN_SOURCE);
      Files.writeString(GOLDEN_SOURCE.resolve(type.fileName()), actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(golden(type.fileName()), actual, type + " under " + locale);
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("golden/" + name)) {
      if (in == null) {
        throw new IOException("no golden file golden/" + name + " on the test classpath; create it with "
            + "-Dgolden.update=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A run of two groups, warm-ups, failures and merged chunks, from a seeded Random, rows shuffled,
   * judged client-bound by its self-monitor (two thresholds crossed, machine load unknown).
   */
  static RunSummary fixedSummary() {
    MonitorFigures monitor = new MonitorFigures(12_345_678_901L, 22_500_000_000L, 2, Double.NaN, 10_000, 4, 4_800,
        140, 31_250, 180_500, 481_000, 310, 6_400, 21_700, 22, 900, 4_100, 5_300, 7, 61, 23, 7, 61);
    return ServingMetrics.summarize(fixedMetadata(), fixedRows())
        .withValidity(ValidityCheck.judge(monitor, ValidityThresholds.DEFAULTS, false));
  }

  /** The rows of {@link #fixedSummary}. */
  static List<RequestResult> fixedRows() {
    Random random = new Random(20_260_101);
    List<RequestResult> rows = new ArrayList<>();
    long t0 = 5_000_000_000L;
    int id = 0;
    String[] errors = {"HTTP 503: \"overloaded, retry later\"", "connection reset\nby peer", "timeout after 30 s"};
    for (String group : List.of("rate-8", "rate-2")) {
      for (int i = 0; i < 14; i++) {
        id++;
        boolean warmup = i < 2;
        boolean ok = warmup || random.nextInt(5) != 0;
        long sent = t0 + random.nextInt(2_000_000) * 1_000L;
        int planned = 100 + random.nextInt(400);
        int prompt = random.nextBoolean() ? planned : planned + random.nextInt(5);
        int output = ok ? 1 + random.nextInt(12) : 0;
        long ttft = ok ? 20_000 + random.nextInt(200_000) : -1;
        boolean merged = ok && random.nextInt(3) == 0;
        List<Integer> chunks = new ArrayList<>();
        for (int left = output; left > 0; ) {
          int k = merged ? Math.min(left, 1 + random.nextInt(3)) : 1;
          chunks.add(k);
          left -= k;
        }
        long[] itl = new long[Math.max(0, chunks.size() - 1)];
        long e2e = ttft;
        for (int c = 0; c < itl.length; c++) {
          itl[c] = 5_000 + random.nextInt(40_000);
          e2e += itl[c];
        }
        e2e = ok ? e2e + random.nextInt(3_000) : 1_000 + random.nextInt(900_000);
        double tpot = output > 1 ? (double) (e2e - ttft) / (output - 1) : Double.NaN;
        int[] chunkTokens = merged && chunks.stream().anyMatch(k -> k != 1)
            ? chunks.stream().mapToInt(Integer::intValue).toArray() : null;
        rows.add(new RequestResult("llmb-golden-" + id, group, warmup, ok, ok ? null : errors[random.nextInt(3)],
            ok ? 200 : 503, 1_767_225_600_000_000L + sent / 1_000, sent, prompt, planned, 12, output,
            chunkTokens != null ? "usage" : "events", ttft, e2e, tpot, itl, chunkTokens, 0, id % 10 == 3 ? 1 : 0));
      }
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  /** The metadata of {@link #fixedSummary}. */
  static RunMetadata fixedMetadata() {
    return RunMetadata.of("servingsimulation-20260101000000000", "2026-01-01T00:00:00Z", "serving",
        "vllm", "vllm-chat", "Qwen/Qwen2.5-0.5B-Instruct", "http://127.0.0.1:8000", "1x L4 24GB, vLLM 0.11",
        "0.11.0", Map.of("numPrompts", "24", "maxConcurrency", "8", "requestRates", "[2.0, 8.0]", "seed", "1",
            "note", "ünïcode, \"quoted\"", "slo", "tpot:30,ttft:150"));
  }
}
