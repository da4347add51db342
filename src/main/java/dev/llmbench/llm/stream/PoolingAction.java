package dev.llmbench.llm.stream;

import com.typesafe.scalalogging.Logger;
import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.PoolingApi;
import dev.llmbench.stream.StreamDecoder;
import dev.llmbench.workload.PoolingRequest;
import dev.llmbench.workload.Ticket;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.netty.channel.EventLoop;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Sends one request whose answer is one JSON body ({@link PoolingApi}: a batch of items scored,
 * ranked or embedded; or a completion whole) on the same stream loops and keep-alive connections as
 * {@link StreamAction}, with the same clocks: sent when its bytes are flushed, answered when the last
 * byte of its body is read. The answer's shape is checked (one result per item, probabilities that sum
 * to 1): a wrong answer is a failed request, named ({@code wrong shape: ...}, {@code bad probabilities:
 * ...}). One row per request goes to Gatling's stats engine, named as the action, and one to the side
 * file, with its items; with {@code keepAnswers} also a hash of the request and the answer's values, so
 * that answers to the same request can be compared after the run.
 */
public final class PoolingAction implements Action, ExchangeOwner {
  private final String name;
  private final Action next;
  private final StatsEngine stats;
  private final Clock clock;
  private final StreamTarget target;
  private final PoolingApi api;
  private final String model;
  private final long timeoutNanos;
  private final boolean keepAnswers;
  private final RequestLogWriter requests;
  private final StreamLoops loops;
  private final RunMonitor run;
  private final Supplier<String> requestIds;
  private Logger logger;

  /**
   * @param baseUrl the server, without a path; {@code apiKey} its bearer key or null
   * @param keepAnswers true to keep each request's hash and answer in the side file
   */
  public PoolingAction(String name, Action next, StatsEngine stats, Clock clock, String baseUrl, String apiKey,
      boolean keepAlive, PoolingApi api, String model, long timeoutNanos, boolean keepAnswers, StreamRun streams) {
    this.name = name;
    this.next = next;
    this.stats = stats;
    this.clock = clock;
    this.target = StreamTarget.of(baseUrl, apiKey, keepAlive);
    this.api = api;
    this.model = model;
    this.timeoutNanos = timeoutNanos;
    this.keepAnswers = keepAnswers;
    this.requests = streams.requests();
    this.loops = streams.loops();
    this.run = streams.monitor();
    this.requestIds = streams.requestIds();
  }

  @Override
  public String name() {
    return name;
  }

  /** One exchange's request, for its check and its row. */
  private static final class Pooled extends Exchange {
    final PoolingRequest request;
    final String inputHash;

    Pooled(PoolingAction action, Session session, String requestId, byte[] body, PoolingRequest request,
        String inputHash) {
      super(action, session, requestId, body, request.ticket().inputTokens(), request.ticket().outputTokens(),
          request.ticket().warmup(), true);
      this.request = request;
      this.inputHash = inputHash;
    }
  }

  @Override
  public void execute(Session session) {
    try {
      if (!(session.attributes().get(Keys.POOLING).getOrElse(() -> null) instanceof PoolingRequest p)) {
        throw new IllegalStateException("session has no '" + Keys.POOLING
            + "': feed pooling requests (llm.poolingRequests(...)) before the pooling step");
      }
      Ticket t = p.ticket();
      if (!run.breaker().send(t)) {
        next.$bang(session); // the server is failing: not sent (RunBreaker)
        return;
      }
      Session user = loops.place(session);
      EventLoop loop = user.eventLoop();
      byte[] body = api.body(model, t.prompt(), p.items(), p.labelTokenIds(), t.outputTokens());
      Pooled exchange = new Pooled(this, user, requestIds.get(), body, p, keepAnswers ? hash(body) : null);
      Dispatch.send(session, exchange, t.arrivalOffsetNanos(), loop, loops, target, run);
    } catch (RuntimeException e) {
      stats.logRequestCrash(session.scenario(), session.groups(), name, e.getMessage());
      next.$bang(session.markAsFailed());
    }
  }

  @Override
  public void complete(Exchange exchange, long endNanos) {
    Pooled x = (Pooled) exchange;
    var r = x.record;
    Dispatch.ended(x, endNanos, run);
    int items = x.request.items().size();
    PoolingApi.Answer answer = null;
    String error;
    if (x.failure != null) {
      error = x.failure;
    } else if (r.httpStatus != 200) {
      error = "HTTP " + r.httpStatus + (x.errorBody == null || x.errorBody.isEmpty() ? "" : ": " + x.errorBody);
    } else {
      answer = api.read(x.answer.toByteArray(), items, x.request.labelTokenIds().size());
      error = answer.error();
    }
    boolean ok = error == null;
    long e2eMicros = (endNanos - r.sentNanos) / 1_000;
    int usage = answer != null ? answer.promptTokens() : -1;
    RequestResult result = new RequestResult(x.requestId, Dispatch.group(x.session), x.warmup, ok, error, r.httpStatus,
        x.sentEpochMicros, r.sentNanos, usage >= 0 ? usage : x.promptTokens, x.promptTokens, x.maxTokens,
        answer != null && answer.completionTokens() > 0 ? answer.completionTokens() : 0,
        usage >= 0 ? "usage" : "planned", -1, e2eMicros, Double.NaN, new long[0], null, 0, r.resends, items,
        x.inputHash, ok && keepAnswers ? answer.values() : null, Dispatch.queueMicros(x));
    requests.add(result);
    run.progress().endedPooling(ok, x.warmup, items, e2eMicros);
    long sentMillis = x.sentEpochMillis;
    long endMillis = sentMillis + Math.round(e2eMicros / 1000.0);
    Option<String> code = r.httpStatus == 0 ? Option.empty() : Option.apply(Integer.toString(r.httpStatus));
    stats.logResponse(x.session.scenario(), x.session.groups(), x.warmup ? LlmMetrics.WARMUP : name, sentMillis,
        endMillis, ok ? OK$.MODULE$ : KO$.MODULE$, code, ok ? Option.empty() : Option.apply(error));
    run.breaker().completed(ok, r.httpStatus, error);
    // The request's time to its groups, as Gatling's HTTP action does (StreamAction.complete).
    Session session = x.session.logGroupRequestTimings(sentMillis, endMillis);
    next.$bang(ok ? session : session.markAsFailed());
  }

  /** A hash of the request's body: requests with equal hashes asked the same. */
  private static String hash(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String path() {
    return api.path();
  }

  /** Not read: the answer is one body ({@link Exchange#answer}). */
  @Override
  public StreamDecoder decoder() {
    return StreamDecoder.OPENAI_COMPLETIONS;
  }

  @Override
  public long timeoutNanos() {
    return timeoutNanos;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Logger logger() {
    if (logger == null) {
      logger = Logger.apply(LoggerFactory.getLogger(PoolingAction.class));
    }
    return logger;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
    this.logger = logger;
  }
}
