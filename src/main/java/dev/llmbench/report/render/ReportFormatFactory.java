package dev.llmbench.report.render;

import dev.llmbench.report.baseline.BaselineCheck;
import java.util.Objects;

/** The {@link ReportFormat} of each {@link ReportFormatType}. */
public final class ReportFormatFactory {
  private ReportFormatFactory() {}

  public static ReportFormat create(ReportFormatType type) {
    return switch (Objects.requireNonNull(type, "type")) {
      case JSON -> new JsonSummaryFormat(null);
      case CSV -> new CsvSummaryFormat();
      case REQUESTS_CSV -> new RequestsCsvFormat();
      case HTML -> new HtmlReportFormat(null);
    };
  }

  /** {@code summary.json} with the pooling table's statuses from {@code baseline} (none when null). */
  public static ReportFormat json(BaselineCheck baseline) {
    return new JsonSummaryFormat(baseline);
  }

  /** {@code index.html} with a section on the baseline comparison (none when {@code baseline} is null). */
  public static ReportFormat html(BaselineCheck baseline) {
    return new HtmlReportFormat(baseline);
  }

  /**
   * {@code index.html} with the baseline section (none when {@code baseline} is null) and the interactive
   * charts of {@code series} (over time and the CDFs; none when null).
   */
  public static ReportFormat html(BaselineCheck baseline, PageSeries series) {
    return new HtmlReportFormat(baseline, series);
  }
}
