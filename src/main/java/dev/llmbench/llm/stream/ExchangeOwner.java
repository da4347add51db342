package dev.llmbench.llm.stream;

import dev.llmbench.stream.StreamDecoder;
import io.gatling.commons.util.Clock;

/**
 * The action an {@link Exchange} answers to: {@link StreamAction}, whose answer is a stream of events,
 * or {@link PoolingAction}, whose answer is one JSON body. A connection ({@link StreamConnection})
 * needs only these of it.
 */
interface ExchangeOwner {
  /** The request's path. */
  String path();

  /** How the answer's events are decoded; not used for a one-body answer. */
  StreamDecoder decoder();

  long timeoutNanos();

  Clock clock();

  /** Called once per exchange, on its stream loop, when the answer ended or failed. */
  void complete(Exchange x, long endNanos);
}
