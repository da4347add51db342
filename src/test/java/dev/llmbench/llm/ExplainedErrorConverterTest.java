package dev.llmbench.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.llmbench.config.ConfigException;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

class ExplainedErrorConverterTest {
  private static String trace(Throwable t) {
    LoggerContext context = new LoggerContext();
    ExplainedErrorConverter converter = new ExplainedErrorConverter();
    converter.setContext(context);
    converter.start();
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.gatling.app.Gatling$"), Level.ERROR,
        "Run crashed", t, null);
    return converter.convert(event);
  }

  @Test
  void aConfigurationErrorAsGatlingWrapsItIsItsOneLineAndAnyOtherErrorKeepsItsTrace() {
    ConfigException explained = new ConfigException("max.concurrency must be an integer, but was \"abc\"");
    assertEquals(explained.getMessage() + System.lineSeparator(), trace(new InvocationTargetException(explained)),
        "its one line, no trace");
    String other = trace(new InvocationTargetException(new IllegalStateException("a bug")));
    assertTrue(other.contains("java.lang.IllegalStateException: a bug") && other.contains("\tat "), other);
  }
}
