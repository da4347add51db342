package dev.llmbench.report.input;

import static org.junit.jupiter.api.Assertions.*;

import io.gatling.core.stats.writer.StringInternals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader on small hand-built logs: each record type, the dictionary, both string coders, damage. */
class SimulationLogReaderTest {
  private static final long START = 1_700_000_000_000L;

  private static LogBytes header() {
    return new LogBytes().runHeader("3.15.1", "simulations.SmokeSimulation", START, "", List.of("llm", "other"));
  }

  private static SimulationLogReader.Result read(byte[] log, Recorder recorder) throws IOException {
    return SimulationLogReader.read(Channels.newChannel(new ByteArrayInputStream(log)), "test.log", recorder);
  }

  private static List<Object> records(byte[] log) throws IOException {
    Recorder r = new Recorder();
    read(log, r).requireComplete();
    return r.records;
  }

  @Test
  void runHeaderHasEveryField() throws IOException {
    byte[] log = new LogBytes().u8(0).latin1("3.15.1").latin1("a.B").i64(START).latin1("nightly")
        .i32(2).latin1("s0").latin1("s1").i32(1).i32(3).raw(new byte[] {7, 8, 9}).toByteArray();
    Recorder r = new Recorder();
    SimulationLogReader.Result result = read(log, r);
    RunHeader h = (RunHeader) r.records.get(0);
    assertEquals("3.15.1", h.gatlingVersion());
    assertEquals("a.B", h.simulationClassName());
    assertEquals(START, h.startEpochMillis());
    assertEquals("nightly", h.runDescription());
    assertEquals(List.of("s0", "s1"), h.scenarios());
    assertArrayEquals(new byte[] {7, 8, 9}, h.assertions().get(0));
    assertEquals(new SimulationLogReader.Result(h, 1, log.length, false, ""), result);
  }

  @Test
  void matchesTheAnnotatedHexdumpOfARealLog() throws IOException {
    // The start of a real 3.15.1 log (docs: /tmp/research, section 5), start time replaced.
    String hex = "00" + "00000006" + "332e31352e31" + "00" + "0000000c" + "64656d6f2e44656d6f53696d" + "00"
        + "0000019a00000000" + "00000000" + "00000001" + "00000003" + "6c6c6d" + "00" + "00000000"
        + "02" + "00000000" + "01" + "00000141"
        + "01" + "00000001" + "00000001" + "00000002" + "6731" + "00" + "00000002" + "00000004" + "54544654" + "00"
        + "00000151" + "00000261" + "01" + "00000003" + "00000000";
    List<Object> rs = records(HexFormat.of().parseHex(hex));
    RunHeader h = (RunHeader) rs.get(0);
    assertEquals("demo.DemoSim", h.simulationClassName());
    assertEquals(List.of("llm"), h.scenarios());
    assertEquals(new UserRecord("llm", true, h.startEpochMillis() + 0x141), rs.get(1));
    assertEquals(new RequestRecord(List.of("g1"), "TTFT", h.startEpochMillis() + 0x151, h.startEpochMillis() + 0x261,
        true, ""), rs.get(2));
  }

  @Test
  void requestRecord() throws IOException {
    byte[] log = header().u8(1).i32(2).i32(1).latin1("outer").i32(2).latin1("inner").i32(3).latin1("E2E")
        .i32(100).i32(350).u8(0).i32(4).latin1("HTTP 500").toByteArray();
    RequestRecord r = (RequestRecord) records(log).get(1);
    assertEquals(new RequestRecord(List.of("outer", "inner"), "E2E", START + 100, START + 350, false, "HTTP 500"), r);
    assertEquals(250, r.responseTimeMillis());
  }

  @Test
  void requestWithoutGroupHasNegativeTimes() throws IOException {
    byte[] log = header().request(List.of(), "TTFT", -5, 0, true, "").toByteArray();
    assertEquals(new RequestRecord(List.of(), "TTFT", START - 5, START, true, ""), records(log).get(1));
  }

