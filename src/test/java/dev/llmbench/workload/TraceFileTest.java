package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.tokenizer.WordTokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each trace format read from its committed sample, the prompts' shared blocks, the replay's times, bad lines. */
class TraceFileTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Path sample(String name) {
    try {
      return Path.of(TraceFileTest.class.getResource("/traces/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sample's non-blank lines after the header (CSV) as cells, independently of the reader. */
  private static List<String[]> csvRows(Path file) throws IOException {
    return Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
  }

  @Test
  void mooncakeSampleReadsEveryFieldInArrivalOrder() throws IOException {
    Path file = sample("mooncake.jsonl");
    TraceFile.Trace trace = TraceFile.read(file, null, null);
    assertEquals(TraceFile.Format.MOONCAKE, trace.format());
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    assertEquals(lines.size(), trace.rows().size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode expected = MAPPER.readTree(lines.get(i));
      TraceFile.Row row = trace.rows().get(i);
      assertEquals(Math.round(expected.get("timestamp").asDouble() * 1e6), row.timestampNanos());
      assertEquals(expected.get("input_length").asInt(), row.inputTokens());
      assertEquals(expected.get("output_length").asInt(), row.outputTokens());
      long[] ids = expected.has("hash_ids")
          ? IntStream.range(0, expected.get("hash_ids").size()).mapToLong(k -> expected.get("hash_ids").get(k).asLong()).toArray()
          : new long[0];
      assertArrayEquals(ids, row.hashIds());
    }
  }

  @Test
  void timedTraceTimesAreSecondsTimesTheMultiplierAndItsBlocksVllmsDefault() throws IOException {
    Path file = sample("timed-trace.jsonl");
    TraceFile.Trace trace = TraceFile.read(file, TraceFile.Format.TIMED_TRACE, null);
    assertEquals(TraceFile.Format.TIMED_TRACE, trace.format());
    assertEquals(TraceFile.TIMED_TRACE_BLOCK_TOKENS, trace.blockTokens());
    List<JsonNode> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
      try {
        return MAPPER.readTree(l);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    double multiplier = 0.001; // a trace in ms, as vLLM's --timed-trace-sec-multiplier 0.001 reads one
    TraceFile.Trace scaled = TraceFile.read(file, TraceFile.Format.TIMED_TRACE, null, null, multiplier);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(Math.round(lines.get(i).get("timestamp").asDouble() * 1e9), trace.rows().get(i).timestampNanos());
      assertEquals(Math.round(lines.get(i).get("timestamp").asDouble() * multiplier * 1e9),
          scaled.rows().get(i).timestampNanos());
    }
    int other = TraceFile.TIMED_TRACE_BLOCK_TOKENS + 1;
    assertEquals(other, TraceFile.read(file, TraceFile.Format.TIMED_TRACE, null, other, 1.0).blockTokens());
    // Blocks of mooncake's size do not fit these prompts: more hash ids than the prompt has blocks, refused.
    ConfigException e = assertThrows(ConfigException.class,
        () -> TraceFile.read(file, TraceFile.Format.TIMED_TRACE, null, TraceFile.BLOCK_TOKENS, 1.0));
    assertTrue(e.getMessage().contains(file + ":1:"), e.getMessage());
  }

  @Test
  void azureSampleIsInferredAndItsDateTimesBecomeNanosecondGaps() throws IOException {
    Path file = sample("azure.csv");
    TraceFile.Trace trace = TraceFile.read(file, null, null);
    assertEquals(TraceFile.Format.AZURE, trace.format());
    List<String[]> rows = csvRows(file);
    assertEquals(rows.size(), trace.rows().size());
    java.time.LocalDateTime first = java.time.LocalDateTime.parse(rows.get(0)[0].replace(' ', 'T'));
    for (int i = 0; i < rows.size(); i++) {
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(rows.get(i)[0].replace(' ', 'T'));
      assertEquals(java.time.Duration.between(first, t).toNanos(),
          trace.rows().get(i).timestampNanos() - trace.rows().get(0).timestampNanos());
      assertEquals(Integer.parseInt(rows.get(i)[1]), trace.rows().get(i).inputTokens());
      assertEquals(Integer.parseInt(rows.get(i)[2]), trace.rows().get(i).outputTokens());
    }
  }

  @Test
  void burstGptSampleIsInferredAndItsFailedRequestsSkipped() throws IOException {
    Path file = sample("burstgpt.csv");
    TraceFile.Trace trace = TraceFile.read(file, null, null);
    assertEquals(TraceFile.Format.BURSTGPT, trace.format());
    List<String[]> answered = csvRows(file).stream().filter(r -> Integer.parseInt(r[3]) > 0).toList();
    assertEquals(csvRows(file).size() - answered.size(), trace.skipped());
    assertTrue(trace.skipped() > 0, "the sample holds a failed request, to show it skipped");
    for (int i = 0; i < answered.size(); i++) {
      assertEquals(Math.round(Double.parseDouble(answered.get(i)[0]) * 1e9), trace.rows().get(i).timestampNanos());
      assertEquals(Integer.parseInt(answered.get(i)[2]), trace.rows().get(i).inputTokens());
      assertEquals(Integer.parseInt(answered.get(i)[3]), trace.rows().get(i).outputTokens());
    }
  }

  @Test
  void maxRequestsTakesTheFirstOfTheFile() {
    TraceFile.Trace all = TraceFile.read(sample("mooncake.jsonl"), null, null);
    TraceFile.Trace some = TraceFile.read(sample("mooncake.jsonl"), null, all.rows().size() - 1);
    assertEquals(all.rows().size() - 1, some.rows().size());
    assertEquals(all.rows().get(0).line(), some.rows().get(0).line());
  }

  @Test
  void sharedHashIdsGiveIdenticalTokenBlocksAndOthersDiffer() {
    sharedBlocks(TraceFile.read(sample("mooncake.jsonl"), null, null));
    sharedBlocks(TraceFile.read(sample("timed-trace.jsonl"), TraceFile.Format.TIMED_TRACE, null));
  }

  private static void sharedBlocks(TraceFile.Trace trace) {
    int block = trace.blockTokens();
    List<Ticket> tickets = TraceFile.tickets(trace, 1.0, 1, PromptTokens.WORDS, "t");
    for (int i = 0; i < tickets.size(); i++) {
      TraceFile.Row row = trace.rows().get(i);
      assertEquals(row.inputTokens(), WordTokenizer.count(tickets.get(i).prompt()), "prompt " + i + "'s length");
      assertEquals(row.inputTokens(), tickets.get(i).inputTokens());
      for (int j = 0; j < i; j++) {
        TraceFile.Row other = trace.rows().get(j);
        int shared = sharedLeadingBlocks(row.hashIds(), other.hashIds());
        // The blocks both hold in full (the last block of a prompt may be cut short: its common beginning).
        int tokens = Math.min(shared * block, Math.min(row.inputTokens(), other.inputTokens()));
        String[] a = words(tickets.get(i).prompt());
        String[] b = words(tickets.get(j).prompt());
        assertArrayEquals(Arrays.copyOf(b, tokens), Arrays.copyOf(a, tokens), "requests " + j + " and " + i);
        if (row.hashIds().length > shared && other.hashIds().length > shared) {
          // The first differing block: drawn from another hash, so (at this length) other tokens.
          int from = shared * block;
          int to = Math.min(from + block, Math.min(a.length, b.length));
          assertNotEquals(Arrays.asList(a).subList(from, to), Arrays.asList(b).subList(from, to));
        }
      }
    }
  }

  @Test
  void speedDividesTheTracesGapsAndTheFirstRequestGoesAtOnce() {
    TraceFile.Trace trace = TraceFile.read(sample("mooncake.jsonl"), null, null);
    double speed = 2.5;
    List<Ticket> real = TraceFile.tickets(trace, 1.0, 1, PromptTokens.WORDS, "t");
    List<Ticket> fast = TraceFile.tickets(trace, speed, 1, PromptTokens.WORDS, "t");
    assertEquals(0, real.get(0).arrivalOffsetNanos());
    for (int i = 0; i < real.size(); i++) {
      assertEquals(trace.rows().get(i).timestampNanos() - trace.rows().get(0).timestampNanos(),
          real.get(i).arrivalOffsetNanos());
      assertEquals(real.get(i).arrivalOffsetNanos() / speed, fast.get(i).arrivalOffsetNanos(), 1.0);
      assertEquals(real.get(i).prompt(), fast.get(i).prompt());
    }
  }

  @Test
  void aMalformedLineIsNamedByItsNumber(@TempDir Path dir) throws IOException {
    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2}\n\n"
        + "{\"timestamp\": 5, \"input_length\": \"ten\", \"output_length\": 2}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> TraceFile.read(jsonl, null, null));
    assertTrue(e.getMessage().contains(jsonl + ":3:") && e.getMessage().contains("input_length"), e.getMessage());

    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2}\n{\"timestamp\": \n");
    e = assertThrows(ConfigException.class, () -> TraceFile.read(broken, null, null));
    assertTrue(e.getMessage().contains(broken + ":2:"), e.getMessage());

    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,10,2\n"
        + "yesterday,10,2\n");
    e = assertThrows(ConfigException.class, () -> TraceFile.read(csv, null, null));
    assertTrue(e.getMessage().contains(csv + ":3:") && e.getMessage().contains("TIMESTAMP"), e.getMessage());

    Path blocks = dir.resolve("blocks.jsonl");
    Files.writeString(blocks, "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2, \"hash_ids\": [1, 2]}\n");
    e = assertThrows(ConfigException.class, () -> TraceFile.read(blocks, null, null));
    assertTrue(e.getMessage().contains(blocks + ":1:") && e.getMessage().contains("hash_ids"), e.getMessage());
  }

  @Test
  void anUnknownFormatAsksForTraceFormat(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.csv");
    Files.writeString(file, "a,b,c\n1,2,3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> TraceFile.read(file, null, null));
    assertTrue(e.getMessage().contains("trace.format"), e.getMessage());
  }

  @Test
  void theShaIsTheFilesAndChangesWithIt(@TempDir Path dir) throws IOException {
    Path copy = dir.resolve("m.jsonl");
    Files.copy(sample("mooncake.jsonl"), copy);
    String before = TraceFile.read(copy, null, null).sha256();
    assertEquals(TraceFile.sha256(sample("mooncake.jsonl")), before);
    Files.writeString(copy, Files.readString(copy).replace("\"output_length\": 6", "\"output_length\": 7"));
    assertNotEquals(before, TraceFile.read(copy, null, null).sha256());
  }

  private static int sharedLeadingBlocks(long[] a, long[] b) {
    int n = 0;
    while (n < a.length && n < b.length && a[n] == b[n]) {
      n++;
    }
    return n;
  }

  private static String[] words(String text) {
    return text.split(" ");
  }
}
