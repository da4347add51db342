package dev.llmbench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AnswersTest {

  @Test
  void theAnswerIsTheLastNumberOfTheReply() {
    assertEquals(new BigDecimal("18"), Answers.lastNumber(
        " Janet sells 16 - 3 - 4 = 9 duck eggs a day.\nShe makes 9 * 2 = $18 every day.\n#### 18"));
    assertEquals(new BigDecimal("42"), Answers.lastNumber("First 6 * 7 = 42. The answer is 42."));
  }

  @Test
  void commasAreStripped() {
    assertEquals(new BigDecimal("1450000"), Answers.lastNumber("so the total is $1,450,000"));
  }

  @Test
  void aSignAndDecimalsBelongToTheNumber() {
    assertEquals(new BigDecimal("-10"), Answers.lastNumber("the change is -10"));
    assertEquals(new BigDecimal("7.50"), Answers.lastNumber("each costs $7.50."));
    // A hyphen between a word or number and a digit is no sign.
    assertEquals(new BigDecimal("3"), Answers.lastNumber("5-3"));
    assertEquals(new BigDecimal("2"), Answers.lastNumber("a 4x2"));
  }

  @Test
  void aReplyWithoutANumberHasNoAnswer() {
    assertNull(Answers.lastNumber("I do not know."));
    assertNull(Answers.lastNumber(""));
    assertNull(Answers.lastNumber(null));
    assertFalse(Answers.correct("I do not know.", BigDecimal.ONE));
  }

  @Test
  void answersAreComparedByValue() {
    assertTrue(Answers.correct("#### 18.00", new BigDecimal("18")));
    assertTrue(Answers.correct("The answer is 2,125.", new BigDecimal("2125")));
    assertFalse(Answers.correct("#### 10", new BigDecimal("-10")));
    assertFalse(Answers.correct("18 eggs, 9 sold: #### 9", new BigDecimal("18")), "the last number counts");
  }
}
