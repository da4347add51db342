package dev.llmbench.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prompts of words that are one token each, separated by single spaces: {@code n} words make a
 * prompt of {@code n} tokens. The words are the {@link #defaultWords() default vocabulary}, or those of
 * it that a server's {@code /tokenize} counted as one token each.
 */
public final class VocabularyPrompts implements PromptTokens {
  /** The resource holding the default vocabulary (its header says where the words come from). */
  public static final String RESOURCE = "/tokenizer/default-vocabulary.txt";

  private final Method method;
  private final String[] words;

  public VocabularyPrompts(Method method, List<String> words) {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a vocabulary needs at least one word");
    }
    this.method = method;
    this.words = words.toArray(String[]::new);
  }

  /** The default vocabulary, not measured: the fallback when nothing can count the model's tokens. */
  public static VocabularyPrompts unmeasured() {
    return new VocabularyPrompts(Method.DEFAULT_VOCABULARY, defaultWords());
  }

  /** The words of {@link #RESOURCE}, in file order, read once. */
  public static List<String> defaultWords() {
    return DefaultWords.WORDS;
  }

  /** Read when first asked for (a run with a tokenizer file never needs it). */
  private static final class DefaultWords {
    static final List<String> WORDS = read();

    private static List<String> read() {
      try (InputStream in = VocabularyPrompts.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the class path");
        }
        List<String> words = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
          String w = line.strip();
          if (!w.isEmpty() && !w.startsWith("#")) {
            words.add(w);
          }
        }
        return List.copyOf(words);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }

  @Override
  public Method method() {
    return method;
  }

  @Override
  public Built build(int tokens, Random random) {
    return new Built(WordTokenizer.randomWords(words, tokens, random), tokens);
  }
}
