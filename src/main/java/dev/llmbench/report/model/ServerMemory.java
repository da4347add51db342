package dev.llmbench.report.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * What the server's own log says of its GPU memory, the columns {@code bench_full.py}'s procedure
 * requires beside its figures: the weights, the memory left for the KV cache, and how many tokens
 * that cache holds. Each is null when the log did not say it.
 *
 * @param source the log file's name, to say where the figures came from
 * @param modelGiB memory taken by the model's weights, GiB
 * @param kvCacheGiB memory given to the KV cache, GiB
 * @param kvCacheTokens tokens the KV cache holds
 * @param problem why the log could not be read (the figures are then null), or null
 */
public record ServerMemory(String source, Double modelGiB, Double kvCacheGiB, Long kvCacheTokens,
    @JsonInclude(JsonInclude.Include.NON_NULL) String problem) {

  public ServerMemory {
    Objects.requireNonNull(source, "source");
  }

  /** The figures of a log that was read. */
  public ServerMemory(String source, Double modelGiB, Double kvCacheGiB, Long kvCacheTokens) {
    this(source, modelGiB, kvCacheGiB, kvCacheTokens, null);
  }

  /** Whether the log gave none of the figures. */
  @JsonIgnore
  public boolean isEmpty() {
    return modelGiB == null && kvCacheGiB == null && kvCacheTokens == null;
  }
}
