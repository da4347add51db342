package dev.llmbench.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What Maven wrote about this build ({@code dev/llmbench/build.properties}, filtered from the POM). */
public final class BuildInfo {
  private BuildInfo() {}

  /** The version when it cannot be read (classes compiled outside Maven, without the filtered resource). */
  public static final String UNKNOWN = "unknown";

  private static final String VERSION = read();

  /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}, or {@value #UNKNOWN}. */
  public static String version() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/llmbench/build.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").trim();
      // Unfiltered (an IDE copying the resource as is): the placeholder is no version.
      return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    } catch (IOException e) {
      return UNKNOWN;
    }
  }
}
