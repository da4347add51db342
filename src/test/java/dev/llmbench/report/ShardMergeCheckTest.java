package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.report.input.RunDescriptionFile;
import dev.llmbench.report.model.Injectors;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge's refusals ({@link ShardMerge#check}) and its clock alignment, without running any shard. */
class ShardMergeCheckTest {
  @TempDir
  Path dir;

  private static LoadParameters load(long seed) {
    return new LoadParameters(true, null, "smoke", 30, LoadParameters.MaxConcurrency.of(6), List.of("inf"), 1.0, null,
        seed, null, 2, 1, null, 16, 24, 1.0, null);
  }

  private static RunDescription run(String profile, LoadParameters load, Injectors injectors) {
    return new RunDescription(RunDescription.SCHEMA_VERSION, "2026-12-06T12:00:00Z", profile, "emulator",
        "openai-chat", "m", "http://127.0.0.1:1", null, null, null, load, null, List.of(), List.of(), null, null, injectors,
        RunDescription.AfterLoad.NONE);
  }

  private static ShardMerge.Shard shard(String name, int index, int count, String profile, long seed, String sim) {
    return new ShardMerge.Shard(Path.of(name), run(profile, load(seed), new Injectors(index, count, null, null)),
        new Injectors(index, count, null, null), sim, List.of());
  }

  private static ShardMerge.Shard shard(String name, int index, int count) {
    return shard(name, index, count, "random-256-256", 1, "simulations.ServingSimulation");
  }

  private static String refusal(ShardMerge.Shard... shards) {
    return assertThrows(ShardMerge.MergeException.class, () -> ShardMerge.check(List.of(shards))).getMessage();
  }

  @Test
  void shardsThatBelongTogetherComeBackByIndex() throws ShardMerge.MergeException {
    List<ShardMerge.Shard> ordered = ShardMerge.check(List.of(shard("c", 2, 3), shard("a", 0, 3), shard("b", 1, 3)));
    assertEquals(List.of(0, 1, 2), ordered.stream().map(s -> s.injectors().index()).toList());
  }

  @Test
  void aMissingShardADuplicateOrADifferenceIsNamed() {
    assertEquals("shard with injector.index 1 of injector.count=3 is missing (given: [0, 2])",
        refusal(shard("a", 0, 3), shard("c", 2, 3)));
    assertEquals("shards b and c both have injector.index 1",
        refusal(shard("a", 0, 2), shard("b", 1, 2), shard("c", 1, 2)));
    assertEquals("shard b (injector.index 1) differs from shard a (injector.index 0): profile is random-1024-1024, "
        + "not random-256-256", refusal(shard("a", 0, 2), shard("b", 1, 2, "random-1024-1024", 1, "x")
        .withSimulationOf(shard("a", 0, 2))));
    assertEquals("shard b (injector.index 1) differs from shard a (injector.index 0): simulation is "
        + "simulations.SmokeSimulation, not simulations.ServingSimulation",
        refusal(shard("a", 0, 2), shard("b", 1, 2, "random-256-256", 1, "simulations.SmokeSimulation")));
    assertEquals("shard b (injector.index 1) differs from shard a (injector.index 0): injector.count is 3, not 2",
        refusal(shard("a", 0, 2), shard("b", 1, 3)));
    assertEquals("shard b (injector.index 1) differs from shard a (injector.index 0): load parameter seed is 7, not 1",
        refusal(shard("a", 0, 2), shard("b", 1, 2, "random-256-256", 7, "simulations.ServingSimulation")));
  }

  @Test
  void aRunThatIsNotAShardIsRefusedAndNothingIsWritten() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("run-1"));
    RunDescriptionFile.write(run("random-256-256", load(1), null), plain.resolve(RunDescriptionFile.FILE_NAME));
    Files.writeString(plain.resolve(RequestLogWriter.FILE_NAME), "");
    Files.writeString(plain.resolve("simulation.log"), "");
    ShardMerge.MergeException e = assertThrows(ShardMerge.MergeException.class, () -> ShardMerge.merge(List.of(plain)));
    assertTrue(e.getMessage().startsWith(plain + " is not a shard"), e.getMessage());
    Path missing = dir.resolve("gone");
    e = assertThrows(ShardMerge.MergeException.class, () -> ShardMerge.merge(List.of(plain.resolveSibling("gone"))));
    assertEquals(missing + " is not a folder; pass the shards' Gatling run folders", e.getMessage());
    try (var listed = Files.list(dir)) {
      assertEquals(List.of(plain), listed.toList(), "nothing written");
    }
  }

  @Test
  void theCommandSaysWhyInOneLineAndExitsWithTwo() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("run-2"));
    RunDescriptionFile.write(run("random-256-256", load(1), null), plain.resolve(RunDescriptionFile.FILE_NAME));
    Files.writeString(plain.resolve(RequestLogWriter.FILE_NAME), "");
    Files.writeString(plain.resolve("simulation.log"), "");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = dev.llmbench.cli.MergeCommand.run(new String[] {plain.toString()},
        dev.llmbench.config.Props.of(java.util.Map.of("llmbench.reports.dir", dir.resolve("reports").toString())),
        java.util.Map.of(), dir, java.time.Instant.EPOCH, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(dev.llmbench.cli.PostRunCommand.INPUT_ERROR, code);
    String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(said.startsWith("llm-serving-bench merge: ERROR " + plain + " is not a shard"), said);
    assertEquals(1, said.strip().lines().count(), said);
    assertFalse(Files.exists(dir.resolve("reports")), "nothing written");
  }

  @Test
  void eachShardsClockIsMovedOntoShardZerosByItsWallClockOrigin() {
    Random random = new Random(11);
    long originA = random.nextLong() >>> 2;
    long originB = random.nextLong() >>> 2;
    List<RequestResult> a = rows(originA, random);
    List<RequestResult> b = rows(originB, random);
    long shift = ShardMerge.clockShiftNanos(b, a);
    // Microsecond rounding of the wall clock: within a microsecond of the origins' difference.
    assertEquals(originB - originA, shift, 1_000);
    assertEquals(0, ShardMerge.clockShiftNanos(a, a));
  }

  /** Rows sent at random monotonic times whose wall-clock time is {@code origin} later, in microseconds. */
  private static List<RequestResult> rows(long origin, Random random) {
    return random.longs(25, 1_000_000_000L, 2_000_000_000L).mapToObj(nanos -> new RequestResult("r", "g", false, true,
        null, 200, (nanos + origin) / 1_000, nanos, 1, 1, 1, 1, "usage", 1, 1, Double.NaN, new long[0], null)).toList();
  }
}
