package dev.llmbench.stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes the per-request side file, {@code llm-requests.jsonl}, from one background thread so that
 * event loops never touch the disk. One JSON object per line:
 *
 * <pre>
 * {"schemaVersion":1,"requestId":"…","group":"random-1024-1024","warmup":false,"ok":true,"error":null,
 *  "httpStatus":200,"sentEpochMicros":…,"sentNanos":…,"promptTokens":1024,"promptTokensPlanned":1024,"maxTokens":1024,
 *  "outputTokens":1024,"outputTokensSource":"usage","ttftMicros":…,"e2eMicros":…,"tpotMicros":…,
 *  "itlMicros":[…],"chunkTokens":[…]}
 * </pre>
 *
 * Times are microseconds; {@code tpotMicros} is {@code null} when undefined; {@code chunkTokens}
 * appears only when some content event carried more than one token. See {@link RequestResult} for
 * each field's meaning.
 */
public final class RequestLogWriter implements Closeable {
  public static final int SCHEMA_VERSION = 1;
  public static final String FILE_NAME = "llm-requests.jsonl";

  private static final RequestResult POISON = new RequestResult("", "", false, false, null, 0, 0, 0, 0, 0, 0, 0, "", 0,
      0, 0, new long[0], null);

  private final Path path;
  private final LinkedBlockingQueue<RequestResult> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final OutputStream out;
  private final JsonGenerator gen;
  private volatile IOException failure;
  private volatile int written;

  public RequestLogWriter(Path path) {
    this.path = path;
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE_NEW), 1 << 16);
      gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      gen.setRootValueSeparator(new SerializedString("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the per-request file " + path + ": " + e.getMessage(), e);
    }
    thread = new Thread(this::run, "llm-request-log");
    thread.setDaemon(true);
    thread.start();
  }

  public Path path() {
    return path;
  }

  /** Queues a result; never blocks. */
  public void add(RequestResult result) {
    queue.add(result);
  }

  /** Lines written so far. */
  public int written() {
    return written;
  }

  private void run() {
    List<RequestResult> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch);
        for (RequestResult r : batch) {
          if (r == POISON) {
            gen.writeRaw('\n');
            gen.flush();
            return;
          }
          write(r);
          written++;
        }
        batch.clear();
        gen.flush();
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(RequestResult r) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("schemaVersion", SCHEMA_VERSION);
    gen.writeStringField("requestId", r.requestId());
    gen.writeStringField("group", r.group());
    gen.writeBooleanField("warmup", r.warmup());
    gen.writeBooleanField("ok", r.ok());
    gen.writeStringField("error", r.error());
    gen.writeNumberField("httpStatus", r.httpStatus());
    gen.writeNumberField("sentEpochMicros", r.sentEpochMicros());
    gen.writeNumberField("sentNanos", r.sentNanos());
    gen.writeNumberField("promptTokens", r.promptTokens());
    gen.writeNumberField("promptTokensPlanned", r.promptTokensPlanned());
    gen.writeNumberField("maxTokens", r.maxTokens());
    gen.writeNumberField("outputTokens", r.outputTokens());
    gen.writeStringField("outputTokensSource", r.outputTokensSource());
    gen.writeNumberField("ttftMicros", r.ttftMicros());
    gen.writeNumberField("e2eMicros", r.e2eMicros());
    if (Double.isNaN(r.tpotMicros())) {
      gen.writeNullField("tpotMicros");
    } else {
      gen.writeNumberField("tpotMicros", Math.round(r.tpotMicros() * 1000) / 1000.0);
    }
    gen.writeFieldName("itlMicros");
    gen.writeArray(r.itlMicros(), 0, r.itlMicros().length);
    if (r.chunkTokens() != null) {
      gen.writeFieldName("chunkTokens");
      gen.writeArray(r.chunkTokens(), 0, r.chunkTokens().length);
    }
    gen.writeEndObject();
  }

  /** Writes everything queued and closes the file. */
  @Override
  public void close() {
    queue.add(POISON);
    try {
      thread.join(30_000);
      gen.close();
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
    if (failure != null) {
      throw new UncheckedIOException("writing " + path + " failed: " + failure.getMessage(), failure);
    }
  }
}
