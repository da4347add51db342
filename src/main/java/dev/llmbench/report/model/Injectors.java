package dev.llmbench.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's part in a run spread over several injectors ({@code llm.run.Sharding}, docs/scaling-out.md), as
 * {@code llm-run.json} records it under {@code injectors}: written only when the run was sharded or given
 * a common start, so that other runs' files are as before.
 *
 * @param index this shard's {@code -Dinjector.index}; null in a merged run (all of them)
 * @param count {@code -Dinjector.count}
 * @param startAtEpochMs {@code -Dstart.at}, epoch milliseconds; null when not given
 * @param shards in a merged run, every shard merged, by index; null in a shard's own file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Injectors(Integer index, int count, Long startAtEpochMs, List<Shard> shards) {
  /** The parameter names a result keeps these under ({@link RunMetadata#parameters()}). */
  public static final String INDEX = "injectorIndex";
  public static final String COUNT = "injectorCount";
  public static final String START_AT = "startAtEpochMs";

  public Injectors {
    shards = shards == null ? null : List.copyOf(shards);
  }

  /**
   * One shard of a merged run.
   *
   * @param index its injector index
   * @param runFolder its Gatling run folder's name, as merged
   * @param startedAt when it was announced, ISO-8601 UTC
   * @param requests the rows of its {@code llm-requests.jsonl}, warm-ups included
   * @param clockShiftNanos what was added to its rows' {@code sentNanos} to put them on shard 0's
   *     {@code System.nanoTime()} clock (0 for shard 0)
   */
  public record Shard(int index, String runFolder, String startedAt, long requests, long clockShiftNanos) {}

  /** As a result's parameters: the count, the index when one shard's, the common start when given. */
  public SortedMap<String, String> asParameters() {
    SortedMap<String, String> p = new TreeMap<>();
    p.put(COUNT, Integer.toString(count));
    if (index != null) {
      p.put(INDEX, Integer.toString(index));
    }
    if (startAtEpochMs != null) {
      p.put(START_AT, Long.toString(startAtEpochMs));
    }
    return p;
  }
}
