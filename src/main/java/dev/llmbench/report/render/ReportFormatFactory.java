package dev.llmbench.report.render;

import java.util.Objects;

/** The {@link ReportFormat} of each {@link ReportFormatType}. */
public final class ReportFormatFactory {
  private ReportFormatFactory() {}

  public static ReportFormat create(ReportFormatType type) {
    return switch (Objects.requireNonNull(type, "type")) {
      case JSON -> new JsonSummaryFormat();
      case CSV -> new CsvSummaryFormat();
      case REQUESTS_CSV -> new RequestsCsvFormat();
      case HTML -> new HtmlReportFormat();
    };
  }
}
