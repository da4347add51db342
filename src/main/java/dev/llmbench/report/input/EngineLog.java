package dev.llmbench.report.input;

/**
 * The memory lines of one serving engine, read one server start at a time ({@link ServerLog}):
 * each implementation knows its engine's older and newer builds and which of their lines count.
 * A figure its lines have not given is null.
 */
interface EngineLog {
  /** A number as the engines print it: digits, perhaps a decimal point and more digits. */
  String NUMBER = "([0-9]+(?:\\.[0-9]+)?)";
  double MIB_PER_GIB = 1024;

  /** Reads one line of the start. */
  void line(String line);

  /** Memory taken by the served model's weights, GiB. */
  Double modelGiB();

  /** Memory given to the served model's KV cache, GiB. */
  Double kvCacheGiB();

  /** Tokens the served model's KV cache holds. */
  Long kvCacheTokens();

  /** {@code 1,358,752} as a number: vLLM prints its token counts with thousands separators. */
  static long count(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
