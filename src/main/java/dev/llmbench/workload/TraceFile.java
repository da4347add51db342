package dev.llmbench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.config.ConfigException;
import dev.llmbench.io.JsonLines;
import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A request trace to replay ({@code -Dtrace.path}): when each request arrived and how long its prompt and
 * answer were, in one of the formats serving traces are published in ({@link Format}). Read once, every
 * bad line refused with its line number; the file's SHA-256 is kept, so that a baseline compares only
 * replays of the same trace.
 */
public final class TraceFile {
  /**
   * Tokens of one {@code hash_ids} block in a mooncake trace: requests that share a block's hash share
   * those tokens of their prompt (Mooncake's published traces, and AIPerf's and bench_serving's replays).
   */
  public static final int BLOCK_TOKENS = 512;

  /**
   * Tokens of one {@code hash_ids} block in vLLM's timed trace by default ({@code --timed-trace-chunk-hash-size}
   * 16, the block of Qwen's published traces; Mooncake's are {@value #BLOCK_TOKENS}).
   */
  public static final int TIMED_TRACE_BLOCK_TOKENS = 16;

  /** The formats read; {@code -Dtrace.format}, or inferred from the file's first line ({@link #infer}). */
  public enum Format {
    /**
     * Mooncake's JSONL: {@code timestamp} in ms, {@code input_length}, {@code output_length}, {@code hash_ids}
     * (optional) of {@value #BLOCK_TOKENS}-token blocks.
     */
    MOONCAKE,
    /**
     * vLLM's timed-trace JSONL ({@code vllm bench serve --dataset-name timed_trace}): mooncake's fields with its
     * default labels, {@code timestamp} times the seconds multiplier in seconds ({@code --timed-trace-sec-multiplier},
     * 1 by default), blocks of {@value #TIMED_TRACE_BLOCK_TOKENS} tokens by default.
     */
    TIMED_TRACE,
    /** Azure's LLM inference trace CSV: {@code TIMESTAMP} (a date-time), {@code ContextTokens}, {@code GeneratedTokens}. */
    AZURE,
    /**
     * BurstGPT's CSV: {@code Timestamp} (seconds from the trace's start), {@code Request tokens},
     * {@code Response tokens}, and other columns not used; rows of failed requests (0 response tokens) are
     * skipped, as vLLM's BurstGPT dataset skips them.
     */
    BURSTGPT;

    /** The property's value and what the run records. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One request of the trace.
   *
   * @param line its line in the file, for messages
   * @param timestampNanos its arrival on the trace's own clock, in ns (only differences are used)
   * @param inputTokens prompt tokens
   * @param outputTokens output tokens to ask for
   * @param hashIds the prompt's shared blocks, in order (mooncake); empty for none
   */
  public record Row(int line, long timestampNanos, int inputTokens, int outputTokens, long[] hashIds) {}

  /**
   * A trace read: the file, its format, its SHA-256 (hex) and its requests ordered by arrival.
   *
   * @param skipped rows left out by the format's rule (BurstGPT's failed requests)
   */
  public record Trace(Path file, Format format, String sha256, List<Row> rows, int skipped, int blockTokens) {}

  /**
   * Azure's timestamps: {@code 2023-11-16 18:15:46.6805900}, up to 9 fraction digits (7 in the published
   * files), taken as UTC: only differences are used.
   */
  private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .optionalEnd().toFormatter(Locale.ROOT);

  private TraceFile() {}

  /**
   * Reads {@code file}.
   *
   * @param format null to infer it from the first line
   * @param maxRequests the first this many requests of the file (vLLM's and bench_serving's way), null for all
   */
  public static Trace read(Path file, Format format, Integer maxRequests) {
    return read(file, format, maxRequests, null, 1.0);
  }

