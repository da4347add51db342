package dev.llmbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.workload.Size;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Typed property reading: parsing, defaults, and errors that name the key and the value. */
class PropsTest {

  private static Props props(String key, String value) {
    return Props.of(Map.of(key, value));
  }

  private static void assertNames(ConfigException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "\"" + part + "\" missing from: " + e.getMessage());
    }
  }

  @Test
  void integersParseWithUnderscoresAndSpaces() {
    assertEquals(42, props("n", "42").integer("n", 0, 0, 100));
    assertEquals(1_000_000, props("n", "1_000_000").integer("n", 0, 0, 2_000_000));
    assertEquals(-5, props("n", " -5 ").integer("n", 0, -10, 10));
    assertEquals(10_000_000_000L, props("n", "10_000_000_000").longValue("n", 0, 0, Long.MAX_VALUE));
  }

  @Test
  void absentOrBlankGivesTheDefault() {
    Props p = Props.of(Map.of("blank", "   ", "empty", ""));
    assertEquals(7, p.integer("blank", 7, 0, 10));
    assertEquals(7, p.integer("empty", 7, 0, 10));
    assertEquals(7, p.integer("absent", 7, 0, 10));
    assertEquals(8L, p.longValue("blank", 8, 0, 10));
    assertEquals(0.5, p.decimal("blank", 0.5, 0, 1));
    assertTrue(p.bool("blank", true));
    assertEquals(Size.FULL, p.enumValue("blank", Size.class, Size.FULL));
    assertEquals("d", p.string("blank", "d"));
    assertNull(p.raw("blank"));
    assertFalse(p.has("blank"));
    assertFalse(p.has("absent"));
  }

  @Test
  void rawIsTrimmed() {
    Props p = props("k", "  v  ");
    assertEquals("v", p.raw("k"));
    assertTrue(p.has("k"));
  }

  @Test
  void nonIntegerNamesKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> props("num.prompts", "12x").integer("num.prompts", 0, 0, 9));
    assertEquals("num.prompts must be an integer, but was \"12x\"", e.getMessage());
    assertTrue(e.getCause() instanceof NumberFormatException);
    assertThrows(ConfigException.class, () -> props("n", "1.5").integer("n", 0, 0, 9));
    assertThrows(ConfigException.class, () -> props("n", "99999999999").integer("n", 0, 0, Integer.MAX_VALUE));
    assertNames(assertThrows(ConfigException.class, () -> props("seed", "x").longValue("seed", 0, 0, 9)), "seed", "\"x\"");
  }

  @Test
  void outOfRangeNamesKeyValueAndRange() {
    ConfigException low = assertThrows(ConfigException.class, () -> props("llm.maxTokens", "-3").integer("llm.maxTokens", 1, 1, 100));
    assertEquals("llm.maxTokens must be in [1, 100], but was -3", low.getMessage());
    assertNames(assertThrows(ConfigException.class, () -> props("n", "101").integer("n", 1, 1, 100)), "n ", "101");
    assertNames(assertThrows(ConfigException.class, () -> props("n", "11").longValue("n", 1, 1, 10)), "n ", "11");
    assertNames(assertThrows(ConfigException.class, () -> props("ratio", "1.5").decimal("ratio", 0, 0, 1)), "ratio", "1.5");
  }

  @Test
  void decimalsParseAndRejectNaNAndGarbage() {
    assertEquals(0.25, props("r", "0.25").decimal("r", 0, 0, 1));
    assertEquals(1e3, props("r", "1e3").decimal("r", 0, 0, 1e3));
    assertNames(assertThrows(ConfigException.class, () -> props("r", "NaN").decimal("r", 0, 0, 1)), "r ", "NaN");
    ConfigException e = assertThrows(ConfigException.class, () -> props("burstiness", "fast").decimal("burstiness", 1, 0, 9));
    assertEquals("burstiness must be a number, but was \"fast\"", e.getMessage());
  }

  @Test
  void booleansAcceptTrueFalseYesNoOneZero() {
    for (String t : new String[] {"true", "TRUE", "yes", "1"}) {
      assertTrue(props("b", t).bool("b", false), t);
    }
    for (String f : new String[] {"false", "False", "no", "0"}) {
      assertFalse(props("b", f).bool("b", true), f);
    }
    ConfigException e = assertThrows(ConfigException.class, () -> props("b", "maybe").bool("b", true));
    assertEquals("b must be true or false, but was \"maybe\"", e.getMessage());
  }

  private enum Mode { ONE_SHOT, TWO }

  @Test
  void enumsMatchCaseInsensitivelyWithDashesAndDots() {
    assertEquals(Mode.ONE_SHOT, props("m", "one-shot").enumValue("m", Mode.class, Mode.TWO));
    assertEquals(Mode.ONE_SHOT, props("m", "One.Shot").enumValue("m", Mode.class, Mode.TWO));
    assertEquals(Mode.ONE_SHOT, props("m", "ONE_SHOT").enumValue("m", Mode.class, Mode.TWO));
    ConfigException e = assertThrows(ConfigException.class, () -> props("m", "three").enumValue("m", Mode.class, Mode.TWO));
    assertEquals("m must be one of one-shot, two, but was \"three\"", e.getMessage());
  }

  @Test
  void ofPropertiesAndKeysWithPrefix() {
    Properties properties = new Properties();
    properties.setProperty("emulator.a", "1");
    properties.setProperty("emulator.b", "2");
    properties.setProperty("other", "3");
    Props p = Props.of(properties);
    assertEquals(2, p.integer("emulator.b", 0, 0, 9));
    assertEquals(java.util.Set.of("emulator.a", "emulator.b"), p.keysWithPrefix("emulator."));
  }
}
