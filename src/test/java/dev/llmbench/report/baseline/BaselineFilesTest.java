package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.PosixModes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline files: round trip, atomic replacement with the reason, and every way a file can be wrong. */
class BaselineFilesTest {
  private static final Thresholds T = Thresholds.DEFAULTS;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path csv() {
    return BaselineFiles.csv(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE);
  }

  private Path meta() {
    return BaselineFiles.metadata(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE);
  }

  private Baseline written() throws Exception {
    Baseline b = SyntheticRun.baselineOf(T, SyntheticRun.calm(1), SyntheticRun.calm(2));
    BaselineFiles.write(dir, b);
    return b;
  }

  private BaselineException unreadable() {
    return assertThrows(BaselineException.class,
        () -> BaselineFiles.read(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE));
  }

  /** Edits the CSV and makes the metadata's checksum match, to reach the CSV's own checks. */
  private void editCsv(String from, String to) throws IOException {
    String text = Files.readString(csv()).replaceFirst(from, to);
    Files.writeString(csv(), text);
    ObjectNode m = (ObjectNode) JSON.readTree(meta().toFile());
    m.put("csvSha256", BaselineFiles.sha256(text.getBytes(StandardCharsets.UTF_8)));
    JSON.writeValue(meta().toFile(), m);
  }

  @Test
  void roundTrip() throws Exception {
    Baseline b = written();
    Baseline read = BaselineFiles.read(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE);
    assertEquals(b.rows().size(), read.rows().size());
    for (int i = 0; i < b.rows().size(); i++) {
      BaselineRow w = b.rows().get(i);
      BaselineRow r = read.rows().get(i);
      assertEquals(w.metric(), r.metric());
      assertEquals(w.value(), r.value(), 1e-6, w.metric().key());
      assertEquals(w.runSd(), r.runSd(), 1e-6);
      assertEquals(w.se(), r.se(), 1e-6);
    }
    assertEquals("test baseline", read.metadata().reason());
    assertEquals(List.of("run-1", "run-2"), read.metadata().runs());
    assertEquals(b.metadata().loadParameters(), read.metadata().loadParameters());
    assertEquals("cpu-a", read.metadata().hardware().get("cpu"));
    assertTrue(Files.readAllLines(csv()).get(0).startsWith("schema_version,group,metric"));
  }

  @Test
  void anUpdateReplacesBothFilesAtomicallyAndRecordsItsReason() throws Exception {
    written();
    Baseline second = Baselines.create(List.of(SyntheticRun.calm(3).scaled(2).baselineRun()), "faster kernels",
        Instant.parse("2026-02-01T00:00:00Z"), T);
    String said = BaselineUpdate.write(dir, List.of(SyntheticRun.calm(3).scaled(2).baselineRun()), "faster kernels",
        Instant.parse("2026-02-01T00:00:00Z"), T);
    assertTrue(said.contains("replaces the baseline of 2026-01-02T00:00:00Z") && said.contains("test baseline"), said);
    Baseline read = BaselineFiles.read(dir, SyntheticRun.FRAMEWORK, SyntheticRun.PROFILE);
    assertEquals("faster kernels", read.metadata().reason());
    assertEquals("2026-02-01T00:00:00Z", read.metadata().timestampUtc());
    assertEquals(second.rows().get(0).value(), read.rows().get(0).value(), 1e-6);
    try (Stream<Path> files = Files.list(csv().getParent())) {
      assertEquals(List.of(csv().getFileName().toString(), meta().getFileName().toString()),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
    }
  }

  @Test
  void bothFilesGetTheUmasksModeNotOwnerOnly() throws Exception {
    written();
    PosixModes.assertAsUmask(csv());
    PosixModes.assertAsUmask(meta());
  }

  @Test
  void aMissingBaselineSaysSo() {
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.MISSING, e.kind());
    assertTrue(e.getMessage().contains(csv().toString()), e.getMessage());
  }

  @Test
  void halfAPairIsRefused() throws Exception {
    written();
    Files.delete(meta());
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().contains(meta() + " is missing"), e.getMessage());
  }

  @Test
  void anUnknownSchemaVersionNamesBothVersions() throws Exception {
    written();
    ObjectNode m = (ObjectNode) JSON.readTree(meta().toFile());
    m.put("schemaVersion", BaselineFiles.SCHEMA_VERSION + 1);
    JSON.writeValue(meta().toFile(), m);
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.CORRUPT, e.kind());
    assertEquals(meta() + " has schemaVersion " + (BaselineFiles.SCHEMA_VERSION + 1) + "; this tool reads "
        + BaselineFiles.SCHEMA_VERSION, e.getMessage());
  }

  @Test
  void anUnknownCsvSchemaVersionNamesTheLineAndBothVersions() throws Exception {
    written();
    editCsv("\n1,", "\n" + (BaselineFiles.SCHEMA_VERSION + 1) + ",");
    BaselineException e = unreadable();
    assertEquals(csv() + ":2: schema_version is " + (BaselineFiles.SCHEMA_VERSION + 1) + "; this tool reads "
        + BaselineFiles.SCHEMA_VERSION, e.getMessage());
  }

  @Test
  void aBadNumberNamesTheLineTheColumnAndTheValue() throws Exception {
    written();
    editCsv(",mean_ttft_ms,ms,lower,[^,]+,", ",mean_ttft_ms,ms,lower,abc,");
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(csv().toString())
        + ":\\d+: column value must be a finite number, got \"abc\""), e.getMessage());
  }

  @Test
  void anUnknownMetricIsRefused() throws Exception {
    written();
    editCsv(",mean_ttft_ms,", ",mean_ttft_seconds,");
    BaselineException e = unreadable();
    assertTrue(e.getMessage().contains("unknown metric \"mean_ttft_seconds\""), e.getMessage());
  }

  @Test
  void aHandEditedCsvNoLongerMatchesItsMetadata() throws Exception {
    written();
    // One known cell changes: the mean TTFT's value, plus one.
    List<String> lines = new ArrayList<>(Files.readAllLines(csv()));
    int line = lines.indexOf(lines.stream().filter(l -> l.contains("," + Metric.MEAN_TTFT.key() + ",")).findFirst()
        .orElseThrow());
    String[] cells = lines.get(line).split(",", -1);
    int value = BaselineFiles.COLUMNS.indexOf("value");
    String before = cells[value];
    cells[value] = BaselineFiles.number(Double.parseDouble(before) + 1);
    assertNotEquals(before, cells[value]);
    lines.set(line, String.join(",", cells));
    Files.writeString(csv(), String.join("\n", lines) + "\n");
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().contains("does not match") && e.getMessage().contains("csvSha256"), e.getMessage());
  }

  @Test
  void aCsvThatCannotBeReadIsNamedNotItsMetadata() throws Exception {
    written();
    // Permissions stop every user but root: as root the file stays readable and there is nothing to see.
    assumeTrue(csv().toFile().setReadable(false, false) && !Files.isReadable(csv()), "running as root");
    try {
      BaselineException e = unreadable();
      assertEquals(BaselineException.Kind.CORRUPT, e.kind());
      assertTrue(e.getMessage().startsWith("cannot read baseline " + csv() + ": "), e.getMessage());
    } finally {
      csv().toFile().setReadable(true, false);
    }
  }

  @Test
  void metadataThatIsNotJsonIsRefused() throws Exception {
    written();
    Files.writeString(meta(), "{ not json");
    BaselineException e = unreadable();
    assertEquals(BaselineException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().startsWith(meta() + " is not valid JSON"), e.getMessage());
  }
}
