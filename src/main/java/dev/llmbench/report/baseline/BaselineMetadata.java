package dev.llmbench.report.baseline;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a baseline was taken from and why ({@code <profile>.metadata.json}; the format is documented on
 * {@link BaselineFiles}).
 *
 * @param schemaVersion the version of the baseline files
 * @param framework the framework label, e.g. {@code emulator}
 * @param profile the profile, e.g. {@code smoke}
 * @param model the model name the runs used
 * @param backend the API shape the load generator spoke
 * @param loadParameters the load parameters every run had (compared before any metric)
 * @param hardware CPU model, cores and GPU of the load generator's machine, and the server's
 *     {@code -Dserver.hardware} label when its runs had one (a difference is a warning)
 * @param commit this project's git commit when the baseline was written, or "unknown"
 * @param timestampUtc when the baseline was written, ISO-8601 UTC
 * @param reason why the baseline was (re)written, never blank
 * @param runs the runs it was taken from: their run ids
 * @param replicates bootstrap replicates used for the standard errors
 * @param seed bootstrap seed used for the standard errors
 * @param csvSha256 SHA-256 of the CSV file's bytes, so a torn or hand-edited pair is noticed
 */
public record BaselineMetadata(int schemaVersion, String framework, String profile, String model, String backend,
    SortedMap<String, String> loadParameters, SortedMap<String, String> hardware, String commit, String timestampUtc,
    String reason, List<String> runs, int replicates, long seed, String csvSha256) {

  public BaselineMetadata {
    for (Object[] f : new Object[][] {{"framework", framework}, {"profile", profile}, {"model", model},
        {"backend", backend}, {"commit", commit}, {"timestampUtc", timestampUtc}, {"reason", reason},
        {"csvSha256", csvSha256}}) {
      Objects.requireNonNull(f[1], (String) f[0]);
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a baseline needs a reason, but it was blank");
    }
    loadParameters = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(loadParameters)));
    hardware = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(hardware)));
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a baseline needs at least one run");
    }
  }

  /** The same metadata with another checksum (the CSV is written first). */
  BaselineMetadata withCsvSha256(String sha) {
    return new BaselineMetadata(schemaVersion, framework, profile, model, backend, loadParameters, hardware, commit,
        timestampUtc, reason, runs, replicates, seed, sha);
  }
}
