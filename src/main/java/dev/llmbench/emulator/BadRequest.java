package dev.llmbench.emulator;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the emulator refuses, with the status and the OpenAI-style error type to answer. */
final class BadRequest extends Exception {
  final HttpResponseStatus status;
  final String type;

  BadRequest(String message) {
    this(HttpResponseStatus.BAD_REQUEST, "BadRequestError", message);
  }

  BadRequest(HttpResponseStatus status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }
}
