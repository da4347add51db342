package dev.llmbench.report.render;

import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateExceptionHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TimeZone;

/** The Freemarker set-up of every page the project writes, its templates under {@code /templates}. */
public final class Templates {
  private Templates() {}

  /**
   * A configuration: every {@code ${...}} HTML-escaped, errors thrown rather than written into the page,
   * nothing clever allowed ({@code ?api}), and numbers, dates and times the same on every machine.
   */
  public static Configuration configuration() {
    Configuration c = new Configuration(Configuration.VERSION_2_3_34);
    c.setClassForTemplateLoading(Templates.class, "/templates");
    c.setDefaultEncoding(StandardCharsets.UTF_8.name());
    c.setOutputFormat(HTMLOutputFormat.INSTANCE);
    c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    c.setLogTemplateExceptions(false);
    c.setWrapUncheckedExceptions(true);
    c.setFallbackOnNullLoopVariable(false);
    c.setAPIBuiltinEnabled(false);
    // Numbers reach the templates as strings; these only guard against a number formatted by accident.
    c.setLocale(Locale.ROOT);
    c.setNumberFormat("computer");
    c.setTimeZone(TimeZone.getTimeZone("UTC"));
    return c;
  }
}
