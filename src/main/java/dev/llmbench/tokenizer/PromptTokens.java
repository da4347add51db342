package dev.llmbench.tokenizer;

import java.util.Random;

/**
 * How random prompts are built and their planned length counted: one of the {@link Method}s. A
 * prompt of {@code n} tokens is meant to be {@code n} tokens in the served model's tokenizer, as
 * bench_serving's random dataset builds it.
 */
public interface PromptTokens {

  /** Which way the prompts were sized: the start line says it and {@code llm-run.json} records it. */
  enum Method {
    /** {@code -Dtokenizer}: the served model's tokenizer.json, exact. */
    TOKENIZER_FILE("tokenizer-file", "the tokenizer file"),
    /** The server's {@code /tokenize}: words it counts as one token each, measured before the load. */
    SERVER_TOKENIZE("server-tokenize", "the server's /tokenize"),
    /** Neither: words that are one token in common tokenizers, not measured. */
    DEFAULT_VOCABULARY("default-vocabulary", "the default vocabulary (not measured)"),
    /**
     * The word tokenizer, one word one token: exact against the embedded emulator, which counts so too
     * (the prompts of old); a prompt file's lengths without a tokenizer file.
     */
    WORD_TOKENIZER("word-tokenizer", "the word tokenizer (one word, one token)");

    private final String wireName;
    private final String description;

    Method(String wireName, String description) {
      this.wireName = wireName;
      this.description = description;
    }

    /** The value in {@code llm-run.json}. */
    public String wireName() {
      return wireName;
    }

    /** For the start line. */
    public String description() {
      return description;
    }
  }

  Method method();

  /**
   * A prompt of {@code tokens} tokens drawn from {@code random}, with the tokens it has as far as the
   * method can tell (the planned length; {@code tokens} itself except where a tokenizer file could
   * not reach it exactly).
   */
  Built build(int tokens, Random random);

  /**
   * The planned length of a given text (a prompt file's prompt, the overhead request's): exact with a
   * tokenizer file; the other methods count words, which are one token each in their vocabularies.
   */
  default int count(String text) {
    return WordTokenizer.count(text);
  }

  /** A prompt and its planned length in tokens. */
  record Built(String text, int tokens) {}

  /** The emulator's word tokenizer: the prompts every run had before prompts were sized in the model's tokens. */
  PromptTokens WORDS = new PromptTokens() {
    @Override
    public Method method() {
      return Method.WORD_TOKENIZER;
    }

    @Override
    public Built build(int tokens, Random random) {
      return new Built(WordTokenizer.prompt(tokens, random), tokens);
    }
  };
}
