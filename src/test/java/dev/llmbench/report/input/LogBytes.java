package dev.llmbench.report.input;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the bytes of a Gatling 3.15.1 {@code simulation.log} by hand, field by field (layout in
 * {@link SimulationLogReader}'s Javadoc), for tests and the benchmark. The primitives write exactly
 * what they are told; the record methods use the string dictionary as Gatling's writer does.
 */
final class LogBytes {
  private final ByteArrayOutputStream memory;
  private final DataOutputStream out;
  private final Map<String, Integer> dictionary = new HashMap<>();

  /** Writes to memory; {@link #toByteArray()} returns the bytes. */
  LogBytes() {
    memory = new ByteArrayOutputStream();
    out = new DataOutputStream(memory);
  }

  /** Writes to {@code sink} (buffer it). */
  LogBytes(OutputStream sink) {
    memory = null;
    out = new DataOutputStream(sink);
  }

  byte[] toByteArray() {
    return memory.toByteArray();
  }

  int size() {
    return out.size();
  }

  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LogBytes u8(int b) {
    try {
      out.writeByte(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  LogBytes i32(int v) {
    try {
      out.writeInt(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  LogBytes i64(long v) {
    try {
      out.writeLong(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  LogBytes raw(byte[] b) {
    try {
      out.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A string with the Latin-1 coder (0). */
  LogBytes latin1(String s) {
    if (s.isEmpty()) {
      return i32(0);
    }
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return i32(b.length).raw(b).u8(0);
  }

  /** A string with the UTF-16 coder (1), in this machine's byte order as the JDK stores it. */
  LogBytes utf16(String s) {
    byte[] b = s.getBytes(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
        ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
    return i32(b.length).raw(b).u8(1);
  }

  /** A string with the coder the JDK would pick: Latin-1 when every char fits, else UTF-16. */
  LogBytes string(String s) {
    return s.chars().allMatch(c -> c < 256) ? latin1(s) : utf16(s);
  }

  /** A string through the dictionary: a new entry the first time, a back reference afterwards. */
  LogBytes cached(String s) {
    Integer index = dictionary.get(s);
    if (index != null) {
      return i32(-index);
    }
    int next = dictionary.size() + 1;
    dictionary.put(s, next);
    return i32(next).string(s);
  }

  LogBytes runHeader(String version, String simulation, long start, String description, List<String> scenarios) {
    u8(SimulationLogReader.RUN).string(version).string(simulation).i64(start).string(description);
    i32(scenarios.size());
    scenarios.forEach(this::string);
    return i32(0);
  }

  LogBytes groups(List<String> groups) {
    i32(groups.size());
    groups.forEach(this::cached);
    return this;
  }

  LogBytes request(List<String> groups, String name, int start, int end, boolean ok, String message) {
    return u8(SimulationLogReader.REQUEST).groups(groups).cached(name).i32(start).i32(end).u8(ok ? 1 : 0)
        .cached(message);
  }

  LogBytes user(int scenario, boolean start, int time) {
    return u8(SimulationLogReader.USER).i32(scenario).u8(start ? 1 : 0).i32(time);
  }

  LogBytes group(List<String> groups, int start, int end, int cumulated, boolean ok) {
    return u8(SimulationLogReader.GROUP).groups(groups).i32(start).i32(end).i32(cumulated).u8(ok ? 1 : 0);
  }

  LogBytes error(String message, int time) {
    return u8(SimulationLogReader.ERROR).cached(message).i32(time);
  }
}
