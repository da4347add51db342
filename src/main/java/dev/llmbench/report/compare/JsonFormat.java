package dev.llmbench.report.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.llmbench.io.Numbers;
import dev.llmbench.report.compare.FrameworkComparison.GroupTable;
import dev.llmbench.report.compare.FrameworkComparison.Row;
import dev.llmbench.report.compare.FrameworkComparison.Run;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;

/**
 * {@code comparison-<ts>.json} (seed 001's {@code summary/comparison-<timestamp>.json}):
 *
 * <pre>
 * {
 *   "schemaVersion" : 1, "createdAt" : ISO-8601 UTC, "reference" : the reference's label,
 *   "runs" : [ { "label", "framework", "folder", "runId", "profile", "model", "backend", "startedAt",
 *                "serverHardware", "serverVersion" ("" when unknown), "validity" (null when unknown), "partial",
 *                "memory" : { "modelGiB", "kvCacheGiB", "kvCacheTokens", "vramPeakMiB" }  each null when not known,
 *                "usdPerHour" (null when not priced) }, ... in the order given ],
 *   "differences" : [ what breaks apples to apples, one line each ],
 *   "missingGroups" : [ a group some result lacks, one line each ],
 *   "groups" : [ { "group",
 *     "metrics" : [ { "metric" (the summary.json key), "unit", "better" : "higher" | "lower",
 *                     "values" : { label : value or null }, "best" : [ labels ],
 *                     "ratioToReference" : { label : value / reference's, or null } }, ... ],
 *     "costPerMillionOutputTokens" : { label : USD or null }   only when a price was given
 *   }, ... ]
 * }
 * </pre>
 *
 * Numbers with {@link Numbers#decimal} (Locale.ROOT, at most six decimals); line ends {@code \n}.
 */
final class JsonFormat {
  private static final JsonFactory FACTORY = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
      .withObjectIndenter(new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n"));
  static final int SCHEMA_VERSION = 1;

  private JsonFormat() {}

  static void write(FrameworkComparison c, Writer out) throws IOException {
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(PRINTER);
      gen.writeStartObject();
      gen.writeNumberField("schemaVersion", SCHEMA_VERSION);
      gen.writeStringField("createdAt", c.createdAt());
      gen.writeStringField("reference", c.referenceRun().label());
      gen.writeArrayFieldStart("runs");
      for (Run r : c.runs()) {
        run(gen, r);
      }
      gen.writeEndArray();
      strings(gen, "differences", c.differences());
      strings(gen, "missingGroups", c.missingGroups());
      gen.writeArrayFieldStart("groups");
      for (GroupTable t : c.groups()) {
        gen.writeStartObject();
        gen.writeStringField("group", t.group());
        gen.writeArrayFieldStart("metrics");
        for (Row row : t.rows()) {
          gen.writeStartObject();
          gen.writeStringField("metric", row.metric().key());
          gen.writeStringField("unit", row.metric().unit());
          gen.writeStringField("better", row.metric().higherIsBetter() ? "higher" : "lower");
          byLabel(gen, "values", c, row.values());
          best(gen, c, row.best());
          byLabel(gen, "ratioToReference", c, row.ratios());
          gen.writeEndObject();
        }
        gen.writeEndArray();
        if (t.hasCost()) {
          byLabel(gen, "costPerMillionOutputTokens", c, t.costPerMillionOutputTokens());
        }
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void run(JsonGenerator gen, Run r) throws IOException {
    var m = r.result().metadata();
    gen.writeStartObject();
    gen.writeStringField("label", r.label());
    gen.writeStringField("framework", r.result().framework());
    gen.writeStringField("folder", r.result().folder().toString());
    gen.writeStringField("runId", m.runId());
    gen.writeStringField("profile", m.profile());
    gen.writeStringField("model", m.model());
    gen.writeStringField("backend", m.backend());
    gen.writeStringField("startedAt", m.startedAt());
    gen.writeStringField("serverHardware", m.serverHardware());
    gen.writeStringField("serverVersion", m.serverVersion());
    gen.writeStringField("validity", r.result().validity());
    gen.writeBooleanField("partial", r.result().partial());
    gen.writeObjectFieldStart("memory");
    var mem = r.result().memory();
    number(gen, "modelGiB", mem == null ? null : mem.modelGiB());
    number(gen, "kvCacheGiB", mem == null ? null : mem.kvCacheGiB());
    if (mem == null || mem.kvCacheTokens() == null) {
      gen.writeNullField("kvCacheTokens");
    } else {
      gen.writeNumberField("kvCacheTokens", mem.kvCacheTokens());
    }
    number(gen, "vramPeakMiB", r.result().vramPeakMiB());
    gen.writeEndObject();
    number(gen, "usdPerHour", r.usdPerHour());
    gen.writeEndObject();
  }

  private static void byLabel(JsonGenerator gen, String name, FrameworkComparison c, List<Double> values)
      throws IOException {
    gen.writeObjectFieldStart(name);
    for (int i = 0; i < values.size(); i++) {
      number(gen, c.runs().get(i).label(), values.get(i));
    }
    gen.writeEndObject();
  }

  private static void best(JsonGenerator gen, FrameworkComparison c, Set<Integer> best) throws IOException {
    gen.writeArrayFieldStart("best");
    for (int i = 0; i < c.runs().size(); i++) {
      if (best.contains(i)) {
        gen.writeString(c.runs().get(i).label());
      }
    }
    gen.writeEndArray();
  }

  private static void strings(JsonGenerator gen, String name, List<String> lines) throws IOException {
    gen.writeArrayFieldStart(name);
    for (String s : lines) {
      gen.writeString(s);
    }
    gen.writeEndArray();
  }

  private static void number(JsonGenerator gen, String name, Double v) throws IOException {
    if (v == null || v.isNaN() || v.isInfinite()) {
      gen.writeNullField(name);
    } else {
      gen.writeFieldName(name);
      gen.writeNumber(Numbers.decimal(v));
    }
  }
}
