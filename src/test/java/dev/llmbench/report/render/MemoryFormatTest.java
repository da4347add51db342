package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Three significant digits of GiB, one decimal at least: below 1 GiB the figure keeps its precision. */
class MemoryFormatTest {
  @Test
  void belowOneGibTheFigureKeepsThreeSignificantDigits() {
    assertEquals("0.0352", MemoryFormat.gib(36.0 / 1024), "36 MiB, once printed 0.0");
    assertEquals("0.0403", MemoryFormat.gib(41.25 / 1024), "llama.cpp b4748's tiny model, its two buffers");
    assertEquals("0.500", MemoryFormat.gib(512.0 / 1024));
    assertEquals("0.000488", MemoryFormat.gib(0.5 / 1024), "half a MiB");
    assertEquals("0.0", MemoryFormat.gib(0));
  }

  @Test
  void aboveItThreeDigitsAndOneDecimalAtLeast() {
    assertEquals("1.50", MemoryFormat.gib(1.5));
    assertEquals("1.04", MemoryFormat.gib(1.0351));
    assertEquals("44.2", MemoryFormat.gib(44.2031));
    assertEquals("62.2", MemoryFormat.gib(62.2));
    assertEquals("10.0", MemoryFormat.gib(9.996), "rounding up a digit");
    assertEquals("100.0", MemoryFormat.gib(99.96));
    assertEquals("147.6", MemoryFormat.gib(147.55), "from 100 GiB one decimal, no digit lost");
    assertEquals("1024.0", MemoryFormat.gib(1024));
  }

  @Test
  void theLocaleDoesNotChangeIt() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("0.0352", MemoryFormat.gib(36.0 / 1024));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void anUndefinedFigureIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MemoryFormat.gib(Double.NaN));
  }
}
