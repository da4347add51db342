package dev.llmbench.report.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.SummaryIndex;
import dev.llmbench.report.baseline.Status;
import dev.llmbench.report.input.CapacityFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one result folder into history rows. Tolerant of older formats: a field the folder does not
 * have is an empty cell. Only an unreadable or invalid {@code summary.json} makes the folder corrupt.
 */
final class ResultReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** {@code <profile>-<yyyyMMdd-HHmmss>[-N]}, as ResultFolder names them. */
  static final Pattern NAME = Pattern.compile("(.+)-(\\d{8}-\\d{6})(?:-\\d+)?");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private ResultReader() {}

  /** A folder whose summary cannot be read: skipped, named in one line. */
  static final class Corrupt extends Exception {
    Corrupt(String message) {
      super(message);
    }
  }

  /** The rows of one folder and its entry. */
  record Read(ResultEntry entry, List<HistoryRow> rows) {}

  /** The folder name's timestamp (UTC), if it has one. */
  static Optional<Instant> folderStamp(Path folder) {
    Matcher m = NAME.matcher(folder.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(m.group(2), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Read read(String framework, Path folder) throws Corrupt {
    JsonNode summary;
    try {
      summary = MAPPER.readTree(folder.resolve("summary.json").toFile());
    } catch (IOException e) {
      throw new Corrupt(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
    }
    if (summary == null || !summary.isObject()) {
      throw new Corrupt("summary.json is not a JSON object");
    }
    JsonNode meta = summary.path("metadata");
    Matcher name = NAME.matcher(folder.getFileName().toString());
    String profile = text(meta, "profile");
    if (profile.isEmpty()) {
      profile = name.matches() ? name.group(1) : folder.getFileName().toString();
    }
    Instant date = startedAt(meta).or(() -> folderStamp(folder))
        .orElseThrow(() -> new Corrupt("no metadata.startedAt and no timestamp in the folder's name"));
    // metadata.json and comparison.json are optional: an older folder, or one never compared.
    JsonNode machine = optionalJson(folder.resolve("metadata.json"));
    JsonNode comparison = optionalJson(folder.resolve("comparison.json"));
    Map<String, String> worstByGroup = worstStatusByGroup(comparison);
    String verdict = comparison.has("verdict") ? text(comparison, "verdict") : text(comparison, "status");
    String validity = summary.path("validity").path("verdict").asText("");

    Map<String, String> common = new LinkedHashMap<>();
    common.put("result_folder", folder.getFileName().toString());
    common.put("commit", text(machine, "gitCommit"));
    common.put("framework_version", text(meta, "serverVersion"));
    common.put("backend", text(meta, "backend"));
    common.put("model", text(meta, "model"));
    String hardware = text(meta, "serverHardware");
    common.put("server_hardware", hardware.isEmpty() ? machine.path("run").path("serverHardware").asText("") : hardware);
    JsonNode p = meta.path("parameters");
    common.put("num_prompts", text(p, "numPrompts"));
    common.put("max_concurrency", text(p, "maxConcurrency"));
    common.put("request_rate", rates(text(p, "requestRates")));
    common.put("input_len", text(p, "inputLen"));
    common.put("output_len", text(p, "outputLen"));
    // summary.json has "capacity" since the search wrote it there; older results have only capacity.json.
    common.put(HistoryCsv.CAPACITY_SEARCH, Boolean.toString(summary.hasNonNull("capacity")
        || Files.isRegularFile(folder.resolve(CapacityFile.FILE_NAME))));

    JsonNode server = summary.path("server");
    JsonNode memory = summary.path("serverMemory");
    List<HistoryRow> rows = new ArrayList<>();
    for (JsonNode g : summary.path("groups")) {
      String group = text(g, "group");
      Map<String, String> cells = new LinkedHashMap<>(common);
      cells.put("group", group);
      JsonNode pooling = MAPPER.missingNode();
      for (JsonNode row : summary.path("poolingTable")) {
        if (text(row, "group").equals(group)) {
          pooling = row;
        }
      }
      JsonNode offline = MAPPER.missingNode();
      for (JsonNode row : summary.path("offline")) {
        if (text(row, "group").equals(group)) {
          offline = row;
        }
      }
      cells.put("batch", offline.isMissingNode() ? text(pooling, "batch") : text(offline, "batch_size"));
      cells.put("labels", text(pooling, "labels"));
      for (String f : HistoryCsv.OFFLINE) {
        cells.put(f, number(offline, f));
      }
      boolean poolingGroup = g.has("total_items");
      for (String f : SummaryIndex.HEADLINE_FIELDS) {
        // A pooling group streams no tokens: its token figures are empty, not 0 (as in the summary index).
        cells.put(f, poolingGroup && SummaryIndex.TOKEN_FIELDS.contains(f) ? "" : number(g, f));
      }
      cells.put("model_memory_gib", number(memory, "modelGiB"));
      cells.put("kv_cache_gib", number(memory, "kvCacheGiB"));
      cells.put("kv_cache_tokens", number(memory, "kvCacheTokens"));
      cells.put("vram_peak_mib", number(server, "vramPeakMiB"));
      cells.put("kv_cache_usage_peak", number(server, "kvCacheUsagePeak"));
      cells.put("validity", validity);
      cells.put("baseline_verdict", verdict);
      cells.put("baseline_group_status", worstByGroup.getOrDefault(group, ""));
      rows.add(new HistoryRow(date, framework, profile, folder.getFileName().toString(), group, cells));
    }
    return new Read(new ResultEntry(framework, profile, folder, date, validity, verdict), rows);
  }

  private static Optional<Instant> startedAt(JsonNode meta) {
    String s = text(meta, "startedAt");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // an odd date is no reason to lose the run: the folder's name has one
    }
  }

  /** The worst status per group (REGRESSION worst, in the order of {@link Status}). */
  private static Map<String, String> worstStatusByGroup(JsonNode comparison) {
    Map<String, Status> labels = new HashMap<>();
    for (Status s : Status.values()) {
      labels.put(s.label(), s);
    }
    Map<String, Status> worst = new HashMap<>();
    for (JsonNode m : comparison.path("metrics")) {
      Status s = labels.get(text(m, "status"));
      if (s != null) {
        worst.merge(text(m, "group"), s, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
    }
    Map<String, String> out = new HashMap<>();
    worst.forEach((g, s) -> out.put(g, s.label()));
    return out;
  }

  /** {@code ["inf","4"]} (a JSON list in a string) as {@code inf;4}; any other text as it is. */
  private static String rates(String raw) {
    if (raw.startsWith("[")) {
      try {
        List<String> out = new ArrayList<>();
        for (JsonNode r : MAPPER.readTree(raw)) {
          out.add(r.asText());
        }
        return String.join(";", out);
      } catch (IOException e) {
        return raw;
      }
    }
    return raw;
  }

  private static JsonNode optionalJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode n = MAPPER.readTree(file.toFile());
      return n == null ? MAPPER.createObjectNode() : n;
    } catch (IOException e) {
      // A side file that cannot be read costs its columns, not the run.
      return MAPPER.createObjectNode();
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  private static String number(JsonNode n, String field) {
    JsonNode v = n.path(field);
    // Plain digits: a small figure read back as a double would print as 9.77E-4.
    return v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : "";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