  /**
   * As {@link #read(Path, Format, Integer)}, with vLLM's timed-trace settings.
   *
   * @param blockTokens tokens of a {@code hash_ids} block; null for the format's ({@value #BLOCK_TOKENS} for
   *     mooncake, {@value #TIMED_TRACE_BLOCK_TOKENS} for a timed trace)
   * @param secMultiplier a timed trace's {@code timestamp} times this is seconds (vLLM's
   *     {@code --timed-trace-sec-multiplier}: 0.001 for one in ms); not used by the other formats
   */
  public static Trace read(Path file, Format format, Integer maxRequests, Integer blockTokens, double secMultiplier) {
    Format f = format != null ? format : infer(file);
    int block = blockTokens != null ? blockTokens : f == Format.TIMED_TRACE ? TIMED_TRACE_BLOCK_TOKENS : BLOCK_TOKENS;
    // A timestamp in ms (mooncake) or in seconds times the multiplier (timed trace), to ns.
    double nanosPerUnit = f == Format.TIMED_TRACE ? secMultiplier * 1e9 : 1e6;
    int limit = maxRequests == null ? Integer.MAX_VALUE : maxRequests;
    List<Row> rows = new ArrayList<>();
    int[] skipped = {0};
    try {
      switch (f) {
        case MOONCAKE, TIMED_TRACE -> readJsonl(file, rows, limit, block, nanosPerUnit);
        case AZURE, BURSTGPT -> readCsv(file, f, rows, limit, skipped);
      }
    } catch (JsonLines.BadLine e) {
      throw new ConfigException("trace.path " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("cannot read trace.path " + file + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new ConfigException("trace.path " + file + " holds no request (format " + f.wireName() + ")");
    }
    // Phases hand out requests in order, each waiting for its arrival: ordered by arrival, ties as in the file.
    rows.sort(Comparator.comparingLong(Row::timestampNanos));
    return new Trace(file, f, sha256(file), List.copyOf(rows), skipped[0], block);
  }

  /**
   * The format of {@code file} from its first non-blank line: a JSON object is mooncake's (vLLM's timed
   * trace holds the same fields: name it with {@code -Dtrace.format=timed-trace}), a CSV header naming
   * {@code ContextTokens} is Azure's, one naming {@code Request tokens} BurstGPT's.
   */
  public static Format infer(Path file) {
    String first;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      do {
        first = in.readLine();
      } while (first != null && first.isBlank());
    } catch (IOException e) {
      throw new ConfigException("cannot read trace.path " + file + ": " + e.getMessage(), e);
    }
    if (first == null) {
      throw new ConfigException("trace.path " + file + " is empty");
    }
    String head = stripBom(first).trim();
    if (head.startsWith("{")) {
      return Format.MOONCAKE;
    }
    List<String> columns = Arrays.stream(head.split(",")).map(String::trim).toList();
    if (columns.contains("ContextTokens")) {
      return Format.AZURE;
    }
    if (columns.contains("Request tokens")) {
      return Format.BURSTGPT;
    }
    throw new ConfigException("trace.path " + file + ": cannot tell its format from its first line; give "
        + "-Dtrace.format=" + String.join("|", Arrays.stream(Format.values()).map(Format::wireName).toList()));
  }

  private static void readJsonl(Path file, List<Row> rows, int limit, int block, double nanosPerUnit)
      throws IOException {
    JsonLines.read(file, (lineNo, row) -> {
      if (rows.size() >= limit) {
        return;
      }
      if (!row.isObject()) {
        throw bad(file, lineNo, "expected a JSON object");
      }
      double time = number(file, lineNo, row, "timestamp");
      int input = length(file, lineNo, row.get("input_length"), "input_length", 1);
      int output = length(file, lineNo, row.get("output_length"), "output_length", 1);
      JsonNode ids = row.get("hash_ids");
      long[] hashIds = new long[0];
      if (ids != null && !ids.isNull()) {
        if (!ids.isArray()) {
          throw bad(file, lineNo, "field 'hash_ids' must be an array of integers, got " + ids);
        }
        hashIds = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
          if (!ids.get(i).isIntegralNumber() || !ids.get(i).canConvertToLong()) {
            throw bad(file, lineNo, "field 'hash_ids' must be an array of integers, got " + ids.get(i));
          }
          hashIds[i] = ids.get(i).asLong();
        }
        // More blocks than the prompt has tokens for would be blocks the request never sends.
        if ((long) (hashIds.length - 1) * block >= input && hashIds.length > 0) {
          throw bad(file, lineNo, hashIds.length + " hash_ids of " + block + " tokens need more than "
              + (long) (hashIds.length - 1) * block + " input tokens, but input_length is " + input);
        }
      }
      rows.add(new Row(lineNo, Math.round(time * nanosPerUnit), input, output, hashIds));
    });
  }

  private static double number(Path file, int lineNo, JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
      throw bad(file, lineNo, "field '" + field + "' must be a number >= 0, got " + v);
    }
    return v.asDouble();
  }

