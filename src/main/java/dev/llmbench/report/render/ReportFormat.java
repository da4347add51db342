package dev.llmbench.report.render;

import dev.llmbench.report.model.RunSummary;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes a run's summary in one file format. Implementations only lay out what the summary holds
 * (they never compute statistics), number formatting is independent of the default locale, and the
 * output is deterministic: the same summary gives the same bytes. The writer is flushed, not closed.
 */
public interface ReportFormat {
  void write(RunSummary s, Writer out) throws IOException;
}
