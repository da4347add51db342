package dev.llmbench.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.io.JsonLines;
import dev.llmbench.io.JsonlWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The emulator's record of what it really did, for measuring a load generator's timing error.
 *
 * <p>In process: {@link #byId}, {@link #byClientRequestId}, {@link #all()}, {@link #awaitCount}. On
 * disk (optional), read back with {@link #readFile}: a JSONL file with one line per finished request:
 *
 * <pre>
 * {"schemaVersion":1,"id":"chatcmpl-7","clientRequestId":"r-7","api":"chat","arrivalNanos":…,
 *  "arrivalEpochMicros":…,"promptTokens":1024,"cachedTokens":512,"completionTokens":1024,"finishNanos":…,"outcome":"ok",
 *  "chunkNanos":[…],"chunkTokens":[…],"chunkLagNanos":[…]}
 * </pre>
 *
 * Every {@code *Nanos} field is a {@link System#nanoTime()} stamp (shared by all processes on a Linux
 * machine); {@code chunkLagNanos} is flush time minus the engine's planned time (scheduling delay).
 * {@code cachedTokens} (prompt tokens the prefix cache spared) was added without a version change: a
 * file from before reads as 0.
 */
public final class GroundTruth implements Closeable {
  public static final int SCHEMA_VERSION = 1;

  private final int capacity;
  private final Map<String, RequestTrace> byId = new ConcurrentHashMap<>();
  private final Map<String, RequestTrace> byClientId = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<RequestTrace> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger kept = new AtomicInteger();
  private final Recorder schedulingLag = new Recorder(3_600_000_000_000L, 3);
  private final Histogram schedulingLagTotal = new Histogram(3_600_000_000_000L, 3);
  private final JsonlWriter<RequestTrace> file;

  GroundTruth(int capacity, Path jsonl) {
    this.capacity = capacity;
    this.file = jsonl == null ? null : new JsonlWriter<>(jsonl, "emulator-ground-truth-writer", GroundTruth::write,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  void publish(RequestTrace trace) {
    for (long lag : trace.chunkLagNanos()) {
      schedulingLag.recordValue(Math.max(0, lag));
    }
    if (capacity > 0) {
      byId.put(trace.id(), trace);
      if (trace.clientRequestId() != null) {
        byClientId.put(trace.clientRequestId(), trace);
      }
      order.add(trace);
      // ConcurrentLinkedQueue.size() walks the queue: keep our own count.
      if (kept.incrementAndGet() > capacity) {
        RequestTrace old = order.poll();
        if (old != null) {
          kept.decrementAndGet();
          byId.remove(old.id());
          if (old.clientRequestId() != null) {
            byClientId.remove(old.clientRequestId(), old);
          }
        }
      }
    }
    if (file != null) {
      file.add(trace);
    }
    synchronized (finished) {
      finished.incrementAndGet();
      finished.notifyAll();
    }
  }

  public RequestTrace byId(String id) {
    return byId.get(id);
  }

  public RequestTrace byClientRequestId(String clientRequestId) {
    return byClientId.get(clientRequestId);
  }

  /** The traces kept in memory, oldest first. */
  public List<RequestTrace> all() {
    return new ArrayList<>(order);
  }

  /** Requests finished (or lost) since start or the last {@link #clear()}. */
  public int finishedCount() {
    return finished.get();
  }

  /** Waits until at least {@code count} requests have finished; false on time-out. */
  public boolean awaitCount(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (finished) {
      while (finished.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(finished, left);
      }
      return true;
    }
  }

  /**
   * Distribution of the emulator's own scheduling delay (chunk flush time minus the time its engine
   * planned it for), in nanoseconds, over everything since start or the last {@link #clear()}.
   */
  public synchronized Histogram schedulingLagNanos() {
    schedulingLagTotal.add(schedulingLag.getIntervalHistogram());
    return schedulingLagTotal.copy();
  }

  /** Forgets everything recorded so far (the JSONL file keeps its lines). */
  public synchronized void clear() {
    byId.clear();
    byClientId.clear();
    order.clear();
    kept.set(0);
    finished.set(0);
    schedulingLag.reset();
    schedulingLagTotal.reset();
  }

  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }

  /**
   * Reads a ground-truth file written by this class, one {@link RequestTrace} per line, in file order.
   *
   * @throws IOException when a line is not valid JSON or has another {@code schemaVersion}; the message
   *     names the file and line
   */
  public static void readFile(Path file, Consumer<RequestTrace> each) throws IOException {
    JsonLines.read(file, (lineNo, n) -> {
      int version = n.path("schemaVersion").asInt(-1);
      if (version != SCHEMA_VERSION) {
        throw new IOException(file + ":" + lineNo + ": schemaVersion " + version + "; this tool reads "
            + SCHEMA_VERSION);
      }
      each.accept(new RequestTrace(n.path("id").asText(), n.path("clientRequestId").asText(null),
          n.path("api").asText(), n.path("arrivalNanos").asLong(), n.path("arrivalEpochMicros").asLong(),
          n.path("promptTokens").asInt(), n.path("cachedTokens").asInt(0), n.path("completionTokens").asInt(),
          longs(n.path("chunkNanos")),
          ints(n.path("chunkTokens")), longs(n.path("chunkLagNanos")), n.path("finishNanos").asLong(),
          n.path("outcome").asText(), n.path("sessionId").asText(null)));
    });
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static void write(JsonGenerator gen, RequestTrace t) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("schemaVersion", SCHEMA_VERSION);
    gen.writeStringField("id", t.id());
    gen.writeStringField("clientRequestId", t.clientRequestId());
    gen.writeStringField("api", t.api());
    gen.writeNumberField("arrivalNanos", t.arrivalNanos());
    gen.writeNumberField("arrivalEpochMicros", t.arrivalEpochMicros());
    gen.writeNumberField("promptTokens", t.promptTokens());
    gen.writeNumberField("cachedTokens", t.cachedTokens());
    gen.writeNumberField("completionTokens", t.completionTokens());
    gen.writeNumberField("finishNanos", t.finishNanos());
    gen.writeStringField("outcome", t.outcome());
    if (t.sessionId() != null) {
      gen.writeStringField("sessionId", t.sessionId());
    }
    gen.writeFieldName("chunkNanos");
    gen.writeArray(t.chunkNanos(), 0, t.chunkNanos().length);
    gen.writeFieldName("chunkTokens");
    gen.writeArray(t.chunkTokens(), 0, t.chunkTokens().length);
    gen.writeFieldName("chunkLagNanos");
    gen.writeArray(t.chunkLagNanos(), 0, t.chunkLagNanos().length);
    gen.writeEndObject();
  }
}
