package dev.llmbench.report.history;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A result folder found under {@code reports/<framework>/}: what the history and the reports index list.
 *
 * @param framework the framework folder
 * @param profile the profile (summary.json's, else the folder name's)
 * @param folder the folder
 * @param date when the run started
 * @param validity the validity verdict, "" when unknown
 * @param baseline the baseline verdict line's word (comparison.json's verdict, else its status), "" without
 */
public record ResultEntry(String framework, String profile, Path folder, Instant date, String validity,
    String baseline) {}
