package dev.llmbench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gsm8kTest {
  private static final String GOOD = "{\"question\": \"How many?\", \"answer\": \"2 + 2 = 4\\n#### 4\"}";

  private static List<Gsm8k.Item> read(String text) throws IOException {
    return Gsm8k.read("test.jsonl", new BufferedReader(new StringReader(text)));
  }

  @Test
  void theShippedTestSplitIsWhole() {
    // The split as published: github.com/openai/grade-school-math's test.jsonl (src/main/resources/gsm8k/README.md).
    assertEquals(1319, Gsm8k.test().size());
    assertEquals(1, Gsm8k.test().get(0).line());
    assertTrue(Gsm8k.shots().size() >= 5, "the default 5 shots are shipped");
  }

  @Test
  void theReferenceIsTheNumberAfterTheMarks() throws IOException {
    Gsm8k.Item item = read("{\"question\": \"q\", \"answer\": \"so\\n#### 1,450,000\"}").get(0);
    assertEquals(0, item.reference().compareTo(new java.math.BigDecimal("1450000")));
    assertEquals(0, read("{\"question\": \"q\", \"answer\": \"#### -10\"}").get(0).reference()
        .compareTo(new java.math.BigDecimal("-10")));
  }

  @Test
  void aMalformedLineIsNamedWithItsFileAndLineNumber() {
    ConfigException notJson = assertThrows(ConfigException.class, () -> read(GOOD + "\n\n{\"question\": \n"));
    assertTrue(notJson.getMessage().startsWith("test.jsonl:3: not valid JSON"), notJson.getMessage());
    ConfigException noAnswer = assertThrows(ConfigException.class, () -> read(GOOD + "\n{\"question\": \"q\"}\n"));
    assertEquals("test.jsonl:2: field 'answer' must be a non-empty string, got none", noAnswer.getMessage());
    ConfigException noMarks = assertThrows(ConfigException.class,
        () -> read(GOOD + "\n" + GOOD + "\n{\"question\": \"q\", \"answer\": \"it is 4\"}\n"));
    assertEquals("test.jsonl:3: field 'answer' must end with '#### <number>', got \"it is 4\"", noMarks.getMessage());
  }

  @Test
  void promptsAreSglangsFewShotFormat() throws IOException {
    Gsm8k.Item shot = Gsm8k.shots().get(0);
    Gsm8k.Item asked = read(GOOD).get(0);
    String prompt = Gsm8k.prompt(Gsm8k.fewShot(1), asked);
    assertEquals("Question: " + shot.question() + "\nAnswer: " + shot.answer() + "\n\n"
        + "Question: How many?\nAnswer:", prompt);
    assertEquals("Question: How many?\nAnswer:", Gsm8k.prompt(Gsm8k.fewShot(0), asked));
  }

  @Test
  void theLastQuestionOfAPromptIsFound() {
    String prompt = Gsm8k.prompt(Gsm8k.fewShot(5), Gsm8k.test().get(7));
    assertEquals(Gsm8k.test().get(7).question(), Gsm8k.lastQuestion(prompt));
    assertNull(Gsm8k.lastQuestion("a prompt of random words"));
  }
}
