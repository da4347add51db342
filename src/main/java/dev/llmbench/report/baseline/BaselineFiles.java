package dev.llmbench.report.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.Numbers;
import dev.llmbench.io.TempSibling;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and writes a baseline: {@code <dir>/<framework>/<profile>.csv} and
 * {@code <dir>/<framework>/<profile>.metadata.json}, a pair versioned in git.
 *
 * <h2>{@code <profile>.csv}</h2>
 * A header line, then one row per group and metric, sorted by group and then in the order of
 * {@link Metric}. Numbers are decimals with a '.' (at most six decimals), never localised. Columns:
 * <ul>
 *   <li>{@code schema_version} (integer): {@value #SCHEMA_VERSION}; the same on every row;
 *   <li>{@code group} (text): the group as the run named it ({@code smoke}, {@code matrix-16-16}, ...);
 *   <li>{@code metric} (text): a {@link Metric} key, bench_serving's name ({@code p99_ttft_ms});
 *   <li>{@code unit} (text): {@code ms}, {@code req/s}, {@code tok/s} or {@code 0..1} (informative);
 *   <li>{@code better} (text): {@code higher} or {@code lower} (informative; the metric decides);
 *   <li>{@code value} (decimal, in {@code unit}): the mean over the baseline's runs;
 *   <li>{@code runs} (integer): runs the baseline was taken from;
 *   <li>{@code run_min}, {@code run_max} (decimal, {@code unit}): the smallest and largest run value;
 *   <li>{@code run_sd} (decimal, {@code unit}): run-to-run standard deviation (ddof=1), 0 for one run;
 *   <li>{@code se} (decimal, {@code unit}): standard error of {@code value} (see {@link BaselineRow#se()}).
 * </ul>
 *
 * <h2>{@code <profile>.metadata.json}</h2>
 * One object: {@code schemaVersion} (integer, {@value #SCHEMA_VERSION}); {@code framework},
 * {@code profile}, {@code model}, {@code backend} (strings); {@code loadParameters} (object of strings,
 * the run's load parameters as {@code metadata.json} of a result records them: size, numPrompts,
 * maxConcurrency, requestRates, burstiness, seed, inputLen, outputLen, rangeRatio, ...);
 * {@code hardware} (object of strings: {@code cpu}, {@code cores}, {@code gpu}, and {@code server} when
 * the runs had a {@code -Dserver.hardware} label); {@code commit} (this project's git commit);
 * {@code timestampUtc} (ISO-8601, when the baseline was written); {@code reason} (why it was written,
 * never blank); {@code runs} (array of the run ids it was taken from);
 * {@code bootstrap} (object: {@code replicates}, {@code seed}); {@code csvSha256} (hex SHA-256 of the
 * CSV's bytes).
 *
 * <p>Writing is atomic per file (a temporary file in the same folder, renamed over the old one). The
 * CSV is renamed first and the metadata last; if something stops in between, the checksum no longer
 * matches and the reader refuses the pair instead of comparing against half an update.
 */
public final class BaselineFiles {
  /** Version of both files. */
  public static final int SCHEMA_VERSION = 1;

  static final List<String> COLUMNS = List.of("schema_version", "group", "metric", "unit", "better", "value", "runs",
      "run_min", "run_max", "run_sd", "se");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setHeader(COLUMNS.toArray(String[]::new))
      .setRecordSeparator("\n").get();
  private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

  private BaselineFiles() {}

  /** The CSV of a framework's profile under a baselines folder. */
  public static Path csv(Path dir, String framework, String profile) {
    return dir.resolve(safe(framework)).resolve(safe(profile) + ".csv");
  }

  /** The metadata file of a framework's profile under a baselines folder. */
  public static Path metadata(Path dir, String framework, String profile) {
    return dir.resolve(safe(framework)).resolve(safe(profile) + ".metadata.json");
  }

  /** Whether either file of the baseline exists. */
  public static boolean exists(Path dir, String framework, String profile) {
    return Files.exists(csv(dir, framework, profile)) || Files.exists(metadata(dir, framework, profile));
  }

  /**
   * Reads a baseline.
   *
   * @throws BaselineException {@code MISSING} when neither file exists; {@code CORRUPT} when one is
   *     missing, unreadable, of another schema version, or the pair does not match, naming the file,
   *     the line and what was expected
   */
  public static Baseline read(Path dir, String framework, String profile) throws BaselineException {
    Path csv = csv(dir, framework, profile);
    Path meta = metadata(dir, framework, profile);
    if (!Files.exists(csv) && !Files.exists(meta)) {
      throw new BaselineException(BaselineException.Kind.MISSING, "no baseline " + csv + " for framework '"
          + framework + "', profile '" + profile + "'");
    }
    Baseline b = readPair(csv, meta);
    BaselineMetadata metadata = b.metadata();
    if (!metadata.framework().equals(framework) || !metadata.profile().equals(profile)) {
      throw new BaselineException(BaselineException.Kind.CORRUPT, meta + " is for framework '" + metadata.framework()
          + "', profile '" + metadata.profile() + "', but lies where '" + framework + "', '" + profile + "' belongs");
    }
    return b;
  }

  /**
   * Reads the baseline of one CSV named on its own (the runbook's {@code BENCHMARK_BASELINE}, or
   * {@code -Dbaseline.file}): its metadata is the file beside it, {@link #metadataOf}. Where it lies
   * says nothing about its framework and profile; the comparison checks that the loads match.
   *
   * @throws BaselineException as {@link #read(Path, String, String)}
   */
  public static Baseline read(Path csv) throws BaselineException {
    Path meta = metadataOf(csv);
    if (!Files.exists(csv) && !Files.exists(meta)) {
      throw new BaselineException(BaselineException.Kind.MISSING, "no baseline " + csv);
    }
    return readPair(csv, meta);
  }

  /** The metadata file of a baseline CSV: {@code <name>.metadata.json} beside {@code <name>.csv}. */
  public static Path metadataOf(Path csv) {
    String name = csv.getFileName().toString();
    String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    return csv.resolveSibling(stem + ".metadata.json");
  }

  /** Reads a CSV and its metadata, checking that they belong together. */
  private static Baseline readPair(Path csv, Path meta) throws BaselineException {
    for (Path p : List.of(csv, meta)) {
      if (!Files.isRegularFile(p)) {
        throw new BaselineException(BaselineException.Kind.CORRUPT, "baseline file " + p + " is missing (its pair "
            + (p == csv ? meta : csv) + " exists); write both again with the update command");
      }
    }
    byte[] csvBytes;
    BaselineMetadata metadata;
    Path reading = csv;
    try {
      csvBytes = Files.readAllBytes(csv);
      reading = meta;
      metadata = readMetadata(meta);
    } catch (IOException e) {
      throw new BaselineException(BaselineException.Kind.CORRUPT, "cannot read baseline " + reading + ": "
          + e.getMessage(), e);
    }
    if (!metadata.csvSha256().equals(sha256(csvBytes))) {
      throw new BaselineException(BaselineException.Kind.CORRUPT, csv + " does not match " + meta
          + " (csvSha256 is " + metadata.csvSha256() + ", the file's is " + sha256(csvBytes)
          + "): edited by hand or an update stopped half-way; write it again with the update command");
    }
    List<BaselineRow> rows = readRows(csv, new String(csvBytes, StandardCharsets.UTF_8));
    try {
      return new Baseline(metadata, rows);
    } catch (IllegalArgumentException e) {
      throw corrupt(csv + ": " + e.getMessage());
    }
  }

  private static List<BaselineRow> readRows(Path csv, String text) throws BaselineException {
    List<BaselineRow> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), READ)) {
      if (!parser.getHeaderNames().equals(COLUMNS)) {
        throw corrupt(csv + ":1: the header must be " + String.join(",", COLUMNS) + ", but was "
            + String.join(",", parser.getHeaderNames()));
      }
      for (CSVRecord r : parser) {
        String where = csv + ":" + (r.getRecordNumber() + 1) + ": ";
        if (!r.isConsistent()) {
          throw corrupt(where + "expected " + COLUMNS.size() + " columns, but the row has " + r.size());
        }
        int version = integer(where, r, "schema_version");
        if (version != SCHEMA_VERSION) {
          throw corrupt(where + "schema_version is " + version + "; this tool reads " + SCHEMA_VERSION);
        }
        String key = r.get("metric");
        Metric metric = Metric.byKey(key).orElseThrow(() -> corrupt(where + "unknown metric \"" + key
            + "\"; expected one of " + Arrays.stream(Metric.values()).map(Metric::key).toList()));
        try {
          rows.add(new BaselineRow(r.get("group"), metric, decimal(where, r, "value"), integer(where, r, "runs"),
              decimal(where, r, "run_min"), decimal(where, r, "run_max"), decimal(where, r, "run_sd"),
              decimal(where, r, "se")));
        } catch (IllegalArgumentException e) {
          throw corrupt(where + e.getMessage());
        }
      }
    } catch (IOException | IllegalStateException | UncheckedIOException e) {
      throw corrupt(csv + " is not valid CSV: " + e.getMessage());
    }
    if (rows.isEmpty()) {
      throw corrupt(csv + " has no rows");
    }
    return rows;
  }

  private static BaselineMetadata readMetadata(Path meta) throws IOException, BaselineException {
    JsonNode n;
    try {
      n = JSON.readTree(meta.toFile());
    } catch (JsonProcessingException e) {
      throw corrupt(meta + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw corrupt(meta + " must hold a JSON object");
    }
    JsonNode version = n.get("schemaVersion");
    if (version == null || !version.canConvertToInt()) {
      throw corrupt(meta + " has no integer schemaVersion; this tool reads " + SCHEMA_VERSION);
    }
    if (version.asInt() != SCHEMA_VERSION) {
      throw corrupt(meta + " has schemaVersion " + version.asInt() + "; this tool reads " + SCHEMA_VERSION);
    }
    List<String> runs = new ArrayList<>();
    JsonNode runsNode = n.get("runs");
    if (runsNode == null || !runsNode.isArray()) {
      throw corrupt(meta + ": field 'runs' must be an array of run ids");
    }
    runsNode.forEach(r -> runs.add(r.asText()));
    JsonNode bootstrap = n.path("bootstrap");
    try {
      return new BaselineMetadata(version.asInt(), text(meta, n, "framework"), text(meta, n, "profile"),
          text(meta, n, "model"), text(meta, n, "backend"), strings(meta, n, "loadParameters"),
          strings(meta, n, "hardware"), text(meta, n, "commit"), text(meta, n, "timestampUtc"),
          text(meta, n, "reason"), runs, bootstrap.path("replicates").asInt(0), bootstrap.path("seed").asLong(0),
          text(meta, n, "csvSha256"));
    } catch (IllegalArgumentException e) {
      throw corrupt(meta + ": " + e.getMessage());
    }
  }

  /**
   * Writes a baseline, each file atomically (see the class comment), replacing an earlier one.
   *
   * @return the CSV's path
   */
  public static Path write(Path dir, Baseline baseline) throws IOException {
    BaselineMetadata m = baseline.metadata();
    Path csv = csv(dir, m.framework(), m.profile());
    Path meta = metadata(dir, m.framework(), m.profile());
    Files.createDirectories(csv.getParent());
    StringWriter text = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(text, WRITE)) {
      for (BaselineRow r : baseline.rows()) {
        printer.printRecord(SCHEMA_VERSION, r.group(), r.metric().key(), r.metric().unit(),
            r.metric().direction().word(), number(r.value()), r.runs(), number(r.runMin()), number(r.runMax()),
            number(r.runSd()), number(r.se()));
      }
    }
    byte[] csvBytes = text.toString().getBytes(StandardCharsets.UTF_8);
    ObjectNode json = toJson(m.withCsvSha256(sha256(csvBytes)));
    byte[] metaBytes = (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
    Path csvTemp = TempSibling.file(csv.getParent(), "." + csv.getFileName(), ".tmp");
    Path metaTemp = TempSibling.file(csv.getParent(), "." + meta.getFileName(), ".tmp");
    try {
      Files.write(csvTemp, csvBytes);
      Files.write(metaTemp, metaBytes);
      Files.move(csvTemp, csv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.move(metaTemp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(csvTemp);
      Files.deleteIfExists(metaTemp);
    }
    return csv;
  }

  private static ObjectNode toJson(BaselineMetadata m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("schemaVersion", m.schemaVersion());
    n.put("framework", m.framework());
    n.put("profile", m.profile());
    n.put("model", m.model());
    n.put("backend", m.backend());
    ObjectNode params = n.putObject("loadParameters");
    m.loadParameters().forEach(params::put);
    ObjectNode hw = n.putObject("hardware");
    m.hardware().forEach(hw::put);
    n.put("commit", m.commit());
    n.put("timestampUtc", m.timestampUtc());
    n.put("reason", m.reason());
    ArrayNode runs = n.putArray("runs");
    m.runs().forEach(runs::add);
    ObjectNode bootstrap = n.putObject("bootstrap");
    bootstrap.put("replicates", m.replicates());
    bootstrap.put("seed", m.seed());
    n.put("csvSha256", m.csvSha256());
    return n;
  }

  /** As every report writes numbers; NaN and infinities (which a report never shows) as Java spells them. */
  static String number(double v) {
    return Double.isFinite(v) ? Numbers.decimal(v) : Double.toString(v);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String safe(String label) {
    if (!label.matches("[A-Za-z0-9][A-Za-z0-9._@=-]*")) {
      throw new IllegalArgumentException("a baseline name must be letters, digits, '.', '_', '-', '@', '=' (not "
          + "starting with '.'), but was \"" + label + "\"");
    }
    return label;
  }

  private static BaselineException corrupt(String message) {
    return new BaselineException(BaselineException.Kind.CORRUPT, message);
  }

  private static int integer(String where, CSVRecord r, String column) throws BaselineException {
    try {
      return Integer.parseInt(r.get(column).trim());
    } catch (NumberFormatException e) {
      throw corrupt(where + "column " + column + " must be an integer, got \"" + r.get(column) + "\"");
    }
  }

  private static double decimal(String where, CSVRecord r, String column) throws BaselineException {
    try {
      double v = Double.parseDouble(r.get(column).trim());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw corrupt(where + "column " + column + " must be a finite number, got \"" + r.get(column) + "\"");
    }
  }

  private static String text(Path meta, JsonNode n, String field) throws BaselineException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw corrupt(meta + ": field '" + field + "' must be a string, but was " + (v == null ? "missing" : v));
    }
    return v.asText();
  }

  private static TreeMap<String, String> strings(Path meta, JsonNode n, String field) throws BaselineException {
    JsonNode v = n.get(field);
    if (v == null || !v.isObject()) {
      throw corrupt(meta + ": field '" + field + "' must be an object of strings, but was "
          + (v == null ? "missing" : v));
    }
    TreeMap<String, String> map = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
    }
    return map;
  }
}
