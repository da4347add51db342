package dev.llmbench.report.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.ServerHealth;
import dev.llmbench.report.model.ValidityThresholds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-monitor's figures and the validity thresholds as JSON objects, read from and written to
 * {@code llm-run.json} (and written into {@code summary.json} under {@code validity}).
 *
 * <p>The {@code monitor} object, version {@value #MONITOR_VERSION}; times are integers in the unit
 * their name ends with (version 1, written before the read lag was measured, is read too, as a run
 * without read-lag samples):
 *
 * <pre>
 * "monitor" : {
 *   "schemaVersion" : 2,
 *   "wallNanos" : long,            the load window: before() to the start of after(), ns
 *   "processCpuNanos" : long,      CPU time of the whole process over the window, ns
 *   "availableProcessors" : int,
 *   "processCpuShare" : number,    processCpuNanos / (wallNanos × availableProcessors), written for readers, not read
 *   "machineCpuLoad" : number|null busy share of the machine over the window, 0..1; null when unknown
 *   "loopTickMicros" : long,       period of the timer on each event loop
 *   "eventLoops" : int,            event loops watched
 *   "loopLagSamples", "loopLagP50Micros", "loopLagP99Micros", "loopLagMaxMicros" : long,
 *   "readLagSamples", "readLagP50Micros", "readLagP99Micros", "readLagMaxMicros" : long,
 *                                  a read's stamp − the first stamp of its loop's I/O pass; 0 samples
 *                                  when no stream was read on the stream loops
 *   "sendLagSamples", "sendLagP50Micros", "sendLagP99Micros", "sendLagMaxMicros" : long,
 *                                  0 samples when no request waited for a scheduled arrival
 *   "gcPauses", "gcPauseTotalMs", "gcPauseMaxMs" : long,        stop-the-world pauses (GC notifications)
 *   "gcCollections", "gcCollectorTimeMs" : long                 totals of the GC MXBeans
 * }
 * </pre>
 *
 * <p>The {@code validity} object of {@code llm-run.json}: {@code {"strict": boolean, "thresholds":
 * {"validity.loop.lag.ms": n, "validity.read.lag.ms": n, "validity.send.lag.ms": n,
 * "validity.gc.pause.ms": n, "validity.cpu.share": n}}}, the limits the run was started with
 * ({@code validity.read.lag.ms} is absent from runs made before it existed: its default is used).
 */
public final class ValidityJson {
  /** Version of the {@code monitor} object this code writes and reads. */
  public static final int MONITOR_VERSION = 2;

  private static final List<String> LONGS = List.of("wallNanos", "processCpuNanos", "loopTickMicros",
      "loopLagSamples", "loopLagP50Micros", "loopLagP99Micros", "loopLagMaxMicros", "sendLagSamples",
      "sendLagP50Micros", "sendLagP99Micros", "sendLagMaxMicros", "gcPauses", "gcPauseTotalMs", "gcPauseMaxMs",
      "gcCollections", "gcCollectorTimeMs");
  /** Added in version 2. */
  private static final List<String> READ_LAG = List.of("readLagSamples", "readLagP50Micros", "readLagP99Micros",
      "readLagMaxMicros");

  private ValidityJson() {}

  /** The {@code monitor} object, fields in the documented order; doubles as {@link Double}, NaN as null. */
  public static Map<String, Object> monitor(MonitorFigures m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("schemaVersion", MONITOR_VERSION);
    o.put("wallNanos", m.wallNanos());
    o.put("processCpuNanos", m.processCpuNanos());
    o.put("availableProcessors", m.availableProcessors());
    o.put("processCpuShare", m.processCpuShare());
    o.put("machineCpuLoad", Double.isNaN(m.machineCpuLoad()) ? null : m.machineCpuLoad());
    o.put("loopTickMicros", m.loopTickMicros());
    o.put("eventLoops", m.eventLoops());
    o.put("loopLagSamples", m.loopLagSamples());
    o.put("loopLagP50Micros", m.loopLagP50Micros());
    o.put("loopLagP99Micros", m.loopLagP99Micros());
    o.put("loopLagMaxMicros", m.loopLagMaxMicros());
    o.put("readLagSamples", m.readLagSamples());
    o.put("readLagP50Micros", m.readLagP50Micros());
    o.put("readLagP99Micros", m.readLagP99Micros());
    o.put("readLagMaxMicros", m.readLagMaxMicros());
    o.put("sendLagSamples", m.sendLagSamples());
    o.put("sendLagP50Micros", m.sendLagP50Micros());
    o.put("sendLagP99Micros", m.sendLagP99Micros());
    o.put("sendLagMaxMicros", m.sendLagMaxMicros());
    o.put("gcPauses", m.gcPauses());
    o.put("gcPauseTotalMs", m.gcPauseTotalMs());
    o.put("gcPauseMaxMs", m.gcPauseMaxMs());
    o.put("gcCollections", m.gcCollections());
    o.put("gcCollectorTimeMs", m.gcCollectorTimeMs());
    return o;
  }

  /**
   * Reads a {@code monitor} object.
   *
   * @throws IllegalArgumentException naming the field, when one is missing, of the wrong type or out of
   *     range, or when the object has another schemaVersion
   */
  public static MonitorFigures monitor(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("monitor must be a JSON object, but was " + o);
    }
    JsonNode version = o.get("schemaVersion");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.asInt() < 1
        || version.asInt() > MONITOR_VERSION) {
      throw new IllegalArgumentException("monitor has schemaVersion " + version + "; this tool reads 1 to "
          + MONITOR_VERSION);
    }
    Map<String, Long> v = new LinkedHashMap<>();
    for (String field : LONGS) {
      v.put(field, integer(o, field));
    }
    for (String field : READ_LAG) {
      v.put(field, version.asInt() >= 2 ? integer(o, field) : 0L);
    }
    long processors = integer(o, "availableProcessors");
    JsonNode load = o.get("machineCpuLoad");
    double machine;
    if (load == null || load.isNull()) {
      machine = Double.NaN;
    } else if (load.isNumber()) {
      machine = load.asDouble();
    } else {
      throw new IllegalArgumentException("monitor.machineCpuLoad must be a number or null, but was " + load);
    }
    return new MonitorFigures(v.get("wallNanos"), v.get("processCpuNanos"), (int) processors, machine,
        v.get("loopTickMicros"), (int) integer(o, "eventLoops"), v.get("loopLagSamples"), v.get("loopLagP50Micros"),
        v.get("loopLagP99Micros"), v.get("loopLagMaxMicros"), v.get("readLagSamples"), v.get("readLagP50Micros"),
        v.get("readLagP99Micros"), v.get("readLagMaxMicros"), v.get("sendLagSamples"), v.get("sendLagP50Micros"),
        v.get("sendLagP99Micros"), v.get("sendLagMaxMicros"), v.get("gcPauses"), v.get("gcPauseTotalMs"),
        v.get("gcPauseMaxMs"), v.get("gcCollections"), v.get("gcCollectorTimeMs"));
  }

  /**
   * The server's health as {@code summary.json} shows it under {@code validity.requests}: {@code planned}
   * (-1 when unknown), {@code sent}, {@code notSent}, {@code measured}, {@code connectionFailures},
   * {@code breakerTripped}, {@code trippedAt} (null when it did not trip).
   */
  public static Map<String, Object> requests(ServerHealth h) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("planned", h.planned());
    o.put("sent", h.sent());
    o.put("notSent", h.notSent());
    o.put("measured", h.measured());
    o.put("connectionFailures", h.connectionFailures());
    o.put("breakerTripped", h.tripped());
    o.put("trippedAt", h.trippedAt());
    return o;
  }

  /**
   * The server's health of a run, from {@code llm-run.json}'s {@code requests} ({@code {"planned",
   * "sent", "notSent"}}) and {@code breaker} ({@code {"enabled", "consecutiveFailures", "errorRate",
   * "windowRequests", "tripped", "reason", "trippedAt"}}) objects, written when the run ends, and the
   * measured requests' results; null for a run from before the circuit breaker (neither object).
   *
   * @throws IllegalArgumentException naming the field, when a count is missing or below -1
   */
  public static ServerHealth server(RunDescription.AfterLoad run, long measured, long connectionFailures) {
    RunDescription.Requests requests = run.requests();
    RunDescription.Breaker breaker = run.breaker();
    if (requests == null && breaker == null) {
      return null;
    }
    long planned = -1;
    long sent = measured;
    long notSent = 0;
    if (requests != null) {
      planned = count(requests.planned(), "requests.planned");
      sent = count(requests.sent(), "requests.sent");
      notSent = count(requests.notSent(), "requests.notSent");
    }
    String reason = null;
    String at = null;
    if (breaker != null && Boolean.TRUE.equals(breaker.tripped())) {
      reason = breaker.reason() == null ? "unknown" : breaker.reason();
      at = breaker.trippedAt();
    }
    return new ServerHealth(reason, at, planned, sent, notSent, measured, connectionFailures);
  }

  private static long count(Long n, String path) {
    if (n == null || n < -1) {
      throw new IllegalArgumentException(path + " must be an integer, but was " + n);
    }
    return n;
  }

  /** The thresholds keyed by their property names, in a fixed order. */
  public static Map<String, Object> thresholds(ValidityThresholds t) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(ValidityThresholds.LOOP_LAG, t.loopLagMs());
    o.put(ValidityThresholds.READ_LAG, t.readLagMs());
    o.put(ValidityThresholds.SEND_LAG, t.sendLagMs());
    o.put(ValidityThresholds.GC_PAUSE, t.gcPauseMs());
    o.put(ValidityThresholds.CPU_SHARE, t.cpuShare());
    return o;
  }

  /**
   * Reads thresholds keyed by property names; every key must be there but {@code validity.read.lag.ms},
   * which runs made before it existed lack (its default then).
   */
  public static ValidityThresholds thresholds(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("validity.thresholds must be a JSON object, but was " + o);
    }
    double readLag = o.has(ValidityThresholds.READ_LAG) ? number(o, ValidityThresholds.READ_LAG)
        : ValidityThresholds.DEFAULTS.readLagMs();
    return new ValidityThresholds(number(o, ValidityThresholds.LOOP_LAG), readLag,
        number(o, ValidityThresholds.SEND_LAG), number(o, ValidityThresholds.GC_PAUSE),
        number(o, ValidityThresholds.CPU_SHARE));
  }

  private static long integer(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("monitor." + field + " must be an integer, but was " + n);
    }
    return n.asLong();
  }

  private static double number(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("validity.thresholds." + field + " must be a number, but was " + n);
    }
    return n.asDouble();
  }
}