  @Test
  void userRecords() throws IOException {
    byte[] log = header().u8(2).i32(1).u8(1).i32(10).u8(2).i32(0).u8(0).i32(2_000_000).toByteArray();
    List<Object> rs = records(log);
    assertEquals(new UserRecord("other", true, START + 10), rs.get(1));
    assertEquals(new UserRecord("llm", false, START + 2_000_000), rs.get(2));
  }

  @Test
  void groupRecord() throws IOException {
    byte[] log = header().u8(3).i32(1).i32(1).latin1("random-256-256@rate=2").i32(5).i32(905).i32(640).u8(1)
        .toByteArray();
    GroupRecord g = (GroupRecord) records(log).get(1);
    assertEquals(new GroupRecord(List.of("random-256-256@rate=2"), START + 5, START + 905, 640, true), g);
    assertEquals(900, g.durationMillis());
  }

  @Test
  void errorRecord() throws IOException {
    byte[] log = header().u8(4).i32(1).latin1("Failed to build request: No attribute named 'x'").i32(77).toByteArray();
    assertEquals(new ErrorRecord("Failed to build request: No attribute named 'x'", START + 77), records(log).get(1));
  }

  @Test
  void dictionaryIsSharedByGroupsNamesAndMessages() throws IOException {
    // Entry 1 = "x" as a group, then used as a name (-1) and a message (-1); entry 2 = "" as a message.
    byte[] log = header().u8(1).i32(1).i32(1).latin1("x").i32(-1).i32(0).i32(1).u8(1).i32(2).i32(0)
        .u8(1).i32(0).i32(-1).i32(2).i32(3).u8(0).i32(-1)
        .u8(4).i32(-2).i32(9).toByteArray();
    List<Object> rs = records(log);
    assertEquals(new RequestRecord(List.of("x"), "x", START, START + 1, true, ""), rs.get(1));
    assertEquals(new RequestRecord(List.of(), "x", START + 2, START + 3, false, "x"), rs.get(2));
    assertEquals(new ErrorRecord("", START + 9), rs.get(3));
  }

  @Test
  void dictionaryReferenceToAMissingEntryIsDamage() throws IOException {
    LogBytes b = header().request(List.of(), "TTFT", 0, 1, true, "");
    int recordStart = b.size();
    byte[] log = b.u8(1).i32(0).i32(-7).i32(0).i32(1).u8(1).i32(-2).toByteArray();
    Recorder r = new Recorder();
    SimulationLogReader.Result result = read(log, r);
    assertTrue(result.partial());
    assertEquals(2, result.records());
    assertEquals(recordStart, result.bytesRead());
    assertTrue(result.stopReason().contains("string dictionary reference -7, but the dictionary has entries 1 to 2"),
        result.stopReason());
    assertTrue(result.stopReason().contains("byte offset " + (recordStart + 5)), result.stopReason());
  }

  @Test
  void newDictionaryEntryOutOfSequenceIsDamage() throws IOException {
    byte[] log = header().u8(1).i32(0).i32(5).latin1("E2E").i32(0).i32(1).u8(1).i32(0).toByteArray();
    SimulationLogReader.Result result = read(log, new Recorder());
    assertTrue(result.stopReason().contains("new string dictionary entry 5, expected entry 1"), result.stopReason());
  }

  @Test
  void bothStringCoders() throws IOException {
    byte[] log = header().u8(4).i32(1).latin1("café, 5 µs").i32(0).u8(4).i32(2).utf16("日本語 🚀 ok").i32(0)
        .u8(4).i32(3).utf16("plain ascii as UTF-16").i32(0).toByteArray();
    List<Object> rs = records(log);
    assertEquals("café, 5 µs", ((ErrorRecord) rs.get(1)).message());
    assertEquals("日本語 🚀 ok", ((ErrorRecord) rs.get(2)).message());
    assertEquals("plain ascii as UTF-16", ((ErrorRecord) rs.get(3)).message());
  }

