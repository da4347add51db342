package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code Keep-Alive} header's parameters as servers write them, and what is ignored. */
class KeepAliveTest {

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "timeout=5, max=100           |  5 | 100",   // llama.cpp's server (cpp-httplib), Apache httpd
      "max=100, timeout=5           |  5 | 100",   // any order
      "TIMEOUT = 15 ,MAX=3          | 15 |   3",   // any case and spacing
      "timeout=\"7\"                |  7 |  -1",   // quoted value, one parameter
      "max=0                        | -1 |   0",
      "timeout=5, max=100, foo=bar  |  5 | 100",   // unknown parameters are ignored
      "timeout=soon, max=-1         | -1 |  -1",   // not numbers: no limit rather than a failed run
      "timeout                      | -1 |  -1",
      "''                           | -1 |  -1",
      "NULL                         | -1 |  -1"})
  void parsesTimeoutAndMax(String header, long timeout, long max) {
    assertEquals(new KeepAlive(timeout, max), KeepAlive.parse(header));
  }
}
