package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.workload.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * An offline batch sweep's configuration ({@code OfflineSimulation}), as the seed's
 * {@code grok_perf_offline_csv.sh} runs SGLang's {@code bench_one_batch}, read once and validated.
 *
 * @param mode {@code -Dmode=normal|long_context|dummy} (normal): the defaults of the lengths and batch sizes
 * @param batchSizes {@code -Doffline.batch.sizes} (the mode's): requests released at once, one batch size after another
 * @param inputLens {@code -Dinput.len} (the mode's): input tokens per request, one configuration per length
 * @param outputLen {@code -Doutput.len} (the mode's): output tokens per request, exact ({@code ignore_eos})
 * @param warmups {@code -Doffline.warmups} (1): warm-up batches before each configuration's measured ones
 * @param runs {@code -Doffline.runs} (3): measured batches per configuration; the table gives their medians
 */
public record OfflineConfig(Mode mode, List<Integer> batchSizes, List<Integer> inputLens, int outputLen, int warmups,
    int runs) {

  /** The properties read here, beside the run's. */
  public static final Set<String> KEYS = Set.of("mode", "offline.batch.sizes", "input.len", "output.len",
      "offline.warmups", "offline.runs");

  /** What {@code -Dsize=smoke} divides the mode's lengths by (as the matrix's smoke size does); outputs stay >= 8 tokens. */
  public static final int SMOKE_DIVISOR = 8;

  /**
   * The seed's three modes and their defaults at the full size; {@code -Dsize=smoke} keeps the batch sizes up to
   * 8 and divides the lengths by {@value #SMOKE_DIVISOR}.
   */
  public enum Mode {
    /** TP 8 in the seed: batch sizes 1, 2, 4, ..., 256 at input 1024 / output 128. */
    NORMAL(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), List.of(1024), 128),
    /** Batch 1 at input 8192, 16384 and 32768, output 10: prefill of long prompts. */
    LONG_CONTEXT(List.of(1), List.of(8192, 16384, 32768), 10),
    /** Batch 2 at input 256 / output 4096: long decodes (the seed runs it on a dummy-weight model). */
    DUMMY(List.of(2), List.of(256), 4096);

    final List<Integer> batchSizes;
    final List<Integer> inputLens;
    final int outputLen;

    Mode(List<Integer> batchSizes, List<Integer> inputLens, int outputLen) {
      this.batchSizes = batchSizes;
      this.inputLens = inputLens;
      this.outputLen = outputLen;
    }

    /** The name the properties and group names use: {@code long_context}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public OfflineConfig {
    batchSizes = List.copyOf(batchSizes);
    inputLens = List.copyOf(inputLens);
    if (batchSizes.isEmpty() || inputLens.isEmpty()) {
      throw new ConfigException("an offline sweep needs at least one batch size and one input length");
    }
    if (outputLen < 1) {
      throw new ConfigException("output.len must be >= 1, but was " + outputLen);
    }
  }

  /** Reads and checks the properties; a wrong one is a {@link ConfigException} saying what and how to fix it. */
  public static OfflineConfig from(Props p, BenchConfig run) {
    for (String key : new TreeSet<>(p.keysWithPrefix("offline."))) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown property " + key + "; the offline properties are " + new TreeSet<>(KEYS));
      }
    }
    Mode mode = p.enumValue("mode", Mode.class, Mode.NORMAL);
    boolean smoke = run.size() == Size.SMOKE;
    List<Integer> batches = p.has("offline.batch.sizes") ? ScoreConfig.ints(p, "offline.batch.sizes", 1, 100_000)
        : smoke ? mode.batchSizes.stream().filter(b -> b <= 8).toList() : mode.batchSizes;
    List<Integer> inputs = p.has("input.len") ? ScoreConfig.ints(p, "input.len", 1, 10_000_000)
        : smoke ? mode.inputLens.stream().map(l -> Math.max(1, l / SMOKE_DIVISOR)).toList() : mode.inputLens;
    int output = p.integer("output.len", smoke ? Math.max(Math.min(8, mode.outputLen), mode.outputLen / SMOKE_DIVISOR)
        : mode.outputLen, 1, 10_000_000);
    int warmups = p.integer("offline.warmups", 1, 0, 1_000);
    int runs = p.integer("offline.runs", 3, 1, 1_000);
    return new OfflineConfig(mode, batches, inputs, output, warmups, runs);
  }

  /** One line for the console and llm-run.json: {@code mode=normal batch=1,2,4 input=1024 output=128 warmups=1 runs=3}. */
  public String describe() {
    return "offline sweep mode=" + mode.wireName() + " batch=" + ScoreConfig.join(batchSizes) + " input="
        + ScoreConfig.join(inputLens) + " output=" + outputLen + " warmups=" + warmups + " runs=" + runs;
  }

  /** Every batch size and input length, in the order they run: each input length's batch sizes, smallest first. */
  public List<int[]> configurations() {
    List<int[]> out = new ArrayList<>();
    for (int input : inputLens) {
      for (int batch : batchSizes) {
        out.add(new int[] {input, batch});
      }
    }
    return out;
  }
}