  private static int length(Path file, int lineNo, JsonNode v, String field, int min) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
      throw bad(file, lineNo, "field '" + field + "' must be an integer >= " + min + ", got " + v);
    }
    return v.asInt();
  }

  private static void readCsv(Path file, Format f, List<Row> rows, int limit, int[] skipped) throws IOException {
    boolean azure = f == Format.AZURE;
    String time = azure ? "TIMESTAMP" : "Timestamp";
    String in = azure ? "ContextTokens" : "Request tokens";
    String out = azure ? "GeneratedTokens" : "Response tokens";
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      Map<String, Integer> header = null;
      int width = 0;
      while ((line = r.readLine()) != null && rows.size() < limit) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        // Neither format quotes its fields (numbers, timestamps and model names): a quote is not these formats.
        if (line.indexOf('"') >= 0) {
          throw bad(file, lineNo, "quoted CSV fields are not expected in a " + f.wireName() + " trace");
        }
        String[] cells = (header == null ? stripBom(line) : line).split(",", -1);
        if (header == null) {
          header = new HashMap<>();
          for (int i = 0; i < cells.length; i++) {
            header.put(cells[i].trim(), i);
          }
          for (String needed : List.of(time, in, out)) {
            if (!header.containsKey(needed)) {
              throw bad(file, lineNo, "the " + f.wireName() + " header needs a column '" + needed + "', but has "
                  + header.keySet().stream().sorted().toList());
            }
          }
          width = cells.length;
          continue;
        }
        if (cells.length != width) {
          throw bad(file, lineNo, "expected " + width + " comma-separated fields as the header, got " + cells.length);
        }
        int input = csvInt(file, lineNo, cells[header.get(in)], in);
        int output = csvInt(file, lineNo, cells[header.get(out)], out);
        String ts = cells[header.get(time)].trim();
        long nanos;
        if (azure) {
          try {
            LocalDateTime t = LocalDateTime.parse(ts, AZURE_TIME);
            nanos = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
          } catch (DateTimeParseException e) {
            throw bad(file, lineNo, "column '" + time + "' must be a date-time such as 2023-11-16 18:15:46.6805900, "
                + "got \"" + ts + "\"");
          }
        } else {
          double seconds;
          try {
            seconds = Double.parseDouble(ts);
          } catch (NumberFormatException e) {
            seconds = Double.NaN;
          }
          if (!Double.isFinite(seconds) || seconds < 0) {
            throw bad(file, lineNo, "column '" + time + "' must be seconds >= 0, got \"" + ts + "\"");
          }
          nanos = Math.round(seconds * 1e9);
        }
        if (input < 1 || output < 1) {
          if (!azure && output == 0 && input >= 1) {
            skipped[0]++; // BurstGPT logs a failed request with no response: there is nothing to replay
            continue;
          }
          throw bad(file, lineNo, "'" + in + "' and '" + out + "' must be >= 1, got " + input + " and " + output);
        }
        rows.add(new Row(lineNo, nanos, input, output, new long[0]));
      }
      if (header == null) {
        throw new ConfigException("trace.path " + file + " has no header line");
      }
    }
  }

  private static int csvInt(Path file, int lineNo, String cell, String column) {
    try {
      return Integer.parseInt(cell.trim());
    } catch (NumberFormatException e) {
      throw bad(file, lineNo, "column '" + column + "' must be an integer, got \"" + cell.trim() + "\"");
    }
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static ConfigException bad(Path file, int lineNo, String what) {
    return new ConfigException("trace.path " + file + ":" + lineNo + ": " + what);
  }

  /** The file's SHA-256, hex: the run records it, and a baseline compares it. */
  public static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new ConfigException("cannot read trace.path " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * The trace's requests as tickets of {@code group}: each due at its arrival relative to the trace's first,
   * divided by {@code speed} (2 replays twice as fast). A request's {@code hash_ids} blocks are built of
   * the trace's block of tokens ({@link Trace#blockTokens}) drawn from a seed of the block's hash alone (and {@code seed}), so that
   * requests sharing a hash send the same tokens there, as a prefix cache sees them; the last block holds
   * what is left of the input length, and tokens beyond the blocks (or a request without any) are the
   * request's own.
   */
  public static List<Ticket> tickets(Trace trace, double speed, long seed, PromptTokens prompts, String group) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("trace speed must be > 0 and finite, but was " + speed);
    }
    long first = trace.rows().get(0).timestampNanos();
    List<Ticket> tickets = new ArrayList<>(trace.rows().size());
    for (Row row : trace.rows()) {
      StringBuilder text = new StringBuilder();
      int planned = 0;
      int left = row.inputTokens();
      for (long hash : row.hashIds()) {
        int n = Math.min(trace.blockTokens(), left);
        // The block's tokens are drawn from its hash alone: the same hash, the same tokens; a last block cut short
        // draws the same stream and stops sooner, so it is the full block's beginning as far as the prompt
        // builder draws token by token (the word and vocabulary builders do).
        PromptTokens.Built block = prompts.build(n, blockRandom(seed, hash));
        append(text, block.text());
        planned += block.tokens();
        left -= n;
      }
      if (left > 0) {
        // Its own tokens: seeded by its line, which no other request of the file has.
        PromptTokens.Built own = prompts.build(left, Seeds.random(seed ^ ~((long) row.line() * GOLDEN)));
        append(text, own.text());
        planned += own.tokens();
      }
      long offset = Math.round((row.timestampNanos() - first) / speed);
      tickets.add(new Ticket(tickets.size(), text.toString(), planned, row.outputTokens(), offset, false, group));
    }
    return tickets;
  }

  /** Spreads hashes and lines over 64 bits before they meet the seed (Fibonacci hashing). */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private static Random blockRandom(long seed, long hash) {
    return Seeds.random(seed ^ hash * GOLDEN);
  }

  private static void append(StringBuilder text, String part) {
    if (text.length() > 0 && !part.isEmpty()) {
      text.append(' ');
    }
    text.append(part);
  }
}
