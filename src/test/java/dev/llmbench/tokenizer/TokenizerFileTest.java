package dev.llmbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.emulator.SubwordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer file, through the HuggingFace library (native, loaded from the jar: no network),
 * against the emulator's subword tokenizer exported as tokenizer.json: both count alike, and the
 * prompts it builds have exactly the planned count in the emulator's tokens.
 */
class TokenizerFileTest {
  @TempDir
  static Path dir;
  private static TokenizerFile file;

  @BeforeAll
  static void open() throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), SubwordTokenizer.get().huggingFaceJson());
    file = TokenizerFile.open(dir); // a model folder holding it, as bench_serving's --tokenizer takes
  }

  @AfterAll
  static void close() {
    file.close();
  }

  @Test
  void countsAsTheEmulatorsTokenizerDoes() {
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      String text = WordTokenizer.prompt(1 + random.nextInt(40), random) + " the water, ok?  x";
      assertEquals(SubwordTokenizer.get().count(text), file.count(text), text);
    }
    assertEquals(3, file.count("kalomi"), "a word-tokenizer word is three syllable pieces");
    assertEquals(1, file.count("water"), "a default-vocabulary word is whole");
  }

  @Test
  void promptsHaveExactlyThePlannedCount() {
    Random random = new Random(11);
    for (int n : new int[] {1, 2, 7, 64, 255, 1024}) {
      PromptTokens.Built p = file.build(n, random);
      assertEquals(n, p.tokens(), "planned length of a prompt of " + n);
      assertEquals(n, SubwordTokenizer.get().count(p.text()), "the emulator's count of a prompt of " + n);
    }
  }

  @Test
  void sameSeedSamePrompt() {
    assertEquals(file.build(100, new Random(5)), file.build(100, new Random(5)));
  }

  @Test
  void aFileThatIsNotATokenizerIsRefusedNamingIt() throws IOException {
    Path notJson = Files.writeString(dir.resolve("notes.txt"), "hello");
    ConfigException e = assertThrows(ConfigException.class, () -> TokenizerFile.open(notJson));
    assertTrue(e.getMessage().startsWith("tokenizer " + notJson.toAbsolutePath()
        + " is not a HuggingFace tokenizer.json"), e.getMessage());
    Path missing = dir.resolve("nope.json");
    e = assertThrows(ConfigException.class, () -> TokenizerFile.open(missing));
    assertTrue(e.getMessage().contains(missing.toAbsolutePath() + " does not exist"), e.getMessage());
  }
}
