package dev.llmbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared tokenizer: counting rules, exact-length prompts, and a JSON-safe vocabulary. */
class WordTokenizerTest {

  @Test
  void countsMaximalRunsOfNonWhitespace() {
    assertEquals(0, WordTokenizer.count(""));
    assertEquals(0, WordTokenizer.count(" \t\n "));
    assertEquals(1, WordTokenizer.count("word"));
    assertEquals(3, WordTokenizer.count("a b  c\n"));
    assertEquals(3, WordTokenizer.count("  leading and\ttrailing  "));
    assertEquals(2, WordTokenizer.count("punctuation, counts"));
  }

  @Test
  void promptRoundTripsExactlyThroughCount() {
    Random random = new Random(20_240_601L);
    for (int n = 0; n <= 300; n++) {
      assertEquals(n, WordTokenizer.count(WordTokenizer.prompt(n, random)), "prompt of " + n + " tokens");
    }
    for (int n : new int[] {1_000, 8_000, 32_767}) {
      assertEquals(n, WordTokenizer.count(WordTokenizer.prompt(n, random)), "prompt of " + n + " tokens");
    }
  }

  @Test
  void sameSeedGivesTheSamePrompt() {
    assertEquals(WordTokenizer.prompt(50, new Random(7)), WordTokenizer.prompt(50, new Random(7)));
  }

  @Test
  void emulatorStyleOutputCountsOneTokenPerWord() {
    Random random = new Random(3);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      out.append(' ').append(WordTokenizer.vocabularyWord(random.nextInt()));
    }
    assertEquals(500, WordTokenizer.count(out));
  }

  @Test
  void vocabularyIsDistinctAsciiLettersAndWrapsAround() {
    Set<String> words = new HashSet<>();
    for (int i = 0; i < WordTokenizer.VOCABULARY_SIZE; i++) {
      String w = WordTokenizer.vocabularyWord(i);
      assertTrue(w.matches("[a-z]+"), w);
      words.add(w);
    }
    assertEquals(WordTokenizer.VOCABULARY_SIZE, words.size());
    assertEquals(WordTokenizer.vocabularyWord(5), WordTokenizer.vocabularyWord(5 + WordTokenizer.VOCABULARY_SIZE));
    assertEquals(WordTokenizer.vocabularyWord(WordTokenizer.VOCABULARY_SIZE - 1), WordTokenizer.vocabularyWord(-1));
  }

  @Test
  void negativeLengthIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WordTokenizer.prompt(-3, new Random(1)));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }

  @Test
  void everyVocabularyWordGivesItsIndexBackAndOtherTextGivesNone() {
    for (int i = 0; i < WordTokenizer.VOCABULARY_SIZE; i++) {
      assertEquals(i, WordTokenizer.vocabularyIndex(WordTokenizer.vocabularyWord(i)));
    }
    assertEquals(-1, WordTokenizer.vocabularyIndex("the"));
    assertEquals(-1, WordTokenizer.vocabularyIndex("kaloxx"));
    assertEquals(-1, WordTokenizer.vocabularyIndex("kalomine"));
  }
}
