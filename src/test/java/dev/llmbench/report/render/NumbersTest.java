package dev.llmbench.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbench.io.Numbers;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Numbers (dev.llmbench.io) as the report formats use it, and the formats' file names. */
class NumbersTest {

  @Test
  void sixDecimalsAtMostWithoutTrailingZeros() {
    assertEquals("1.5", Numbers.decimal(1.5));
    assertEquals("2", Numbers.decimal(2.0));
    assertEquals("0", Numbers.decimal(0.0));
    assertEquals("0", Numbers.decimal(-0.0));
    assertEquals("0", Numbers.decimal(-0.0000001));
    assertEquals("0.000001", Numbers.decimal(0.000001));
    assertEquals("116.666667", Numbers.decimal(350.0 / 3));
    assertEquals("1234567.125", Numbers.decimal(1_234_567.125));
    assertEquals("-3.25", Numbers.decimal(-3.25));
    assertEquals("", Numbers.decimal(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Numbers.decimal(Double.POSITIVE_INFINITY));
  }

  @Test
  void independentOfTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("1234.5", Numbers.decimal(1234.5));
      Locale.setDefault(Locale.forLanguageTag("ar-EG-u-nu-arab"));
      assertEquals("1234.5", Numbers.decimal(1234.5));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void factoryGivesEachTypeItsFileName() {
    assertEquals("summary.json", ReportFormatType.JSON.fileName());
    assertEquals("summary.csv", ReportFormatType.CSV.fileName());
    assertEquals("requests.csv", ReportFormatType.REQUESTS_CSV.fileName());
    for (ReportFormatType t : ReportFormatType.values()) {
      assertEquals(true, ReportFormatFactory.create(t) != null);
    }
  }
}
