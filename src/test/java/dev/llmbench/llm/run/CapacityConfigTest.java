package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.capacity.CapacitySearch;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search's properties: defaults, and one clear line for each wrong one. */
class CapacityConfigTest {

  private static CapacityConfig from(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    Props p = Props.of(m);
    return CapacityConfig.from(p, BenchConfig.from(p));
  }

  @Test
  void aRateSearchByDefault() {
    CapacityConfig c = from("slo", "ttft:500,tpot:50");
    CapacitySearch.Settings s = c.search();
    assertEquals(CapacitySearch.Mode.RATE, s.mode());
    assertEquals(1, s.start());
    assertEquals(0.1, s.min());
    assertEquals(1000, s.max());
    assertEquals(0.05, s.tolerance());
    assertEquals(12, s.maxSteps());
    assertEquals(99, c.percentile());
    assertEquals(0.01, c.maxErrorRate());
  }

  @Test
  void aConcurrencySearchTakesWholeStreams() {
    CapacitySearch.Settings s = from("slo", "tpot:50", "search", "concurrency", "search.start", "4").search();
    assertEquals(CapacitySearch.Mode.CONCURRENCY, s.mode());
    assertEquals(4, s.start());
    assertEquals(1, s.min());
    assertEquals(1024, s.max());
    ConfigException e = assertThrows(ConfigException.class,
        () -> from("slo", "tpot:50", "search", "concurrency", "search.start", "2.5"));
    assertTrue(e.getMessage().contains("search.start"), e.getMessage());
  }

  @Test
  void wrongSettingsAreOneClearLine() {
    assertEquals("a capacity search needs objectives: give -Dslo in ms, as vLLM's --goodput, e.g. -Dslo=ttft:500,tpot:50",
        assertThrows(ConfigException.class, () -> from()).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> from("slo", "tpot:50", "request.rate", "4")).getMessage()
        .startsWith("a rate search chooses each step's request rate"));
    assertTrue(assertThrows(ConfigException.class,
        () -> from("slo", "tpot:50", "search", "concurrency", "max.concurrency", "4")).getMessage()
        .startsWith("a concurrency search chooses each step's concurrency"));
    assertTrue(assertThrows(ConfigException.class, () -> from("slo", "tpot:50", "search.tolerence", "0.1"))
        .getMessage().startsWith("unknown property search.tolerence; the search properties are"));
    assertTrue(assertThrows(ConfigException.class, () -> from("slo", "tpot:50", "search", "latency")).getMessage()
        .contains("rate, concurrency"));
    assertEquals("the search needs search.min <= search.start <= search.max, but had 2 <= 1 <= 1000 requests/s",
        assertThrows(ConfigException.class, () -> from("slo", "tpot:50", "search.min", "2", "search.start", "1")).getMessage());
  }
}
