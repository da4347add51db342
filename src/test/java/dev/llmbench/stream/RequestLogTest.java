package dev.llmbench.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.requests.RequestLogReader;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StreamRecord.toResult (a stream's side-file row), and the side file's round trip through writer and reader. */
class RequestLogTest {

  @TempDir
  Path dir;

  /** A record sent at 1 ms, head at 1.5 ms, content events at the given micros, last event at lastMicros. */
  private static StreamRecord record(long[] contentMicros, int[] tokens, long lastMicros) {
    StreamRecord r = new StreamRecord();
    r.sentNanos = 1_000_000;
    r.headersNanos = 1_500_000;
    r.httpStatus = 200;
    for (int i = 0; i < contentMicros.length; i++) {
      r.content(contentMicros[i] * 1_000, tokens[i]);
    }
    r.lastEventNanos = lastMicros * 1_000;
    r.done = true;
    return r;
  }

  private static RequestResult resultOf(StreamRecord r, String requestId, String group, boolean warmup, boolean ok,
      String error, long sentEpochMicros, int promptTokensPlanned, int maxTokens, long end) {
    return r.toResult(requestId, group, warmup, ok, error, sentEpochMicros, promptTokensPlanned, maxTokens, end);
  }

  @Test
  void ofComputesMetricsInMicros() {
    StreamRecord r = record(new long[] {3_000, 3_500, 4_100, 5_000}, new int[] {1, 1, 1, 1}, 5_200);
    r.usageCompletionTokens = 4;
    r.usagePromptTokens = 12;
    RequestResult x = resultOf(r, "req-1", "g", false, true, null, 1_700_000_000_000_000L, 10, 4, 9_999_999);
    assertEquals(2_000, x.ttftMicros()); // 3000 us - 1000 us
    assertEquals(4_200, x.e2eMicros()); // 5200 - 1000: the last event, not `end`
    assertEquals((4_200 - 2_000) / 3.0, x.tpotMicros(), 1e-9);
    assertArrayEquals(new long[] {500, 600, 900}, x.itlMicros());
    assertNull(x.chunkTokens(), "all chunks of one token");
    assertEquals(12, x.promptTokens(), "usage wins");
    assertEquals(10, x.promptTokensPlanned());
    assertEquals(4, x.outputTokens());
    assertEquals("usage", x.outputTokensSource());
    assertEquals(200, x.httpStatus());
    assertEquals(1_000_000, x.sentNanos());
  }

  @Test
  void ofWithoutContentHasNoTtftAndNaNTpotAndUsesEnd() {
    StreamRecord r = new StreamRecord();
    r.sentNanos = 1_000_000;
    RequestResult x = resultOf(r, "req-2", "", false, false, "boom", 5, 8, 16, 4_000_000);
    assertEquals(-1, x.ttftMicros());
    assertEquals(3_000, x.e2eMicros(), "no event read: e2e runs to `end`");
    assertTrue(Double.isNaN(x.tpotMicros()));
    assertEquals(0, x.itlMicros().length);
    assertEquals(8, x.promptTokens(), "no usage: the planned length");
    assertEquals(0, x.outputTokens());
    assertEquals("events", x.outputTokensSource());
  }

  @Test
  void ofKeepsChunkTokensOnlyWhenSomeChunkIsNotOneToken() {
    StreamRecord r = record(new long[] {2_000, 2_400, 3_000}, new int[] {2, 1, 3}, 3_000);
    RequestResult x = resultOf(r, "req-3", "", false, true, null, 0, 4, 6, 3_000_000);
    assertArrayEquals(new int[] {2, 1, 3}, x.chunkTokens());
    assertEquals(6, x.outputTokens());
    assertEquals((2_000 - 1_000) / 5.0, x.tpotMicros(), 1e-9);
  }

  @Test
  void aMergedChunkAfterTheRecordGrewKeepsEveryEventsTokensAndAResetForgetsThem() {
    // Room for 2 events: the first merged chunk comes at event 4, after the times' array has grown, and the
    // tokens array is made then, the events before it counted as one token each.
    StreamRecord r = new StreamRecord(2);
    int[] tokens = {1, 1, 1, 2, 1, 3, 1};
    for (int i = 0; i < tokens.length; i++) {
      r.content((2_000 + 100L * i) * 1_000, tokens[i]);
    }
    assertEquals(10, r.tokensFromEvents());
    assertArrayEquals(tokens, r.toResult("a", "", false, true, null, 0, 4, 16, 3_000_000).chunkTokens());
    r.reset();
    r.content(2_000_000, 1);
    r.content(2_100_000, 1);
    assertEquals(2, r.tokensFromEvents());
    assertNull(r.toResult("b", "", false, true, null, 0, 4, 16, 3_000_000).chunkTokens(),
        "the next request on the same record: its chunks of one token each");
  }

  @Test
  void roundTripKeepsEveryField() throws IOException {
    StreamRecord parsed = record(new long[] {2_000, 2_400, 3_000}, new int[] {2, 1, 3}, 3_000);
    parsed.fallbackParses = 5;
    List<RequestResult> results = List.of(
        resultOf(record(new long[] {3_000, 3_500, 4_100}, new int[] {1, 1, 1}, 5_000), "a", "random-1024-1024",
            false, true, null, 1_700_000_000_000_001L, 1024, 3, 0),
        resultOf(record(new long[] {2_000}, new int[] {1}, 2_100), "b", "matrix-128-128", true, true, null,
            1_700_000_000_000_002L, 128, 1, 0),
        resultOf(parsed, "c", "", false, false,
            "stream ended without [DONE] \"quoted\" ü", 1_700_000_000_000_003L, 4, 8, 0));
    assertTrue(Double.isNaN(results.get(1).tpotMicros()), "one output token: NaN tpot");

    Path file = dir.resolve("run").resolve(RequestLogWriter.FILE_NAME);
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      results.forEach(writer::add);
    }
    List<String> lines = Files.readAllLines(file, UTF_8);
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).startsWith("{\"schemaVersion\":1,"), lines.get(0));
    assertTrue(lines.get(1).contains("\"tpotMicros\":null"), lines.get(1));
    assertFalse(lines.get(0).contains("chunkTokens"), lines.get(0));
    assertTrue(lines.get(2).contains("\"chunkTokens\":[2,1,3]"), lines.get(2));
    assertFalse(lines.get(0).contains("fallbackParses"), "written only when not 0: " + lines.get(0));
    assertTrue(lines.get(2).contains("\"fallbackParses\":5"), lines.get(2));

    RequestLogReader.Result read = RequestLogReader.read(file);
    assertEquals(0, read.truncatedAtLine());
    assertEquals(results.size(), read.requests().size());
    for (int i = 0; i < results.size(); i++) {
      assertSameFields(results.get(i), read.requests().get(i));
    }
  }

  @Test
  void resendsAreWrittenOnlyWhenAnyAndReadAsZeroWhenAbsent() throws IOException {
    StreamRecord resent = record(new long[] {3_000}, new int[] {1}, 3_000);
    resent.resends = 1;
    RequestResult once = resultOf(record(new long[] {3_000}, new int[] {1}, 3_000), "a", "", false, true, null,
        0, 1, 1, 0);
    RequestResult twice = resultOf(resent, "b", "", false, true, null, 0, 1, 1, 0);
    Path file = dir.resolve("resends.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      writer.add(once);
      writer.add(twice);
    }
    List<String> lines = Files.readAllLines(file, UTF_8);
    assertFalse(lines.get(0).contains("resends"), "absent for a request sent once: " + lines.get(0));
    assertTrue(lines.get(1).contains("\"resends\":1"), lines.get(1));
    List<RequestResult> read = RequestLogReader.read(file).requests();
    assertEquals(0, read.get(0).resends());
    assertEquals(1, read.get(1).resends());
  }

  @Test
  void clientQueueIsWrittenOnlyWhenKnownAndReadAsUnknownWhenAbsent() throws IOException {
    RequestResult unknown = resultOf(record(new long[] {3_000}, new int[] {1}, 3_000), "a", "", false, true, null,
        0, 1, 1, 0);
    RequestResult queued = record(new long[] {3_000}, new int[] {1}, 3_000).toResult("b", "", false, true, null, 0,
        1, 1, 0, 2_500);
    RequestResult onTime = unknown.withQueueMicros(0);
    Path file = dir.resolve("queue.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      writer.add(unknown);
      writer.add(queued);
      writer.add(onTime);
    }
    List<String> lines = Files.readAllLines(file, UTF_8);
    assertFalse(lines.get(0).contains("clientQueueMicros"), "absent when unknown: " + lines.get(0));
    assertTrue(lines.get(1).contains("\"clientQueueMicros\":2500"), lines.get(1));
    assertTrue(lines.get(2).contains("\"clientQueueMicros\":0"), "0 is known: " + lines.get(2));
    List<RequestResult> read = RequestLogReader.read(file).requests();
    assertEquals(-1, read.get(0).queueMicros());
    assertFalse(read.get(0).hasQueueTime());
    assertSameFields(queued, read.get(1));
    assertSameFields(onTime, read.get(2));
  }

  @Test
  void poolingFieldsAreWrittenOnlyWhenSetAndReadBack() throws IOException {
    RequestResult generation = resultOf(record(new long[] {3_000}, new int[] {1}, 3_000), "a", "", false, true, null,
        0, 1, 1, 0);
    RequestResult scored = new RequestResult("b", "batch=8 labels=2", false, true, null, 200, 5, 6, 240, 240, 0, 0,
        "usage", -1, 12_345, Double.NaN, new long[0], null, 0, 0, 8, "9f2c", "[[0.25,0.75]] \"ü\"");
    Path file = dir.resolve("pooling.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      writer.add(generation);
      writer.add(scored);
    }
    List<String> lines = Files.readAllLines(file, UTF_8);
    for (String field : List.of("items", "inputHash", "answer")) {
      assertFalse(lines.get(0).contains(field), "absent for a generation request: " + lines.get(0));
    }
    List<RequestResult> read = RequestLogReader.read(file).requests();
    assertSameFields(generation, read.get(0));
    assertSameFields(scored, read.get(1));
  }

  @Test
  void tpotIsWrittenToTheNanosecond() throws IOException {
    // 2200/3 us = 733.333... is written rounded to 3 decimals.
    RequestResult x = resultOf(record(new long[] {3_000, 3_500, 4_100, 5_000}, new int[] {1, 1, 1, 1}, 5_200),
        "t", "", false, true, null, 0, 1, 4, 0);
    Path file = dir.resolve("tpot.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      writer.add(x);
    }
    assertEquals(733.333, RequestLogReader.read(file).requests().get(0).tpotMicros(), 0.0);
  }

  @Test
  void truncatedLastLineIsReportedNotThrown() throws IOException {
    Path file = dir.resolve("cut.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      writer.add(resultOf(record(new long[] {2_000, 2_500}, new int[] {1, 1}, 2_600), "a", "", false, true,
          null, 0, 1, 2, 0));
      writer.add(resultOf(record(new long[] {2_000, 2_700}, new int[] {1, 1}, 2_800), "b", "", false, true,
          null, 0, 1, 2, 0));
    }
    String text = Files.readString(file, UTF_8);
    int secondLine = text.indexOf('\n') + 1;
    Files.writeString(file, text.substring(0, secondLine + 40), UTF_8);

    RequestLogReader.Result read = RequestLogReader.read(file);
    assertEquals(2, read.truncatedAtLine());
    assertEquals(1, read.requests().size());
    assertEquals("a", read.requests().get(0).requestId());
  }

  @Test
  void truncatedLastLineFollowedOnlyByBlankLinesIsStillATruncation() throws IOException {
    Path file = dir.resolve("cut-blank.jsonl");
    Files.writeString(file, "{\"schemaVersion\":1,\"requestId\":\"a\"\n\n  \n", UTF_8);
    RequestLogReader.Result read = RequestLogReader.read(file);
    assertEquals(1, read.truncatedAtLine());
    assertEquals(0, read.requests().size());
  }

  @Test
  void damagedLineInTheMiddleIsAnErrorNotASilentTruncation() throws IOException {
    Path file = dir.resolve("damaged.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      for (String id : List.of("a", "b", "c")) {
        writer.add(resultOf(record(new long[] {2_000}, new int[] {1}, 2_100), id, "", false, true, null, 0,
            1, 1, 0));
      }
    }
    List<String> lines = Files.readAllLines(file, UTF_8);
    lines.set(1, lines.get(1).substring(0, 30));
    Files.write(file, lines, UTF_8);
    IOException e = assertThrows(IOException.class, () -> RequestLogReader.read(file));
    assertTrue(e.getMessage().contains("damaged.jsonl:2:"), e.getMessage());
  }

  @Test
  void otherSchemaVersionIsRejectedNamingBothVersions() throws IOException {
    Path file = dir.resolve("v2.jsonl");
    Files.writeString(file, "{\"schemaVersion\":2,\"requestId\":\"a\"}\n", UTF_8);
    IOException e = assertThrows(IOException.class, () -> RequestLogReader.read(file));
    assertTrue(e.getMessage().contains("schemaVersion 2"), e.getMessage());
    assertTrue(e.getMessage().contains("reads " + RequestLogWriter.SCHEMA_VERSION), e.getMessage());
    assertTrue(e.getMessage().contains("v2.jsonl:1"), e.getMessage());

    Files.writeString(file, "{\"requestId\":\"a\"}\n", UTF_8);
    IOException missing = assertThrows(IOException.class, () -> RequestLogReader.read(file));
    assertTrue(missing.getMessage().contains("reads " + RequestLogWriter.SCHEMA_VERSION), missing.getMessage());
  }

  @Test
  void writerRefusesToOverwriteAnExistingFile() throws IOException {
    Path file = dir.resolve(RequestLogWriter.FILE_NAME);
    Files.writeString(file, "keep me\n", UTF_8);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new RequestLogWriter(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals("keep me\n", Files.readString(file, UTF_8));
  }

  @Test
  void emptyLogReadsAsNoRequests() throws IOException {
    Path file = dir.resolve("empty.jsonl");
    try (RequestLogWriter writer = new RequestLogWriter(file)) {
      assertEquals(0, writer.written());
    }
    RequestLogReader.Result read = RequestLogReader.read(file);
    assertEquals(0, read.requests().size());
    assertEquals(0, read.truncatedAtLine());
  }

  private static void assertSameFields(RequestResult expected, RequestResult actual) {
    String id = expected.requestId();
    assertEquals(expected.requestId(), actual.requestId(), id);
    assertEquals(expected.group(), actual.group(), id);
    assertEquals(expected.warmup(), actual.warmup(), id);
    assertEquals(expected.ok(), actual.ok(), id);
    assertEquals(expected.error(), actual.error(), id);
    assertEquals(expected.httpStatus(), actual.httpStatus(), id);
    assertEquals(expected.sentEpochMicros(), actual.sentEpochMicros(), id);
    assertEquals(expected.sentNanos(), actual.sentNanos(), id);
    assertEquals(expected.promptTokens(), actual.promptTokens(), id);
    assertEquals(expected.promptTokensPlanned(), actual.promptTokensPlanned(), id);
    assertEquals(expected.maxTokens(), actual.maxTokens(), id);
    assertEquals(expected.outputTokens(), actual.outputTokens(), id);
    assertEquals(expected.outputTokensSource(), actual.outputTokensSource(), id);
    assertEquals(expected.ttftMicros(), actual.ttftMicros(), id);
    assertEquals(expected.e2eMicros(), actual.e2eMicros(), id);
    if (Double.isNaN(expected.tpotMicros())) {
      assertTrue(Double.isNaN(actual.tpotMicros()), id + " tpot");
    } else {
      assertEquals(expected.tpotMicros(), actual.tpotMicros(), 5e-4, id + " tpot");
    }
    assertArrayEquals(expected.itlMicros(), actual.itlMicros(), id);
    assertArrayEquals(expected.chunkTokens(), actual.chunkTokens(), id);
    assertEquals(expected.fallbackParses(), actual.fallbackParses(), id);
    assertEquals(expected.resends(), actual.resends(), id);
    assertEquals(expected.items(), actual.items(), id);
    assertEquals(expected.inputHash(), actual.inputHash(), id);
    assertEquals(expected.answer(), actual.answer(), id);
    assertEquals(expected.queueMicros(), actual.queueMicros(), id);
  }

  /**
   * A row written by hand as an older or another writer might: optional fields absent, nulls, unknown fields
   * holding objects and arrays (skipped), fields in another order. Read as the tree reading read it.
   */
  @Test
  void handWrittenRowsReadWithDefaultsAndUnknownFieldsSkipped() throws IOException {
    Path file = dir.resolve("hand.jsonl");
    Files.writeString(file, "{\"itlMicros\":[5000,6000],\"schemaVersion\":1,\"requestId\":\"r1\",\"future\":{\"a\":[1,"
        + "{\"b\":2}]},\"ok\":true,\"error\":null,\"httpStatus\":200,\"sentEpochMicros\":17,\"sentNanos\":9,"
        + "\"promptTokens\":10,\"outputTokens\":3,\"ttftMicros\":1000,\"e2eMicros\":12000,\"tpotMicros\":null,"
        + "\"chunkTokens\":[1,2],\"later\":[[1],[2]]}\n"
        + "{\"schemaVersion\":1,\"requestId\":\"r2\",\"group\":\"g\",\"warmup\":true,\"ok\":false,"
        + "\"error\":\"HTTP 503\",\"tpotMicros\":2500.5}\n");
    List<RequestResult> rows = RequestLogReader.read(file).requests();
    RequestResult a = rows.get(0);
    assertEquals("r1", a.requestId());
    assertEquals("", a.group());
    assertTrue(a.ok());
    assertNull(a.error());
    assertEquals(200, a.httpStatus());
    assertArrayEquals(new long[] {5000, 6000}, a.itlMicros());
    assertArrayEquals(new int[] {1, 2}, a.chunkTokens());
    assertTrue(Double.isNaN(a.tpotMicros()));
    assertEquals(0, a.resends());
    assertEquals(-1, a.queueMicros());
    assertEquals(-1, a.cachedTokens());
    assertNull(a.inputHash());
    RequestResult b = rows.get(1);
    assertEquals("g", b.group());
    assertTrue(b.warmup());
    assertFalse(b.ok());
    assertEquals("HTTP 503", b.error());
    assertEquals(2500.5, b.tpotMicros());
    assertEquals(0, b.itlMicros().length);
    assertNull(b.chunkTokens());
  }

  /** A line that is JSON but not an object is as damaged as one that is not JSON. */
  @Test
  void aRowThatIsNotAnObjectIsNotValid() throws IOException {
    Path file = dir.resolve("array.jsonl");
    Files.writeString(file, "[1,2]\n{\"schemaVersion\":1}\n");
    IOException e = assertThrows(IOException.class, () -> RequestLogReader.read(file));
    assertTrue(e.getMessage().contains(":1: not valid JSON and not the last line"), e.getMessage());
  }
}
