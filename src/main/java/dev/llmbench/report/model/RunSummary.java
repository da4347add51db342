package dev.llmbench.report.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the reports of one run show: its metadata, the metrics of each group (in the order
 * given: the order the run measured them, see {@code report.stats.ServingMetrics.byGroup})
 * and every request, warm-ups included (sorted by {@link RequestRow#ORDER}).
 *
 * @param metadata what the run was
 * @param groups one entry per group, names unique
 * @param requests one row per request
 * @param validity whether the load generator bent the figures (its self-monitor's verdict), or null
 *     when unknown: a run folder from before the self-monitor, or a run that never started its load
 * @param serverMemory the memory figures of the server's log ({@code -Dserver.log}), or null when the
 *     run was not given one
 * @param timelines each group's steady state, time slices and over-saturation verdict, in the groups' order;
 *     empty when not computed (a summary built by hand)
 * @param capacity the capacity search the run made ({@code capacity.json} of a {@code CapacitySimulation}'s run
 *     folder), or null when it made none
 * @param server the server's telemetry in a few figures ({@code /metrics} and the GPUs, read during the run),
 *     or null when the run recorded none
 * @param offline the offline sweep's table ({@code OfflineSimulation}: one row per batch size, computed from
 *     the side file's token stamps, which the request rows do not carry); empty for other runs
 * @param accuracy the accuracy gate's result, asked before the load ({@code -Daccuracy}), or null when the run
 *     had none
 * @param prefixCache the client's view of the server's prefix cache (hits, misses, their TTFT) from the cached
 *     tokens the server reported per request, or null when it reported none
 */
public record RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests,
    Validity validity, ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines,
    CapacitySearchResult capacity, ServerPeaks server, List<OfflineRow> offline, Accuracy accuracy,
    PrefixCacheView prefixCache) {

  /** Version of the files written from a summary ({@code summary.json}'s {@code schemaVersion}). */
  public static final int SCHEMA_VERSION = 1;

  public RunSummary {
    Objects.requireNonNull(metadata, "metadata");
    List<GroupMetrics> g = new ArrayList<>(Objects.requireNonNull(groups, "groups"));
    Set<String> names = new HashSet<>();
    for (GroupMetrics m : g) {
      if (!names.add(m.group())) {
        throw new IllegalArgumentException("run " + metadata.runId() + ": group '" + m.group()
            + "' appears more than once");
      }
    }
    List<RequestRow> r = new ArrayList<>(Objects.requireNonNull(requests, "requests"));
    r.sort(RequestRow.ORDER);
    for (RequestRow row : r) {
      if (!row.warmup() && !names.contains(row.group())) {
        throw new IllegalArgumentException("run " + metadata.runId() + ": request " + row.requestId()
            + " is in group '" + row.group() + "', which has no metrics");
      }
    }
    groups = List.copyOf(g);
    requests = List.copyOf(r);
    offline = offline == null ? List.of() : List.copyOf(offline);
    for (OfflineRow o : offline) {
      if (!names.contains(o.group())) {
        throw new IllegalArgumentException("run " + metadata.runId() + ": offline row of group '" + o.group()
            + "', which has no metrics");
      }
    }
    timelines = timelines == null ? List.of() : List.copyOf(timelines);
    for (GroupTimeline t : timelines) {
      if (!names.contains(t.group())) {
        throw new IllegalArgumentException("run " + metadata.runId() + ": timeline of group '" + t.group()
            + "', which has no metrics");
      }
    }
  }

  /** A summary without the client's view of a prefix cache. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines,
      CapacitySearchResult capacity, ServerPeaks server, List<OfflineRow> offline, Accuracy accuracy) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server, offline,
        accuracy, null);
  }

  /** A summary without an offline table or an accuracy gate. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines,
      CapacitySearchResult capacity, ServerPeaks server) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server, List.of(),
        null);
  }

  /** A summary without an accuracy gate. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines,
      CapacitySearchResult capacity, ServerPeaks server, List<OfflineRow> offline) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server, offline, null);
  }

  /** A summary without the server's telemetry. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines,
      CapacitySearchResult capacity) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, null);
  }

  /** A summary without a capacity search. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing, List<GroupTimeline> timelines) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, null);
  }

  /** A summary without timelines. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory, PromptSizing promptSizing) {
    this(metadata, groups, requests, validity, serverMemory, promptSizing, List.of());
  }

  /** A summary without the prompt sizing's check (a run that did not record it). */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity,
      ServerMemory serverMemory) {
    this(metadata, groups, requests, validity, serverMemory, null);
  }

  /** A summary whose validity is unknown, without a server log. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests) {
    this(metadata, groups, requests, null, null);
  }

  /** A summary without a server log. */
  public RunSummary(RunMetadata metadata, List<GroupMetrics> groups, List<RequestRow> requests, Validity validity) {
    this(metadata, groups, requests, validity, null);
  }

  /**
   * Requests of the run (warm-ups included) that were sent again on a new connection, because the
   * reused connection they were written to closed before any byte of the answer.
   */
  public long resends() {
    long n = 0;
    for (RequestRow r : requests) {
      n += r.resends();
    }
    return n;
  }

  /** The same summary with the given validity verdict (null: unknown). */
  public RunSummary withValidity(Validity v) {
    return new RunSummary(metadata, groups, requests, v, serverMemory, promptSizing, timelines, capacity, server,
        offline, accuracy, prefixCache);
  }

  /** The same summary with the memory figures of the server's log (null: none given). */
  public RunSummary withServerMemory(ServerMemory memory) {
    return new RunSummary(metadata, groups, requests, validity, memory, promptSizing, timelines, capacity, server,
        offline, accuracy, prefixCache);
  }

  /** The same summary with the check of its planned input tokens against the server's (null: none). */
  public RunSummary withPromptSizing(PromptSizing sizing) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, sizing, timelines, capacity, server,
        offline, accuracy, prefixCache);
  }

  /** The same summary with each group's steady state and time slices. */
  public RunSummary withTimelines(List<GroupTimeline> t) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, t, capacity, server,
        offline, accuracy, prefixCache);
  }

  /** The same summary with the capacity search the run made (null: none). */
  public RunSummary withCapacity(CapacitySearchResult c) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, c, server,
        offline, accuracy, prefixCache);
  }

  /** The same summary with the server's telemetry in a few figures (null: none recorded). */
  public RunSummary withServer(ServerPeaks p) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, p,
        offline, accuracy, prefixCache);
  }

  /** The same summary with the offline sweep's table (empty: none). */
  public RunSummary withOffline(List<OfflineRow> rows) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server,
        rows, accuracy, prefixCache);
  }

  /** The same summary with the accuracy gate's result (null: none). */
  public RunSummary withAccuracy(Accuracy a) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server,
        offline, a, prefixCache);
  }

  /** The same summary with the client's view of the prefix cache (null: the server reported no cached tokens). */
  public RunSummary withPrefixCache(PrefixCacheView view) {
    return new RunSummary(metadata, groups, requests, validity, serverMemory, promptSizing, timelines, capacity, server,
        offline, accuracy, view);
  }

  /** The timeline of this group, or null when none was computed. */
  public GroupTimeline timeline(String group) {
    for (GroupTimeline t : timelines) {
      if (t.group().equals(group)) {
        return t;
      }
    }
    return null;
  }
}
