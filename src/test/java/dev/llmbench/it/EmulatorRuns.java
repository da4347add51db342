package dev.llmbench.it;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the test classes of real Gatling runs against the embedded emulator share, so that each states
 * only what differs: a folder for their runs and the short load most of them run. Each run starts
 * its own emulator and stops it when it ends ({@link LastRun} keeps it for its ground truth).
 */
abstract class EmulatorRuns {
  /** The class's run folders, one per run name. */
  @TempDir
  static Path results;

  /**
   * A short load of the random dataset: {@code prompts} prompts of exactly {@code inputLen} input and
   * {@code outputLen} output tokens at {@code concurrency} streams, against an emulator fast enough
   * (a decode step of 1 ms, prefill at once) that a run takes seconds; {@code more} are key, value
   * pairs that add to these or replace them.
   */
  static Map<String, String> randomLoad(int prompts, int inputLen, int outputLen, int concurrency, String... more) {
    Map<String, String> props = new HashMap<>(Map.of(
        "profile", "random-256-256",
        "num.prompts", Integer.toString(prompts),
        "random.input.len", Integer.toString(inputLen),
        "random.output.len", Integer.toString(outputLen),
        "random.range.ratio", "1.0",
        "max.concurrency", Integer.toString(concurrency),
        "emulator.decode.step.base.us", "1000",
        "emulator.prefill.tps", "1000000"));
    return with(props, more);
  }

  /** The one result folder the run named {@code name} wrote (its reports/emulator/&lt;profile&gt;-&lt;ts&gt;). */
  static Path resultFolder(String name) {
    java.io.File[] folders = results.resolve(name).resolve("reports").resolve("emulator").toFile()
        .listFiles(java.io.File::isDirectory);
    org.junit.jupiter.api.Assertions.assertEquals(1, folders == null ? 0 : folders.length, "one result folder");
    return folders[0].toPath();
  }

  /**
   * A stand-in for nvidia-smi in {@code bin}, for {@code -Dnvidia.smi}: two GPUs of 81920 MiB, the first
   * one's memory rising by 1 MiB at each call (1000 + the call's number) at 50 % utilisation, the second at
   * 2000 MiB without a utilisation ({@code [N/A]}); it counts its calls in {@code bin/calls}.
   */
  static Path standInNvidiaSmi(Path bin) throws java.io.IOException {
    java.nio.file.Files.createDirectories(bin);
    Path smi = bin.resolve("nvidia-smi");
    java.nio.file.Files.writeString(smi, """
        #!/bin/sh
        f="$(dirname "$0")/calls"
        n=$(cat "$f" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "$f"
        echo "0, $((1000 + n)), 81920, 50"
        echo "1, 2000, 81920, [N/A]"
        """);
    java.nio.file.Files.setPosixFilePermissions(smi,
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return smi;
  }

  /** {@code props} with the key, value pairs {@code keyValues} put into it. */
  static Map<String, String> with(Map<String, String> props, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key, value pairs expected, got " + Arrays.toString(keyValues));
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  /**
   * Rewrites the stored baseline of {@code framework}/{@code profile} as one twice as good as it was, with
   * no noise: any real run compared with it is far worse, a REGRESSION (the error rate kept as it was).
   */
  static void twiceAsGoodBaseline(Path baselines, String framework, String profile)
      throws java.io.IOException, dev.llmbench.report.baseline.BaselineException {
    dev.llmbench.report.baseline.Baseline written =
        dev.llmbench.report.baseline.BaselineFiles.read(baselines, framework, profile);
    java.util.List<dev.llmbench.report.baseline.BaselineRow> better = written.rows().stream().map(r -> {
      double v = r.metric() == dev.llmbench.report.baseline.Metric.ERROR_RATE ? r.value()
          : r.metric().direction() == dev.llmbench.report.baseline.Metric.Direction.LOWER_IS_BETTER ? r.value() / 2
          : r.value() * 2;
      return new dev.llmbench.report.baseline.BaselineRow(r.group(), r.metric(), v, 1, v, v, 0, 0);
    }).toList();
    dev.llmbench.report.baseline.BaselineFiles.write(baselines,
        new dev.llmbench.report.baseline.Baseline(written.metadata(), better));
  }
}
