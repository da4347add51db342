package dev.llmbench.llm.stream;

import dev.llmbench.stream.Transcript;
import dev.llmbench.workload.Conversation;

import com.typesafe.scalalogging.Logger;
import dev.llmbench.llm.run.RunMonitor;
import dev.llmbench.llm.run.SaturationWatch;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.Backend;
import dev.llmbench.stream.RequestShaping;
import dev.llmbench.stream.StreamDecoder;
import dev.llmbench.workload.Ticket;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.stats.Status;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.netty.channel.EventLoop;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.immutable.List;

/**
 * Sends one streamed generation request and times every event of its answer. The virtual user's
 * first request moves its session to the user's stream loop ({@link StreamLoops}), where it stays;
 * there the request is sent on a pooled keep-alive connection of that loop;
 * {@link System#nanoTime()} is stamped as the bytes are read ({@link StreamConnection}); and at the
 * end the rows {@value LlmMetrics#E2E}, {@value LlmMetrics#TTFT} and {@value LlmMetrics#TPOT} (and,
 * with {@code -Dgatling.itl.rows=true}, one {@value LlmMetrics#ITL} row per token gap) go to Gatling's
 * stats engine, the request to the side file, and the session, its groups charged with the request's
 * E2E, on to the user's next step. A measured request of an open-model phase feeds the phase's
 * over-saturation watch at its send and its end ({@link SaturationWatch}); once that watch has stopped
 * the phase ({@code -Dstop.on.saturation=true}), a request is not sent, as once the breaker has tripped.
 */
public final class StreamAction implements Action, ExchangeOwner {
  private final String name;
  private final Action next;
  private final StatsEngine stats;
  private final Clock clock;
  private final StreamTarget target;
  private final Backend backend;
  private final String model;
  private final long timeoutNanos;
  private final RequestLogWriter requests;
  private final StreamLoops loops;
  /** The run's monitor, breaker and progress line. */
  private final RunMonitor run;
  private final Supplier<String> requestIds;
  /** One ITL row per token gap ({@code -Dgatling.itl.rows}); the side file has the gaps either way. */
  private final boolean itlRows;
  /** What every request carries besides its prompt; {@link RequestShaping#NONE} sends them as before. */
  private final RequestShaping shaping;
  private final long seed;
  private Logger logger;

  /**
   * @param baseUrl the server, without a path; {@code apiKey} its bearer key or null
   * @param keepAlive false: one connection per request ({@code -Dhttp.keepalive})
   */
  public StreamAction(String name, Action next, StatsEngine stats, Clock clock, String baseUrl, String apiKey,
      boolean keepAlive, Backend backend, String model, long timeoutNanos, StreamRun streams) {
    this(name, next, stats, clock, baseUrl, apiKey, keepAlive, backend, model, timeoutNanos, streams,
        RequestShaping.NONE, 0);
  }

