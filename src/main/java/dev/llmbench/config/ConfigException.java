package dev.llmbench.config;

/** A property or option has a wrong value; the message names it, the bad value and what is valid. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
