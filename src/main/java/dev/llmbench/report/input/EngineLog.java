package dev.llmbench.report.input;

/**
 * The memory lines of one serving engine, read one server start at a time ({@link ServerLog}):
 * each subclass knows its engine's older and newer builds and which of their lines count, and sets
 * the figures below as its lines give them (or overrides a getter where a figure is derived). A
 * figure its lines have not given is null.
 */
abstract class EngineLog {
  /** A number as the engines print it: digits, perhaps a decimal point and more digits. */
  static final String NUMBER = "([0-9]+(?:\\.[0-9]+)?)";
  static final double MIB_PER_GIB = 1024;

  /** The figures the getters below return, set by a subclass as its lines give them. */
  protected Double model;
  protected Double kv;
  protected Long tokens;

  /** Reads one line of the start. */
  abstract void line(String line);

  /** Memory taken by the served model's weights, GiB. */
  Double modelGiB() {
    return model;
  }

  /** Memory given to the served model's KV cache, GiB. */
  Double kvCacheGiB() {
    return kv;
  }

  /** Tokens the served model's KV cache holds. */
  Long kvCacheTokens() {
    return tokens;
  }

  /** {@code 1,358,752} as a number: vLLM prints its token counts with thousands separators. */
  static long count(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