  /**
   * As the constructor above, every request shaped by {@code shaping} ({@code -Dextra.body}, ...), its LoRA
   * adapter drawn with {@code seed} ({@link RequestShaping#loraFor}).
   */
  public StreamAction(String name, Action next, StatsEngine stats, Clock clock, String baseUrl, String apiKey,
      boolean keepAlive, Backend backend, String model, long timeoutNanos, StreamRun streams, RequestShaping shaping,
      long seed) {
    this.name = name;
    this.next = next;
    this.stats = stats;
    this.clock = clock;
    this.target = StreamTarget.of(baseUrl, apiKey, keepAlive, shaping.headerLines());
    this.shaping = shaping;
    this.seed = seed;
    this.backend = backend;
    this.model = model;
    this.timeoutNanos = timeoutNanos;
    this.requests = streams.requests();
    this.loops = streams.loops();
    this.run = streams.monitor();
    this.requestIds = streams.requestIds();
    this.itlRows = streams.itlRows();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void execute(Session session) {
    try {
      if (!(session.attributes().get(Keys.TICKET).getOrElse(() -> null) instanceof Ticket t)) {
        throw new IllegalStateException("session has no '" + Keys.TICKET + "': feed tickets before the stream step");
      }
      SaturationWatch watch = run.saturation();
      if (!t.warmup() && watch != null && watch.stopped()) {
        run.breaker().notSent(t);
        next.$bang(session); // the server fell behind, with stop.on.saturation: not sent (SaturationWatch)
        return;
      }
      if (!run.breaker().send(t)) {
        next.$bang(session); // the server is failing: not sent (RunBreaker)
        return;
      }
      Session user = loops.place(session);
      EventLoop loop = user.eventLoop();
      String requestId = requestIds.get();
      // A turn of a multi-turn session sends its whole conversation; a single request its prompt.
      Conversation conversation = session.attributes().get(Keys.CONVERSATION).getOrElse(() -> null) instanceof
          Conversation c ? c : null;
      byte[] body = conversation != null
          ? backend.body(model, conversation, t.outputTokens(), shaping, shaping.loraFor(seed, t.index()))
          : shaping.none() && t.messagesJson() == null ? backend.body(model, t.prompt(), t.outputTokens())
          : backend.body(model, t.prompt(), t.messagesJson(), t.outputTokens(), shaping,
              shaping.loraFor(seed, t.index()));
      Exchange exchange = new Exchange(this, user, requestId, body, t.inputTokens(), t.outputTokens(), t.warmup());
      if (conversation != null) {
        exchange.conversation = conversation;
        exchange.record.transcript = new Transcript(); // the answer goes back into the conversation
      }
      if (!t.warmup() && watch != null) {
        // Here, not in Dispatch: a pooling request has no TTFT, and its phases are not watched.
        exchange.watch = watch;
        watch.sent();
      }
      Dispatch.send(session, exchange, t.arrivalOffsetNanos(), loop, loops, target, run);
    } catch (RuntimeException e) {
      String scenario = session.scenario();
      stats.logRequestCrash(scenario, session.groups(), name, e.getMessage());
      next.$bang(session.markAsFailed());
    }
  }

  /** Called once per exchange, on its stream loop, when the stream ended or failed. */
  @Override
  public void complete(Exchange x, long endNanos) {
    var r = x.record;
    Dispatch.ended(x, endNanos, run);
    boolean ok = x.failure == null && r.error == null && r.httpStatus == 200 && r.contentEvents() > 0
        && (r.done || !backend.decoder().endsWithDone());
    String error = ok ? null : describeFailure(x);
    long sentMillis = x.sentEpochMillis;
    RequestResult result = r.toResult(x.requestId, Dispatch.group(x.session), x.warmup, ok, error,
        x.sentEpochMicros, x.promptTokens, x.maxTokens, endNanos, Dispatch.queueMicros(x));
    requests.add(result);
    if (x.watch != null) {
      x.watch.ended();
    }
    run.progress().ended(ok, x.warmup, result.outputTokens(), result.ttftMicros(),
        result.tpotMicros());
    String scenario = x.session.scenario();
    List<String> groups = x.session.groups();
    Option<String> code = r.httpStatus == 0 ? Option.empty() : Option.apply(Integer.toString(r.httpStatus));
    if (x.warmup) {
      stats.logResponse(scenario, groups, LlmMetrics.WARMUP, sentMillis, sentMillis + millis(result.e2eMicros()),
          status(ok), code, Option.apply(error));
    } else if (!ok) {
      stats.logResponse(scenario, groups, LlmMetrics.E2E, sentMillis, sentMillis + millis(result.e2eMicros()),
          KO$.MODULE$, code, Option.apply(error));
    } else {
      long ttftMillis = millis(result.ttftMicros());
      stats.logResponse(scenario, groups, LlmMetrics.TTFT, sentMillis, sentMillis + ttftMillis, OK$.MODULE$, code,
          Option.empty());
      if (itlRows) {
        // Each gap placed at its real offset, so the gaps add up in Gatling's whole milliseconds.
        long offset = result.ttftMicros();
        for (long gap : result.itlMicros()) {
          long start = sentMillis + millis(offset);
          offset += gap;
          stats.logResponse(scenario, groups, LlmMetrics.ITL, start, sentMillis + millis(offset), OK$.MODULE$, code,
              Option.empty());
        }
      }
      if (!Double.isNaN(result.tpotMicros())) {
        long start = sentMillis + ttftMillis;
        stats.logResponse(scenario, groups, LlmMetrics.TPOT, start, start + Math.round(result.tpotMicros() / 1000),
            OK$.MODULE$, code, Option.empty());
      }
      stats.logResponse(scenario, groups, LlmMetrics.E2E, sentMillis, sentMillis + millis(result.e2eMicros()),
          OK$.MODULE$, code, Option.empty());
    }
    // After its rows: a tripped breaker may end the load now (RunBreaker).
    run.breaker().completed(ok, r.httpStatus, error);
    // The request's E2E, once, to each enclosing group, as Gatling's HTTP action charges its groups
    // after logging a response: a group row's time is the sum of its requests', not of its rows'.
    Session session = x.session.logGroupRequestTimings(sentMillis, sentMillis + millis(result.e2eMicros()));
    if (x.conversation != null) {
      // The server's answer as read (empty when it failed), so the next turn resends it as a chat client would.
      session = session.set(Keys.CONVERSATION, x.conversation.withAssistant(r.transcript.text()));
    }
    // On the stream loop, which is the session's: the user's next steps run here, in this slice.
    next.$bang(ok ? session : session.markAsFailed());
  }

  private String describeFailure(Exchange x) {
    var r = x.record;
    if (x.failure != null) {
      return x.failure;
    }
    if (r.httpStatus != 200) {
      return "HTTP " + r.httpStatus + (x.errorBody == null || x.errorBody.isEmpty() ? "" : ": " + x.errorBody);
    }
    if (r.error != null) {
      return r.error;
    }
    if (r.contentEvents() == 0) {
      return "stream ended without any content event";
    }
    return "stream ended without [DONE] after " + r.contentEvents() + " content events";
  }

  private static long millis(long micros) {
    return Math.round(micros / 1000.0);
  }

  private static Status status(boolean ok) {
    return ok ? OK$.MODULE$ : KO$.MODULE$;
  }

  @Override
  public String path() {
    return backend.path();
  }

  @Override
  public StreamDecoder decoder() {
    return backend.decoder();
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
      logger = Logger.apply(LoggerFactory.getLogger(StreamAction.class));
    }
    return logger;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
    this.logger = logger;
  }

}
