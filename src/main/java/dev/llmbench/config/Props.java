package dev.llmbench.config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed, loud reading of string properties. Unlike {@link Integer#getInteger(String, int)}, a value
 * that does not parse is an error naming the property, the value and what is valid, never a silent
 * default.
 */
public final class Props {

  private final Map<String, String> values;

  private Props(Map<String, String> values) {
    this.values = values;
  }

  public static Props of(Properties properties) {
    return new Props(
        properties.stringPropertyNames().stream()
            .collect(Collectors.toMap(Function.identity(), properties::getProperty)));
  }

  public static Props of(Map<String, String> values) {
    return new Props(Map.copyOf(values));
  }

  public static Props system() {
    return of(System.getProperties());
  }

  /** These properties, with {@code value} for {@code key} when it is not set (a simulation's own default). */
  public Props withDefault(String key, String value) {
    Map<String, String> all = new HashMap<>(values);
    all.putIfAbsent(key, value);
    return of(all);
  }

  /** These properties with {@code key} set to {@code value} whatever it was (null: removed). */
  public Props with(String key, String value) {
    Map<String, String> all = new HashMap<>(values);
    if (value == null) {
      all.remove(key);
    } else {
      all.put(key, value);
    }
    return of(all);
  }

  /** The raw value, trimmed, or {@code null} when the property is absent or blank. */
  public String raw(String key) {
    String v = values.get(key);
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  public boolean has(String key) {
    return raw(key) != null;
  }

  public String string(String key, String defaultValue) {
    String v = raw(key);
    return v == null ? defaultValue : v;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    String v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, but was \"" + v + "\"", e);
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key + " must be in [" + min + ", " + max + "], but was " + parsed);
    }
    return parsed;
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    String v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, but was \"" + v + "\"", e);
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key + " must be in [" + min + ", " + max + "], but was " + parsed);
    }
    return parsed;
  }

  public double decimal(String key, double defaultValue, double min, double max) {
    String v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, but was \"" + v + "\"", e);
    }
    if (!(parsed >= min && parsed <= max)) {
      throw new ConfigException(key + " must be in [" + min + ", " + max + "], but was " + v);
    }
    return parsed;
  }

  public boolean bool(String key, boolean defaultValue) {
    String v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
      default:
        throw new ConfigException(key + " must be true or false, but was \"" + v + "\"");
    }
  }

  /** An enum constant, matched case-insensitively with '-' and '.' read as '_'. */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    String v = raw(key);
    return v == null ? defaultValue : parseEnum(key, v, type);
  }

  public static <E extends Enum<E>> E parseEnum(String what, String value, Class<E> type) {
    String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(normalized)) {
        return constant;
      }
    }
    throw new ConfigException(
        what + " must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "))
            + ", but was \"" + value + "\"");
  }

  /** Every key. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** All keys that start with {@code prefix}, for rejecting unknown ones. */
  public Set<String> keysWithPrefix(String prefix) {
    return values.keySet().stream().filter(k -> k.startsWith(prefix)).collect(Collectors.toSet());
  }
}
