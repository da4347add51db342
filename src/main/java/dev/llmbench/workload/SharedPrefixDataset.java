package dev.llmbench.workload;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Prompts that share leading tokens, for benchmarking a server's prefix cache: {@code groups} prefixes of
 * {@code prefixLen} tokens, each followed by {@code promptsPerGroup} suffixes of {@code suffixLen} tokens, in
 * the model's tokens as the random dataset builds them ({@link PromptTokens}), shuffled with the seed as both
 * reference tools shuffle them.
 *
 * <ul>
 *   <li>{@code -Ddataset.name=generated-shared-prefix}: bench_serving's {@code sample_generated_shared_prefix_requests}
 *       ({@code --gsp-*}): prompt = system prompt + {@code "\n\n"} + question; {@code gsp.num.groups} (64),
 *       {@code gsp.prompts.per.group} (16), {@code gsp.system.prompt.len} (2048), {@code gsp.question.len} (128),
 *       {@code gsp.output.len} (256). Its count is groups × prompts per group: {@code num.prompts} does not apply.
 *   <li>{@code -Ddataset.name=prefix-repetition}: vLLM's {@code PrefixRepetitionRandomDataset}
 *       ({@code --prefix-repetition-*}): prompt = prefix tokens then suffix tokens;
 *       {@code prefix.repetition.prefix.len} (256), {@code .suffix.len} (256), {@code .num.prefixes} (10),
 *       {@code .output.len} (128); {@code num.prompts} (1000, vLLM's default) / num.prefixes prompts per prefix,
 *       the remainder dropped as vLLM drops it.
 * </ul>
 *
 * @param name the {@code dataset.name} value
 * @param groups prefixes (system prompts)
 * @param promptsPerGroup prompts sharing each prefix
 * @param prefixLen prefix tokens
 * @param suffixLen tokens after the prefix (the question)
 * @param outputLen output tokens asked for
 */
public record SharedPrefixDataset(String name, int groups, int promptsPerGroup, int prefixLen, int suffixLen,
    int outputLen) {

  public static final String GENERATED_SHARED_PREFIX = "generated-shared-prefix";
  public static final String PREFIX_REPETITION = "prefix-repetition";
  /** The property that picks a dataset (shared with the other datasets' readers). */
  public static final String DATASET_NAME = "dataset.name";

  /** The properties read here. */
  public static final Set<String> KEYS = Set.of(DATASET_NAME,
      "gsp.num.groups", "gsp.prompts.per.group", "gsp.system.prompt.len", "gsp.question.len", "gsp.output.len",
      "prefix.repetition.prefix.len", "prefix.repetition.suffix.len", "prefix.repetition.num.prefixes",
      "prefix.repetition.output.len");

  /** The other values of {@code dataset.name}, read elsewhere (merge here the other readers' names). */
  /** The other values of {@code dataset.name}: random prompts, and the conversation datasets read from a file (Dataset). */
  static final Set<String> OTHER_NAMES = Set.of("random", "sharegpt", "custom", "messages");
  static final Set<String> ALL_NAMES = Set.of("random", "sharegpt", "custom", "messages", GENERATED_SHARED_PREFIX,
      PREFIX_REPETITION);

  /** vLLM's {@code --num-prompts} default, the prefix repetition's count when {@code num.prompts} is not given. */
  static final int VLLM_NUM_PROMPTS = 1000;

  public SharedPrefixDataset {
    if (groups < 1 || promptsPerGroup < 1 || prefixLen < 1 || suffixLen < 1 || outputLen < 1) {
      throw new IllegalArgumentException("a shared-prefix dataset needs every count and length >= 1, but got groups="
          + groups + " promptsPerGroup=" + promptsPerGroup + " prefixLen=" + prefixLen + " suffixLen=" + suffixLen
          + " outputLen=" + outputLen);
    }
  }

  /**
   * The dataset {@code dataset.name} asks for, or null when it names none of these (random prompts, or
   * another reader's dataset). Settings of the other shared-prefix dataset, or of one not chosen, are errors:
   * they would be silently ignored.
   */
  public static SharedPrefixDataset from(Props p, Integer numPrompts) {
    String name = p.has(DATASET_NAME) ? p.raw(DATASET_NAME).strip().toLowerCase(Locale.ROOT) : null;
    boolean gsp = GENERATED_SHARED_PREFIX.equals(name);
    boolean repetition = PREFIX_REPETITION.equals(name);
    for (String key : p.keys()) {
      if (!gsp && key.startsWith("gsp.") || !repetition && key.startsWith("prefix.repetition.")) {
        throw new ConfigException(key + " needs -D" + DATASET_NAME + "="
            + (key.startsWith("gsp.") ? GENERATED_SHARED_PREFIX : PREFIX_REPETITION) + ", but " + DATASET_NAME
            + (name == null ? " is not set" : " is " + name));
      }
    }
    if (name != null && !gsp && !repetition && !OTHER_NAMES.contains(name)) {
      throw new ConfigException(DATASET_NAME + " must be one of " + new java.util.TreeSet<>(ALL_NAMES) + ", but was "
          + name);
    }
    if (gsp) {
      if (numPrompts != null) {
        throw new ConfigException("num.prompts does not apply to " + DATASET_NAME + "=" + GENERATED_SHARED_PREFIX
            + ": its count is gsp.num.groups x gsp.prompts.per.group (as bench_serving's); drop num.prompts");
      }
      return new SharedPrefixDataset(GENERATED_SHARED_PREFIX,
          p.integer("gsp.num.groups", 64, 1, 1_000_000),
          p.integer("gsp.prompts.per.group", 16, 1, 1_000_000),
          p.integer("gsp.system.prompt.len", 2048, 1, 10_000_000),
          p.integer("gsp.question.len", 128, 1, 10_000_000),
          p.integer("gsp.output.len", 256, 1, 10_000_000));
    }
    if (repetition) {
      int prefixes = p.integer("prefix.repetition.num.prefixes", 10, 1, 1_000_000);
      int requests = numPrompts != null ? numPrompts : VLLM_NUM_PROMPTS;
      if (requests < prefixes) {
        throw new ConfigException("num.prompts (" + requests + ") must be >= prefix.repetition.num.prefixes ("
            + prefixes + "): each prefix needs a prompt (as vLLM's prefix_repetition)");
      }
      return new SharedPrefixDataset(PREFIX_REPETITION, prefixes, requests / prefixes,
          p.integer("prefix.repetition.prefix.len", 256, 1, 10_000_000),
          p.integer("prefix.repetition.suffix.len", 256, 1, 10_000_000),
          p.integer("prefix.repetition.output.len", 128, 1, 10_000_000));
    }
    return null;
  }

  /** Prompts in all: groups × prompts per group. */
  public int size() {
    return groups * promptsPerGroup;
  }

  /** What separates a prefix from its suffix: bench_serving's blank line, or vLLM's plain token concatenation. */
  String separator() {
    return GENERATED_SHARED_PREFIX.equals(name) ? "\n\n" : " ";
  }

  /**
   * The tickets: for each group its prefix, then each prompt's suffix, built by {@code prompts} from one seeded
   * generator in that order (as the reference tools draw them), then shuffled with the seed. A ticket's input
   * tokens are the whole prompt's count ({@link PromptTokens#count}: exact with a tokenizer file, where the
   * boundary could merge tokens), as bench_serving measures {@code len(encode(full_prompt))}.
   */
  public List<Ticket> generate(PromptTokens prompts, long seed) {
    Random words = Seeds.random(seed * 31 + 7);
    List<String> texts = new ArrayList<>(size());
    for (int g = 0; g < groups; g++) {
      String prefix = prompts.build(prefixLen, words).text();
      for (int i = 0; i < promptsPerGroup; i++) {
        texts.add(prefix + separator() + prompts.build(suffixLen, words).text());
      }
    }
    Collections.shuffle(texts, Seeds.random(seed));
    List<Ticket> tickets = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      tickets.add(new Ticket(i, texts.get(i), prompts.count(texts.get(i)), outputLen, 0, false, ""));
    }
    return tickets;
  }

  /** The group name of the run's rows, e.g. {@code gsp-64x16-2048-128-256}. */
  public String group() {
    return (GENERATED_SHARED_PREFIX.equals(name) ? "gsp-" : "prefix-repetition-") + groups + "x" + promptsPerGroup
        + "-" + prefixLen + "-" + suffixLen + "-" + outputLen;
  }

  /** As {@code llm-run.json} records it, so that a baseline compares only the same dataset. */
  public String describe() {
    return name + " groups=" + groups + " promptsPerGroup=" + promptsPerGroup + " prefixLen=" + prefixLen
        + " suffixLen=" + suffixLen + " outputLen=" + outputLen;
  }
}