  /** Strings as Gatling's writer takes them from the JDK (its StringInternals), both coders. */
  @Test
  void stringsAsTheJdkStoresThem() throws IOException {
    LogBytes b = header();
    List<String> strings = List.of("E2E", "café", "日本語 🚀", "HTTP 500: ✗ emulated");
    for (int i = 0; i < strings.size(); i++) {
      String s = strings.get(i);
      byte[] value = StringInternals.value(s);
      b.u8(4).i32(i + 1).i32(value.length).raw(value).u8(StringInternals.coder(s)).i32(i);
    }
    List<Object> rs = records(b.toByteArray());
    for (int i = 0; i < strings.size(); i++) {
      assertEquals(strings.get(i), ((ErrorRecord) rs.get(i + 1)).message());
    }
    assertEquals(1, StringInternals.coder("日本語 🚀"), "the JDK stores it as UTF-16");
    // And our test writer's UTF-16 bytes are what Gatling's own reader decodes.
    byte[] ours = new LogBytes().utf16("日本語 🚀").toByteArray();
    assertEquals("日本語 🚀", StringInternals.newString(Arrays.copyOfRange(ours, 4, ours.length - 1), (byte) 1));
  }

  @Test
  void unknownCoderIsDamage() throws IOException {
    byte[] log = header().u8(4).i32(1).i32(2).raw(new byte[] {65, 66}).u8(2).i32(0).toByteArray();
    SimulationLogReader.Result result = read(log, new Recorder());
    assertTrue(result.partial());
    assertTrue(result.stopReason().contains("string coder byte is 2 after 2 bytes"), result.stopReason());
  }

  @Test
  void stringsLongerThanTheBuffer() throws IOException {
    char[] chars = new char[300_000];
    Random random = new Random(42);
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    String latin = new String(chars);
    String utf = "é€" + latin;
    byte[] log = header().error(latin, 1).error(utf, 2).error(latin, 3).toByteArray();
    List<Object> rs = records(log);
    assertEquals(latin, ((ErrorRecord) rs.get(1)).message());
    assertEquals(utf, ((ErrorRecord) rs.get(2)).message());
    assertSame(((ErrorRecord) rs.get(1)).message(), ((ErrorRecord) rs.get(3)).message());
  }

  @Test
  void anotherGatlingVersionIsRefusedNamingBoth() {
    byte[] log = new LogBytes().runHeader("3.14.3", "a.B", START, "", List.of("s")).toByteArray();
    SimulationLogException e = assertThrows(SimulationLogException.class, () -> read(log, new Recorder()));
    assertEquals("The log file test.log was generated with Gatling 3.14.3 and can't be parsed with this tool,"
        + " which reads Gatling 3.15.1", e.getMessage());
  }

  @Test
  void notALog() {
    SimulationLogException e = assertThrows(SimulationLogException.class,
        () -> read("{\"a\":1}".getBytes(), new Recorder()));
    assertEquals("test.log is not a Gatling 3.15.1 simulation.log: it starts with byte 0x7b where a run header"
        + " (0x00) must be", e.getMessage());
    e = assertThrows(SimulationLogException.class, () -> read(new byte[0], new Recorder()));
    assertTrue(e.getMessage().startsWith("test.log is empty"), e.getMessage());
  }

  @Test
  void unknownRecordTypeStopsNamingTypeAndOffset() throws IOException {
    LogBytes b = header().user(0, true, 1);
    int offset = b.size();
    byte[] log = b.u8(9).i32(0).user(0, false, 2).toByteArray();
    Recorder r = new Recorder();
    SimulationLogReader.Result result = read(log, r);
    assertEquals(2, r.records.size());
    assertEquals(new SimulationLogReader.Result((RunHeader) r.records.get(0), 2, offset, true,
        "test.log is damaged at byte offset " + offset + ", in record 3 (type 9) that starts at byte offset " + offset
            + ": unknown record type 9 (this tool knows 1 to 4); 2 whole records read, the rest is skipped"),
        result);
    SimulationLogException e = assertThrows(SimulationLogException.class, result::requireComplete);
    assertEquals(result.stopReason(), e.getMessage());
  }

  @Test
  void badFlagIsDamage() throws IOException {
    byte[] log = header().u8(2).i32(0).u8(5).i32(0).toByteArray();
    SimulationLogReader.Result result = read(log, new Recorder());
    assertTrue(result.stopReason().contains("start/end flag byte is 5, expected 0 or 1"), result.stopReason());
  }

