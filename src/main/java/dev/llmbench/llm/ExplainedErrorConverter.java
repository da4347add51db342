package dev.llmbench.llm;

import ch.qos.logback.classic.pattern.RootCauseFirstThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.llmbench.config.ConfigException;

/**
 * The console's stack traces ({@code %explainedEx} in {@code logback-test.xml}), root cause first as
 * {@code %rEx}, except for a configuration error: {@link LlmSimulation#explained} has printed its one
 * line saying what is wrong and how to fix it, and Gatling's "Run crashed" would bury that line under
 * some 35 lines of a trace that says nothing more: it gets that one line again instead (so a
 * configuration error raised outside {@code explained} is never silent). Every other error keeps its
 * whole trace.
 */
public final class ExplainedErrorConverter extends RootCauseFirstThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    for (IThrowableProxy t = tp; t != null; t = t.getCause()) {
      if (t.getClassName().equals(ConfigException.class.getName())) {
        return t.getMessage() + System.lineSeparator();
      }
    }
    return super.throwableProxyToString(tp);
  }
}
