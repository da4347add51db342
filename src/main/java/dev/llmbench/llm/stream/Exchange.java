package dev.llmbench.llm.stream;

import dev.llmbench.workload.Conversation;

import dev.llmbench.llm.run.SaturationWatch;
import dev.llmbench.stream.StreamRecord;
import io.gatling.core.session.Session;
import io.netty.util.Timeout;
import java.io.ByteArrayOutputStream;
import java.time.Instant;

/** One request in flight: everything its connection's handler needs, touched only on its event loop. */
class Exchange {
  final ExchangeOwner action;
  final Session session;
  final String requestId;
  final byte[] body;
  final int promptTokens;
  final int maxTokens;
  final boolean warmup;
  final StreamRecord record;
  /**
   * The body of a successful one-body answer (a pooling request's JSON), null for a stream, whose
   * events are read as they come.
   */
  final ByteArrayOutputStream answer;
  /** The body of an error response as read (made on the first byte of one), then its message. */
  StringBuilder errorBody;
  /** Set when the request is written, cleared by the stamp taken as it is flushed to the socket. */
  boolean sendPending;
  long sentEpochMillis;
  long sentEpochMicros;
  /** A transport failure (connect, reset, timeout), or null. */
  String failure;
  /** The request's timeout, cancelled when it ends ({@link StreamLoops#timeout}). */
  Timeout timeout;
  boolean completed;
  /** When it was due ({@link System#nanoTime()}), for a request that waited for its scheduled arrival; else 0. */
  long dueNanos;
  /**
   * When it was scheduled to arrive ({@link System#nanoTime()}), whether or not it waited for that, when
   * its phase gives arrivals ({@link #arrives}): its client queue time is measured from it.
   */
  long arrivalNanos;
  /** Whether {@link #arrivalNanos} is known. */
  boolean arrives;
  /**
   * When its loop began to send it, on a pooled connection or by opening one: the client's part of
   * its start. A new connection's connect time comes after, and is the network's and the server's.
   */
  long readyNanos;
  /** The running phase's over-saturation watch, for a measured request of a watched phase; else null. */
  SaturationWatch watch;
  /** Whether {@link #watch} was told of the first token. */
  boolean firstTokenTold;
  /**
   * The conversation this request is a turn of (its history is the body; its id the {@code X-Session-ID}
   * header; its answer is kept, {@link StreamRecord#transcript}); null for a single request.
   */
  Conversation conversation;

  /** Stamps the request as sent at {@code nanos}, on every clock a result needs. */
  void markSent(long nanos) {
    record.sentNanos = nanos;
    sentEpochMillis = action.clock().nowMillis();
    Instant now = Instant.now();
    sentEpochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  Exchange(ExchangeOwner action, Session session, String requestId, byte[] body, int promptTokens, int maxTokens,
      boolean warmup) {
    this(action, session, requestId, body, promptTokens, maxTokens, warmup, false);
  }

  /** @param oneBody true for an answer read whole ({@link #answer}), false for a stream of events */
  Exchange(ExchangeOwner action, Session session, String requestId, byte[] body, int promptTokens, int maxTokens,
      boolean warmup, boolean oneBody) {
    this.action = action;
    this.answer = oneBody ? new ByteArrayOutputStream(4_096) : null;
    this.session = session;
    this.requestId = requestId;
    this.body = body;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.warmup = warmup;
    // Room for every token event asked for: no growing copies while the stream is read.
    this.record = new StreamRecord(Math.min(maxTokens + 1, 16_384));
  }
}
