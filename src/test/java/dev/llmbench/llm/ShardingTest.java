package dev.llmbench.llm;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.llm.run.Sharding;
import dev.llmbench.workload.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a serving run splits over injectors ({@link Sharding}): shares, prompts, rates and the properties' checks. */
class ShardingTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static BenchConfig config(Map<String, String> props) {
    return BenchConfig.from(Props.of(props));
  }

  private static Map<String, String> shard(Map<String, String> base, int index, int count) {
    Map<String, String> m = new HashMap<>(base);
    m.put(Sharding.INDEX, Integer.toString(index));
    m.put(Sharding.COUNT, Integer.toString(count));
    return m;
  }

  private static Phase measured(Workloads.Plan plan) {
    return plan.phases().stream().filter(p -> !p.tickets().get(0).warmup()).findFirst().orElseThrow();
  }

  @Test
  void sharesSumToTheWholeAndDifferByAtMostOneTheRemainderToTheLowestIndices() {
    for (int count = 1; count <= 7; count++) {
      for (int t = count; t <= 40; t++) {
        int n = count;
        int total = t;
        int[] shares = IntStream.range(0, count).map(i -> new Sharding(i, n, null).share(total)).toArray();
        assertEquals(total, IntStream.of(shares).sum(), total + " over " + count);
        assertTrue(IntStream.of(shares).max().getAsInt() - IntStream.of(shares).min().getAsInt() <= 1);
        for (int i = 1; i < count; i++) {
          assertTrue(shares[i - 1] >= shares[i], "the remainder goes to the lowest indices: " + total + " over " + count);
        }
      }
    }
  }

  @Test
  void closedLoadSplitsRequestsAndStreamsAndEveryPromptGoesToExactlyOneShard() {
    Map<String, String> base = Map.of("profile", "random-256-256", "num.prompts", "31", "max.concurrency", "7",
        "random.input.len", "16", "random.output.len", "8");
    List<Ticket> whole = measured(Workloads.serving(config(base))).tickets();
    int count = 3;
    List<Ticket> union = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    int streams = 0;
    for (int i = 0; i < count; i++) {
      Workloads.Plan plan = Workloads.serving(config(shard(base, i, count)));
      Phase p = measured(plan);
      union.addAll(p.tickets());
      sizes.add(p.tickets().size());
      streams += p.workers();
      assertEquals(31, plan.numPrompts(), "the plan records the whole run's load");
      assertEquals(7, plan.maxConcurrency());
    }
    assertEquals(whole.size(), sizes.stream().mapToInt(Integer::intValue).sum());
    assertTrue(sizes.stream().mapToInt(Integer::intValue).max().getAsInt()
        - sizes.stream().mapToInt(Integer::intValue).min().getAsInt() <= 1);
    assertEquals(7, streams, "the streams sum to max.concurrency");
    // No prompt sent twice, none lost: the shards' tickets are the whole run's, each once.
    union.sort(java.util.Comparator.comparingInt(Ticket::index));
    assertEquals(whole.stream().map(Ticket::index).toList(), union.stream().map(Ticket::index).toList());
    assertEquals(whole.stream().map(Ticket::prompt).toList(), union.stream().map(Ticket::prompt).toList());
    assertEquals(whole.stream().map(Ticket::outputTokens).toList(), union.stream().map(Ticket::outputTokens).toList());
  }

  @Test
  void oneInjectorRunsAsBefore() {
    Map<String, String> base = Map.of("num.prompts", "20", "request.rate", "5", "random.input.len", "8",
        "random.output.len", "8");
    List<Ticket> plain = measured(Workloads.serving(config(base))).tickets();
    List<Ticket> single = measured(Workloads.serving(config(shard(base, 0, 1)))).tickets();
    assertEquals(plain, single);
  }

  @Test
  void openLoadShardsAddUpToPoissonArrivalsAtTheFullRate() {
    double rate = 10;
    int n = 3_000;
    int count = 3;
    Map<String, String> base = Map.of("num.prompts", Integer.toString(n), "request.rate", Double.toString(rate),
        "random.input.len", "4", "random.output.len", "4", "warmup.requests", "0");
    List<Long> union = new ArrayList<>();
    List<Long> firstGaps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Ticket> t = measured(Workloads.serving(config(shard(base, i, count)))).tickets();
      t.forEach(x -> union.add(x.arrivalOffsetNanos()));
      firstGaps.add(t.get(1).arrivalOffsetNanos());
      // Each shard alone sends at rate / count.
      double shardRate = (t.size() - 1) / (t.get(t.size() - 1).arrivalOffsetNanos() / 1e9);
      assertEquals(rate / count, shardRate, rate / count * 0.15, "shard " + i);
    }
    assertEquals(count, firstGaps.stream().distinct().count(), "each shard draws its own arrivals");
    union.sort(null);
    double span = union.get(union.size() - 1) / 1e9;
    assertEquals(rate, (n - 1) / span, rate * 0.1, "the union's rate is the whole rate");
    // Poisson: exponential gaps, whose standard deviation equals their mean.
    double[] gaps = IntStream.range(1, union.size()).mapToDouble(i -> (union.get(i) - union.get(i - 1)) / 1e9).toArray();
    double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (gaps.length - 1));
    assertEquals(1.0, sd / mean, 0.1, "coefficient of variation of the union's gaps");
  }

  @Test
  void badIndexCountAndStartAreRefusedInOneLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.INDEX, "3", Sharding.COUNT, "3")), k -> null, NOW));
    assertEquals("injector.index must be in [0, 2] for injector.count=3, but was 3", e.getMessage());
    assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.INDEX, "-1", Sharding.COUNT, "2")), k -> null, NOW));
    assertThrows(ConfigException.class, () -> Sharding.from(Props.of(Map.of(Sharding.COUNT, "0")), k -> null, NOW));
    e = assertThrows(ConfigException.class, () -> Sharding.from(Props.of(Map.of(Sharding.COUNT, "2")),
        k -> k.equals(Sharding.JOB_COMPLETION_INDEX) ? "2" : null, NOW));
    assertTrue(e.getMessage().contains("JOB_COMPLETION_INDEX"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.START_AT, "soon")), k -> null, NOW));
    assertTrue(e.getMessage().startsWith("start.at must be epoch milliseconds"), e.getMessage());
    long past = NOW.toEpochMilli() - Sharding.PAST_TOLERANCE.toMillis() - 1_000;
    e = assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.START_AT, Long.toString(past))), k -> null, NOW));
    assertTrue(e.getMessage().contains("in the past"), e.getMessage());
    long seconds = NOW.getEpochSecond() + 60;
    e = assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.START_AT, Long.toString(seconds))), k -> null, NOW));
    assertTrue(e.getMessage().contains("in the past"), "seconds read as milliseconds are in 1970: " + e.getMessage());
    long tooFar = NOW.toEpochMilli() + Sharding.FUTURE_LIMIT.toMillis() + 1;
    e = assertThrows(ConfigException.class,
        () -> Sharding.from(Props.of(Map.of(Sharding.START_AT, Long.toString(tooFar))), k -> null, NOW));
    assertTrue(e.getMessage().contains("not seconds"), e.getMessage());
  }

  @Test
  void indexComesFromTheIndexedJobWhenNotGiven() {
    Sharding s = Sharding.from(Props.of(Map.of(Sharding.COUNT, "4")),
        k -> k.equals(Sharding.JOB_COMPLETION_INDEX) ? "3" : null, NOW);
    assertEquals(new Sharding(3, 4, null), s);
    long at = NOW.toEpochMilli() + 30_000;
    assertEquals(new Sharding(1, 4, at), Sharding.from(Props.of(Map.of(Sharding.COUNT, "4", Sharding.INDEX, "1",
        Sharding.START_AT, Long.toString(at))), k -> "3", NOW), "the property wins over the variable");
  }

  @Test
  void aLoadTooSmallToSplitOrNotSplittableIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> Workloads.serving(config(shard(Map.of(
        "num.prompts", "10", "max.concurrency", "2", "random.input.len", "8"), 0, 3))));
    assertEquals("max.concurrency is 2, fewer than injector.count=3: every injector needs at least one", e.getMessage());
    assertThrows(ConfigException.class, () -> Workloads.serving(config(shard(Map.of("num.prompts", "2",
        "random.input.len", "8"), 0, 3))));
    assertThrows(ConfigException.class, () -> Workloads.matrix(config(shard(Map.of(), 1, 2)), null));
  }
}
