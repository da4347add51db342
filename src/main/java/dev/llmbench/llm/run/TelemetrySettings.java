package dev.llmbench.llm.run;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.io.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * What the run records of the server beside its own measurements (docs/properties.md):
 *
 * @param metricsUrl {@code -Dmetrics.url}: the Prometheus page scraped during the run; null for the
 *     target's {@code /metrics} (the embedded emulator's port is known only once it started)
 * @param metricsOff {@code -Dmetrics.url=off}: no scraping
 * @param interval {@code -Dmetrics.interval.ms}: how often the page and the GPUs are read (default 1000 ms)
 * @param nvidiaSmi {@code -Dnvidia.smi}: the command giving the GPUs' memory and utilisation, a path or a
 *     name looked up on the {@code PATH} (default {@code nvidia-smi}); null ({@code off}) samples no GPU
 */
public record TelemetrySettings(URI metricsUrl, boolean metricsOff, Duration interval, String nvidiaSmi) {
  public static final String METRICS_URL = "metrics.url";
  public static final String INTERVAL = "metrics.interval.ms";
  public static final String NVIDIA_SMI = "nvidia.smi";

  static TelemetrySettings from(Props p) {
    String raw = p.raw(METRICS_URL);
    boolean off = raw != null && raw.strip().equalsIgnoreCase("off");
    URI url = raw == null || off ? null : url(raw.strip());
    Duration interval = Duration.ofMillis(p.integer(INTERVAL, 1000, 10, 3_600_000));
    String smi = p.string(NVIDIA_SMI, "nvidia-smi"); // blank is absent, as for every property
    return new TelemetrySettings(url, off, interval, smi.equalsIgnoreCase("off") ? null : smi);
  }

  private static URI url(String raw) {
    String shown = Urls.hideCredentials(raw);
    if (!shown.equals(raw)) {
      throw new ConfigException(METRICS_URL + " must not carry credentials (was " + shown + "); the run sends "
          + "-Dapi.key's token with each scrape");
    }
    try {
      URI u = new URI(raw);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new URISyntaxException(raw, "not an http(s) URL with a host");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException(METRICS_URL + " must be an http(s) URL (e.g. http://gpu-box:8000/metrics) or 'off', "
          + "but was \"" + raw + "\"", e);
    }
  }

  /** The page to scrape for a target at {@code baseUrl}; null when scraping is off. */
  public URI metricsUrlFor(String baseUrl) {
    if (metricsOff) {
      return null;
    }
    return metricsUrl != null ? metricsUrl : URI.create((baseUrl.endsWith("/")
        ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + "/metrics");
  }
}