  @Test
  void scenarioIndexOutOfRangeIsDamage() throws IOException {
    byte[] log = header().user(2, true, 0).toByteArray();
    SimulationLogReader.Result result = read(log, new Recorder());
    assertTrue(result.stopReason().contains("scenario index 2, but the run header has 2 scenarios"),
        result.stopReason());
  }

  /** Every prefix of a log: the whole records before the cut, and exactly where it stopped. */
  @Test
  void truncatedAtEveryOffset() throws IOException {
    LogBytes b = header();
    int headerEnd = b.size();
    List<Integer> boundaries = new ArrayList<>(List.of(headerEnd));
    b.user(0, true, 1);
    boundaries.add(b.size());
    b.request(List.of("g"), "TTFT", 1, 5, true, "");
    boundaries.add(b.size());
    b.request(List.of("g"), "E2E", 1, 9, false, "timeout ✗");
    boundaries.add(b.size());
    b.group(List.of("g"), 1, 10, 12, false);
    boundaries.add(b.size());
    b.error("boom", 11);
    boundaries.add(b.size());
    b.user(0, false, 12);
    boundaries.add(b.size());
    byte[] full = b.toByteArray();
    List<Object> all = records(full);
    for (int cut = 0; cut <= full.length; cut++) {
      byte[] part = Arrays.copyOf(full, cut);
      if (cut < headerEnd) {
        int c = cut;
        SimulationLogException e = assertThrows(SimulationLogException.class, () -> read(part, new Recorder()));
        assertTrue(c == 0 ? e.getMessage().contains("is empty") : e.getMessage().contains("inside its run header"),
            e.getMessage());
        continue;
      }
      int whole = 0;
      while (whole + 1 < boundaries.size() && boundaries.get(whole + 1) <= cut) {
        whole++;
      }
      Recorder r = new Recorder();
      SimulationLogReader.Result result = read(part, r);
      String at = "cut at " + cut;
      assertEquals(whole + 1, result.records(), at);
      assertEquals(all.subList(0, whole + 1), r.records, at);
      assertEquals((long) boundaries.get(whole), result.bytesRead(), at);
      boolean atBoundary = boundaries.contains(cut);
      assertEquals(!atBoundary, result.partial(), at);
      if (!atBoundary) {
        assertTrue(result.stopReason().contains("is truncated: it ends at byte offset " + cut + ", inside record "
            + (whole + 2)), at + ": " + result.stopReason());
        assertTrue(result.stopReason().contains("starts at byte offset " + boundaries.get(whole)), result.stopReason());
      }
    }
  }

  /** A channel that hands out one byte per read still gives the same records, across buffer refills. */
  @Test
  void sameRecordsWhateverTheReadSizes() throws IOException {
    Random random = new Random(7);
    LogBytes b = header();
    for (int i = 0; i < 20_000; i++) {
      switch (random.nextInt(4)) {
        case 0 -> b.request(List.of("p" + random.nextInt(3)), "ITL", i, i + random.nextInt(50), true, "");
        case 1 -> b.user(random.nextInt(2), random.nextBoolean(), i);
        case 2 -> b.group(List.of("p" + random.nextInt(3), "inner"), i, i + 7, 3, random.nextBoolean());
        default -> b.error("e" + random.nextInt(100), i);
      }
    }
    byte[] log = b.toByteArray();
    assertTrue(log.length > 3 * 65_536, "crosses several buffer refills");
    List<Object> expected = records(log);
    assertEquals(20_001, expected.size());
    Recorder r = new Recorder();
    SimulationLogReader.Result result = SimulationLogReader.read(new OneByteChannel(log), "slow.log", r);
    assertFalse(result.partial());
    assertEquals(log.length, result.bytesRead());
    assertEquals(expected, r.records);
  }

  private static final class OneByteChannel implements ReadableByteChannel {
    private final byte[] data;
    private int pos;

    OneByteChannel(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (pos == data.length) {
        return -1;
      }
      dst.put(data[pos++]);
      return 1;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
