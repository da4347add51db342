package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.workload.TraceFile;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A trace replay's properties ({@code -Dtrace.path}, docs/workloads.md "Trace replay"), checked at start-up.
 *
 * @param path the trace file, absolute
 * @param format {@code -Dtrace.format}, or null to infer it from the file
 * @param speed {@code -Dtrace.speed}: 2 replays the trace twice as fast (its gaps halved)
 * @param maxRequests {@code -Dtrace.max.requests}: the first this many requests of the file, or null for all
 * @param blockTokens {@code -Dtrace.block.tokens}: tokens of a {@code hash_ids} block, or null for the format's
 *     (vLLM's {@code --timed-trace-chunk-hash-size})
 * @param secMultiplier {@code -Dtrace.sec.multiplier}: a timed trace's timestamp times this is seconds (vLLM's
 *     {@code --timed-trace-sec-multiplier}); 1 by default
 */
public record TraceSettings(Path path, TraceFile.Format format, double speed, Integer maxRequests,
    Integer blockTokens, double secMultiplier) {
  public static final String PATH = "trace.path";
  public static final String FORMAT = "trace.format";
  public static final String SPEED = "trace.speed";
  public static final String MAX_REQUESTS = "trace.max.requests";
  public static final String BLOCK_TOKENS = "trace.block.tokens";
  public static final String SEC_MULTIPLIER = "trace.sec.multiplier";

  /** The settings, or null without {@code -Dtrace.path} (then none of the others may be given: they would do nothing). */
  static TraceSettings from(Props p) {
    if (!p.has(PATH)) {
      for (String key : new String[] {FORMAT, SPEED, MAX_REQUESTS, BLOCK_TOKENS, SEC_MULTIPLIER}) {
        if (p.has(key)) {
          throw new ConfigException(key + " applies to a trace replay only: give -D" + PATH + "=<trace file> too");
        }
      }
      return null;
    }
    Path path = BenchConfig.readable(PATH, p.raw(PATH),
        "a mooncake or timed-trace JSONL, an Azure LLM inference trace CSV or a BurstGPT CSV");
    return new TraceSettings(path,
        p.has(FORMAT) ? p.enumValue(FORMAT, TraceFile.Format.class, null) : null,
        p.decimal(SPEED, 1.0, 1e-6, 1e6),
        p.has(MAX_REQUESTS) ? p.integer(MAX_REQUESTS, 0, 1, 100_000_000) : null,
        p.has(BLOCK_TOKENS) ? p.integer(BLOCK_TOKENS, 0, 1, 1_000_000) : null,
        p.decimal(SEC_MULTIPLIER, 1.0, 1e-12, 1e6));
  }

  /** For the start line. */
  public String describe() {
    return String.format(Locale.ROOT, " trace.path=%s%s trace.speed=%s%s%s%s", path,
        format == null ? "" : " trace.format=" + format.wireName(), speed,
        maxRequests == null ? "" : " trace.max.requests=" + maxRequests,
        blockTokens == null ? "" : " trace.block.tokens=" + blockTokens,
        secMultiplier == 1.0 ? "" : " trace.sec.multiplier=" + secMultiplier);
  }
}
