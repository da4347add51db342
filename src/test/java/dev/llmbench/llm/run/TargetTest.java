package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void anApiKeyThatCannotGoInAHeaderIsRefusedWithoutBeingPrinted() {
    for (String key : new String[] {"sk-abc\r\nX-Injected: 1", "sk abc", "sk-\u00e9t\u00e9"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> Target.resolve("http://127.0.0.1:1", Props.of(Map.of()), key));
      assertEquals("api.key (or OPENAI_API_KEY) has a space, line break or non-ASCII character, which cannot go in"
          + " an HTTP header: check the key", e.getMessage());
      assertFalse(e.getMessage().contains("sk"));
    }
    assertEquals("http://127.0.0.1:1 (API key set)",
        Target.resolve("http://127.0.0.1:1", Props.of(Map.of("api.key", "sk-Ab0_.~+/=")), null).describe());
  }
}
