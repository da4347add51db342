package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.stream.RequestShaping;
import dev.llmbench.workload.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the conversation-dataset and request-shaping properties of {@link BenchConfig}, each failure one line
 * naming the property: {@code dataset.name}, {@code dataset.path}, {@code sharegpt.output.len},
 * {@code extra.body}, {@code extra.headers}, {@code lora.modules}, {@code temperature}.
 */
final class DataAndShaping {
  static final String DATASET_NAME = "dataset.name";
  static final String DATASET_PATH = "dataset.path";
  static final String SHAREGPT_OUTPUT_LEN = "sharegpt.output.len";
  static final String EXTRA_BODY = "extra.body";
  static final String EXTRA_HEADERS = "extra.headers";
  static final String LORA_MODULES = "lora.modules";
  static final String TEMPERATURE = "temperature";

  /** The keys of this part, for {@link BenchConfig#KEYS}. */
  static final List<String> KEYS = List.of(DATASET_NAME, DATASET_PATH, SHAREGPT_OUTPUT_LEN, EXTRA_BODY, EXTRA_HEADERS,
      LORA_MODULES, TEMPERATURE);

  /**
   * {@code dataset.name} values read by other parts of the workload code (generated prompts, not files): a
   * dataset of theirs is not this class's to read.
   */
  static final Set<String> OTHER_DATASETS = Set.of("random", "generated-shared-prefix", "prefix-repetition");

  private DataAndShaping() {}

  /**
   * The conversation dataset, or null when none of ours is asked for. {@code dataset.path} without a name
   * takes the format from the file; the output length is fixed by {@code sharegpt.output.len}, else by
   * {@code random.output.len} (as bench_serving's {@code --sharegpt-output-len} and vLLM's flags fix it).
   */
  static Dataset.Settings dataset(Props p, Integer randomOutputLen) {
    String name = p.raw(DATASET_NAME);
    if (name != null && OTHER_DATASETS.contains(name)) {
      return null;
    }
    Dataset.Format format = name == null ? null : Dataset.Format.of(name);
    if (name != null && format == null) {
      throw new ConfigException(DATASET_NAME + " must be one of sharegpt, custom, messages, "
          + String.join(", ", OTHER_DATASETS.stream().sorted().toList()) + ", but was \"" + name + "\"");
    }
    if (!p.has(DATASET_PATH)) {
      if (format != null) {
        throw new ConfigException(DATASET_NAME + "=" + name + " reads a file: give -D" + DATASET_PATH + "=<file>");
      }
      if (p.has(SHAREGPT_OUTPUT_LEN)) {
        throw new ConfigException(SHAREGPT_OUTPUT_LEN + " applies to a dataset: give -D" + DATASET_PATH);
      }
      return null;
    }
    if (p.has("prompt.file")) {
      throw new ConfigException("give either prompt.file or " + DATASET_PATH + ", not both");
    }
    Path path = BenchConfig.readable(DATASET_PATH, p.raw(DATASET_PATH),
        "a ShareGPT JSON, a custom JSONL ({\"prompt\": ...}) or a messages JSONL ({\"messages\": [...]}) file");
    if (format == null) {
      format = Dataset.Format.infer(path);
    }
    Integer fixed = p.has(SHAREGPT_OUTPUT_LEN) ? Integer.valueOf(p.integer(SHAREGPT_OUTPUT_LEN, 0, 1, 10_000_000))
        : randomOutputLen;
    return new Dataset.Settings(format, path, fixed);
  }

  /** The request shaping, {@link RequestShaping#NONE} when no property asks for any. */
  static RequestShaping shaping(Props p) {
    try {
      var body = p.has(EXTRA_BODY) ? RequestShaping.parseExtraBody(p.raw(EXTRA_BODY))
          : RequestShaping.NONE.extraBody();
      Map<String, String> headers = p.has(EXTRA_HEADERS) ? RequestShaping.parseHeaders(p.raw(EXTRA_HEADERS)) : Map.of();
      List<String> lora = p.has(LORA_MODULES) ? RequestShaping.parseLoraModules(p.raw(LORA_MODULES)) : List.of();
      Double temperature = p.has(TEMPERATURE) ? Double.valueOf(p.decimal(TEMPERATURE, 0, 0, 100)) : null;
      if (temperature != null && body.has(TEMPERATURE)) {
        throw new ConfigException("give the temperature once: -D" + TEMPERATURE + " or in " + EXTRA_BODY + ", not both");
      }
      return new RequestShaping(body, headers, lora, temperature);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
