package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * This injector's share of a run spread over several load-generator machines (docs/scaling-out.md):
 * shard {@code index} of {@code count}, each running exactly 1/count of the load, and the common start
 * they all wait for. One injector ({@link #SINGLE}) runs the whole load as before.
 *
 * <p>How the load splits, one formula each, tested in {@code ShardingTest}:
 * <ul>
 *   <li>prompts: shard i takes the global tickets i, i + count, i + 2·count, ... ({@link #tickets}): every
 *       prompt goes to exactly one shard, and the counts differ by at most one, the remainder going to the
 *       lowest indices. Strided, not in blocks, so that each shard's prompts are a sample of the whole
 *       (random lengths, or a prompt file sorted by length).
 *   <li>closed loads: {@code max.concurrency} splits as the prompts do ({@link #share});
 *   <li>open loads: each shard runs {@code rate / count} ({@link #rate}) with its own seed
 *       ({@link #arrivalSeed}); independent Poisson processes at rate/count add up to one Poisson process
 *       at the full rate. (Gamma arrivals, {@code burstiness != 1}, do not add up to gamma arrivals: the
 *       union is burstier-looking only as a superposition is; docs/scaling-out.md.)
 * </ul>
 *
 * @param index {@code -Dinjector.index}, else {@code $JOB_COMPLETION_INDEX} (a Kubernetes Indexed Job's),
 *     else 0
 * @param count {@code -Dinjector.count}: how many injectors share the load, 1 by default
 * @param startAtEpochMs {@code -Dstart.at}: epoch milliseconds at which every shard starts its load; null
 *     to start at once
 */
public record Sharding(int index, int count, Long startAtEpochMs) {
  public static final String INDEX = "injector.index";
  public static final String COUNT = "injector.count";
  public static final String START_AT = "start.at";
  /** The variable a Kubernetes Indexed Job sets to each pod's completion index. */
  public static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
  /** How far in the past {@code start.at} may be when read (clocks of machines differ by this much at most). */
  public static final Duration PAST_TOLERANCE = Duration.ofSeconds(5);
  /** How far in the future: further is taken for a mistake (seconds for milliseconds, a wrong date). */
  public static final Duration FUTURE_LIMIT = Duration.ofHours(24);

  /** The whole load on this one injector. */
  public static final Sharding SINGLE = new Sharding(0, 1, null);

  public Sharding {
    if (count < 1) {
      throw new ConfigException(COUNT + " must be at least 1, but was " + count);
    }
    if (index < 0 || index >= count) {
      throw new ConfigException(INDEX + " must be in [0, " + (count - 1) + "] (" + COUNT + "=" + count + "), but was "
          + index);
    }
  }

  /** From the properties, {@code env} ({@link System#getenv}) and the wall clock now. */
  public static Sharding from(Props p, Function<String, String> env, Instant now) {
    int count = p.integer(COUNT, 1, 1, 100_000);
    int index;
    if (p.has(INDEX)) {
      index = p.integer(INDEX, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    } else if (env.apply(JOB_COMPLETION_INDEX) != null) {
      String raw = env.apply(JOB_COMPLETION_INDEX).trim();
      try {
        index = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new ConfigException(JOB_COMPLETION_INDEX + " must be an integer (the injector's index), but was \""
            + raw + "\"", e);
      }
    } else {
      index = 0;
    }
    if (index < 0 || index >= count) {
      throw new ConfigException(INDEX + " must be in [0, " + (count - 1) + "] for " + COUNT + "=" + count
          + ", but was " + index + (p.has(INDEX) ? "" : " (from $" + JOB_COMPLETION_INDEX + ")"));
    }
    Long startAt = p.has(START_AT) ? startAt(p.raw(START_AT), now) : null;
    return new Sharding(index, count, startAt);
  }

  static long startAt(String raw, Instant now) {
    long ms;
    try {
      ms = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(START_AT + " must be epoch milliseconds (e.g. $(( $(date +%s) * 1000 + 60000 )) for a "
          + "minute from now), but was \"" + raw + "\"", e);
    }
    long nowMs = now.toEpochMilli();
    if (ms < nowMs - PAST_TOLERANCE.toMillis()) {
      throw new ConfigException(START_AT + " " + ms + " (" + Instant.ofEpochMilli(ms) + ") is " + (nowMs - ms) / 1000
          + " s in the past; give a time after this injector starts (now is " + nowMs + ")");
    }
    if (ms > nowMs + FUTURE_LIMIT.toMillis()) {
      throw new ConfigException(START_AT + " " + ms + " (" + Instant.ofEpochMilli(ms) + ") is more than "
          + FUTURE_LIMIT.toHours() + " h ahead; it is epoch milliseconds, not seconds (now is " + nowMs + ")");
    }
    return ms;
  }

  /** Whether the load is shared with other injectors. */
  public boolean sharded() {
    return count > 1;
  }

  /** Whether there is anything to record: sharded, or a common start. */
  public boolean recorded() {
    return sharded() || startAtEpochMs != null;
  }

  /** This shard's part of {@code total} (requests, streams): total / count, plus one for the lowest total % count indices. */
  public int share(int total) {
    return total / count + (index < total % count ? 1 : 0);
  }

  /** This shard's tickets of the whole list: positions index, index + count, ... (so {@link #share} of them). */
  public <T> List<T> tickets(List<T> all) {
    List<T> mine = new ArrayList<>(share(all.size()));
    for (int i = index; i < all.size(); i += count) {
      mine.add(all.get(i));
    }
    return mine;
  }

  /** This shard's request rate: the whole rate's 1/count share (an infinite rate stays infinite). */
  public double rate(double wholeRate) {
    return wholeRate / count;
  }

  /**
   * The seed of this shard's arrivals, from the run's: the run's own for a single injector (its run is
   * as before), else a different one per index (multiplying by an odd constant is one-to-one, so no two
   * indices share a seed), so that the shards' arrival processes are independent.
   */
  public long arrivalSeed(long runSeed) {
    return count == 1 ? runSeed : runSeed + 0x9E3779B97F4A7C15L * (index + 1);
  }

  /**
   * Refuses a run that cannot be split into equal shares ({@code what} names it), so that no shard is
   * empty: {@code total} of something (prompts, streams) fewer than the shards.
   */
  public void requireShares(String what, int total) {
    if (sharded() && total < count) {
      throw new ConfigException(what + " is " + total + ", fewer than " + COUNT + "=" + count
          + ": every injector needs at least one");
    }
  }

  /** Refuses sharding for a run that is not split ({@code what}: the matrix, a capacity search, a pooling run). */
  public void requireSingle(String what) {
    if (sharded()) {
      throw new ConfigException(what + " runs on one injector; " + COUNT + "=" + count + " splits only bench_serving's "
          + "serving runs (docs/scaling-out.md)");
    }
  }

  /** Waits until {@link #startAtEpochMs}, if given and ahead; returns the milliseconds waited. */
  public long awaitStart() throws InterruptedException {
    if (startAtEpochMs == null) {
      return 0;
    }
    long waitMs = startAtEpochMs - System.currentTimeMillis();
    if (waitMs > 0) {
      Thread.sleep(waitMs);
    }
    return Math.max(0, waitMs);
  }

  /** For the start line: empty for a single injector without a common start. */
  public String describe() {
    if (!recorded()) {
      return "";
    }
    return String.format(Locale.ROOT, " injector=%d/%d%s", index, count,
        startAtEpochMs == null ? "" : " start.at=" + Instant.ofEpochMilli(startAtEpochMs));
  }
}
