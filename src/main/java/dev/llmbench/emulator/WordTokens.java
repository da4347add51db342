package dev.llmbench.emulator;

import dev.llmbench.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The word tokenizer as the emulator serves it ({@code emulator.tokenizer=word}): one word, one
 * token, as the load generator counts; a word's id is its index in the word vocabulary, or 0 for
 * any other word. No chat template tokens, so word counts stay what they always were.
 */
final class WordTokens implements ServedTokenizer {
  static final WordTokens INSTANCE = new WordTokens();

  private WordTokens() {}

  @Override
  public int count(CharSequence text) {
    return WordTokenizer.count(text);
  }

  @Override
  public int chatTemplateTokens() {
    return 0;
  }

  @Override
  public List<Integer> encode(CharSequence text) {
    List<Integer> ids = new ArrayList<>();
    for (String w : text.toString().strip().split("\\s+")) {
      if (!w.isEmpty()) {
        ids.add(Math.max(0, WordTokenizer.vocabularyIndex(w)));
      }
    }
    return ids;
  }

  /** The words' own hashes: {@link #encode} maps every word outside the vocabulary to id 0. */
  @Override
  public int[] cacheKeys(CharSequence text) {
    String stripped = text.toString().strip();
    if (stripped.isEmpty()) {
      return new int[0];
    }
    String[] words = stripped.split("\\s+");
    int[] keys = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      keys[i] = words[i].hashCode();
    }
    return keys;
  }

  @Override
  public String decode(List<Integer> tokenIds) {
    StringBuilder sb = new StringBuilder();
    for (int id : tokenIds) {
      sb.append(sb.length() == 0 ? "" : " ").append(WordTokenizer.vocabularyWord(id));
    }
    return sb.toString();
  }

  @Override
  public String piece(int id) {
    return " " + WordTokenizer.vocabularyWord(id);
  }
}
