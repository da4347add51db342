package dev.llmbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing {@code -Dslo} (vLLM's {@code --goodput} syntax) and its canonical form. */
class SloTest {

  @Test
  void parsesVllmsSyntaxInAnyOrder() {
    Slo slo = Slo.parse("ttft:200,tpot:50,e2el:20000");
    assertEquals(200.0, slo.ttftMs());
    assertEquals(50.0, slo.tpotMs());
    assertEquals(20_000.0, slo.e2elMs());
    assertEquals(slo, Slo.parse(" e2el : 20000 , TPOT:50,ttft:200.0"));
  }

  @Test
  void canonicalFormSortsTheKeysAndParsesBackToTheSameObjectives() {
    assertEquals("e2el:20000,tpot:50,ttft:200", Slo.parse("ttft:200,tpot:50,e2el:20000").canonical());
    assertEquals("tpot:0.000001", Slo.parse("tpot:0.000001").canonical());
    assertEquals("ttft:2.5", Slo.parse("ttft:2.50").canonical());
    Slo slo = Slo.parse("tpot:12.75,e2el:1e3");
    assertEquals(slo, Slo.parse(slo.canonical()));
  }

  @Test
  void poolingKeepsOnlyTheE2eObjective() {
    assertEquals(new Slo(null, null, 500.0), Slo.parse("ttft:1,e2el:500").forPooling());
    assertNull(Slo.parse("ttft:1,tpot:2").forPooling());
  }

  @Test
  void refusesWhatIsNotAnObjectiveSaying() {
    assertMessage("ttfb:200", "unknown objective \"ttfb\"; the objectives are ttft, tpot and e2el");
    assertMessage("ttft:fast", "objective ttft must be a positive number of ms, but was \"fast\"");
    assertMessage("ttft:0", "objective ttft must be a positive number of ms, but was \"0\"");
    assertMessage("tpot:-5", "objective tpot must be a positive number of ms, but was \"-5\"");
    assertMessage("e2el:NaN", "objective e2el must be a positive number of ms");
    assertMessage("ttft=200", "part \"ttft=200\" is not key:ms");
    assertMessage("ttft:1,ttft:2", "gives objective ttft twice");
    assertMessage("ttft:1,", "part \"\" is not key:ms");
    assertMessage("", "is empty");
  }

  private static void assertMessage(String text, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slo.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
