package dev.llmbench.requests;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbench.io.JsonlWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;


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
 * appears only when some content event carried more than one token; {@code fallbackParses} (events
 * read by the full JSON parse, not by the byte patterns) only when not 0; {@code resends} (an integer) only
 * when the request was sent again on a new connection (read as 0 when absent); {@code items} only for a
 * pooling request (scoring, reranking, embedding), {@code inputHash} and {@code answer} only when answers
 * are kept for comparison (strings; read as 0 and null when absent); {@code clientQueueMicros} (after
 * {@code e2eMicros}) only when the request's client queue time is known, a phase with a schedule or a
 * concurrency limit (read as -1 when absent); {@code cachedTokens} (after it) only when the server reported
 * prompt tokens found in its prefix cache (vLLM's {@code usage.prompt_tokens_details.cached_tokens}, SGLang's
 * {@code meta_info.cached_tokens}; read as -1 when absent). See {@link RequestResult}
 * for each field's meaning.
 */
public final class RequestLogWriter implements Closeable {
  public static final int SCHEMA_VERSION = 1;
  public static final String FILE_NAME = "llm-requests.jsonl";

  private final JsonlWriter<RequestResult> writer;
  /** Who else reads each row as it is added (a capacity search judging its steps); null for none. */
  private volatile java.util.function.Consumer<RequestResult> tap;

  /** Creates the file; an existing file is never overwritten. */
  public RequestLogWriter(Path path) {
    this.writer = new JsonlWriter<>(path, "llm-request-log", RequestLogWriter::write, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  public Path path() {
    return writer.path();
  }

  /** Queues a result; never blocks. */
  public void add(RequestResult result) {
    writer.add(result);
    java.util.function.Consumer<RequestResult> t = tap;
    if (t != null) {
      t.accept(result);
    }
  }

  /**
   * Gives every row added from now on to {@code tap} as well, on the thread that adds it (an event loop:
   * it must be quick and never block). One tap per file.
   */
  public void tap(java.util.function.Consumer<RequestResult> tap) {
    if (this.tap != null) {
      throw new IllegalStateException("the request log " + path() + " has a tap already");
    }
    this.tap = tap;
  }

  /** Lines written so far. */
  public int written() {
    return writer.written();
  }

  private static void write(JsonGenerator gen, RequestResult r) throws IOException {
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
    if (r.hasQueueTime()) {
      gen.writeNumberField("clientQueueMicros", r.queueMicros());
    }
    if (r.cachedTokens() >= 0) {
      gen.writeNumberField("cachedTokens", r.cachedTokens());
    }
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
    if (r.fallbackParses() != 0) {
      gen.writeNumberField("fallbackParses", r.fallbackParses());
    }
    if (r.resends() > 0) {
      gen.writeNumberField("resends", r.resends());
    }
    if (r.items() > 0) {
      gen.writeNumberField("items", r.items());
    }
    if (r.inputHash() != null) {
      gen.writeStringField("inputHash", r.inputHash());
    }
    if (r.answer() != null) {
      gen.writeStringField("answer", r.answer());
    }
    gen.writeEndObject();
  }

  /** Writes everything queued and closes the file. */
  @Override
  public void close() {
    writer.close();
  }
}
