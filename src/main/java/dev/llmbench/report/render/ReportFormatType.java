package dev.llmbench.report.render;

/** The file formats a run's summary is written in, with the name of the file each one gives. */
public enum ReportFormatType {
  /** {@code summary.json}: metadata and one object per group, bench_serving key names. */
  JSON("summary.json"),
  /** {@code summary.csv}: one row per group, units in column names. */
  CSV("summary.csv"),
  /** {@code requests.csv}: one row per request, warm-ups included. */
  REQUESTS_CSV("requests.csv"),
  /** {@code index.html}: a self-contained page with the metadata, each group's tables and inline SVG charts. */
  HTML("index.html");

  private final String fileName;

  ReportFormatType(String fileName) {
    this.fileName = fileName;
  }

  /** The name of the file this format is written to in a result folder. */
  public String fileName() {
    return fileName;
  }
}
