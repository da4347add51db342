package dev.llmbench.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.io.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scrapes a server's Prometheus {@code /metrics} page every few seconds during a run, on a daemon
 * thread of its own, and appends one JSON line per scrape to a file: the server's telemetry of every LLM
 * run ({@link #startAround}, read by the post-run step's {@code server-metrics.csv}) and the stress
 * scenarios' memory and KV-cache growth checks ({@code StressChecks.sustained}).
 *
 * <p>File format (JSON Lines, one object per scrape, in time order):
 *
 * <ul>
 *   <li>{@code epochMillis} (integer, ms since the epoch): when the scrape was sent
 *   <li>{@code nanos} (integer, optional): the same instant as a {@link System#nanoTime()} stamp of this
 *       JVM, the clock of the per-request rows' {@code sentNanos}: the post-run step puts the scrapes on
 *       the requests' time axis with it (files from before it have none: then {@code epochMillis})
 *   <li>{@code text} (string): the page, when the server answered 200
 *   <li>{@code error} (string): else what went wrong, e.g. {@code HTTP 404} or the connection's error
 * </ul>
 *
 * Request headers given (an {@code Authorization} token) are sent but never written to the file.
 *
 * <p>A scraper never throws into its caller: a server without {@code /metrics}, a file that cannot be
 * written, a slow answer only cost the scrapes ({@link #problem()} says why when the file itself failed).
 * {@link #close()} stops it, waits for a scrape in flight, and flushes and closes the file.
 */
public final class MetricsScraper implements AutoCloseable {

  /**
   * One line of the file.
   *
   * @param epochMillis when the scrape was sent, ms since the epoch
   * @param text the page, or null when the scrape failed
   * @param error what went wrong, or null when the page came
   */
  public record Scrape(long epochMillis, Long nanos, String text, String error) {
    /** A scrape without a monotonic stamp (files from before it). */
    public Scrape(long epochMillis, String text, String error) {
      this(epochMillis, null, text, error);
    }

    public boolean ok() {
      return text != null;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI metricsUrl;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final PeriodicLines file;
  private final Object lock = new Object();
  private String problem; // guarded by lock: why scraping itself failed
  private boolean scrapeOnClose; // guarded by lock: the run's telemetry ends with one scrape after the load

  private MetricsScraper(URI metricsUrl, Path file, Duration interval, Map<String, String> headers) {
    this.metricsUrl = metricsUrl;
    this.headers = Map.copyOf(headers);
    // Short, the interval within 1..5 s: a hung scrape must not stall the next ones for long (a loaded
    // server still answers /metrics fast), yet a first connection gets its second.
    Duration capped = interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5);
    this.timeout = capped.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : capped;
    this.file = new PeriodicLines("metrics-scraper", file, "scrapes");
  }

  /**
   * Starts scraping {@code <baseUrl>/metrics} now and every {@code interval} after, appending to
   * {@code file} (replacing what was there). Never throws for an unreachable server or an unwritable
   * file; only for arguments that are wrong in themselves.
   *
   * @param headers extra request headers (e.g. {@code Authorization}); sent, never written to the file
   */
  public static MetricsScraper start(URI baseUrl, Path file, Duration interval, Map<String, String> headers) {
    checkInterval(interval);
    MetricsScraper s = new MetricsScraper(metricsUrlOf(baseUrl), file, interval, headers);
    if (s.file.problem() == null) {
      s.file.every(Duration.ZERO, interval, s::scrapeOnce);
    }
    return s;
  }

  /**
   * Scrapes {@code metricsUrl} once now, before the load (on the caller's thread, so that the scrape is in
   * the file before this returns); when it answered 200, again every {@code interval}, and once more when
   * closed, after the load. When it did not answer, nothing more is scraped ({@link #answered()} is false,
   * the file holds the one failed scrape). Never throws for a server that does not answer.
   */
  public static MetricsScraper startAround(URI metricsUrl, Path file, Duration interval, Map<String, String> headers) {
    checkInterval(interval);
    MetricsScraper s = new MetricsScraper(metricsUrl, file, interval, headers);
    if (s.file.problem() == null) {
      s.scrapeOnce();
      if (s.answered()) {
        synchronized (s.lock) {
          s.scrapeOnClose = true;
        }
        s.file.every(interval, interval, s::scrapeOnce);
      }
    }
    return s;
  }

  private static void checkInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the scrape interval must be > 0, but was " + interval);
    }
  }

  /** A server's {@code /metrics} URL from its base URL (a trailing slash or none). */
  public static URI metricsUrlOf(URI baseUrl) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/metrics");
  }

  /** Whether the first scrape got the page (200); false before any scrape. */
  public boolean answered() {
    synchronized (lock) {
      return firstOk != null && firstOk;
    }
  }

  /** What went wrong with the first scrape (e.g. {@code HTTP 404}), or null when it answered or none ran. */
  public String firstError() {
    synchronized (lock) {
      return firstError;
    }
  }

  private Boolean firstOk; // guarded by lock
  private String firstError; // guarded by lock

  /** The URL scraped. */
  public URI metricsUrl() {
    return metricsUrl;
  }

  /** How many scrapes (good or failed) were written so far. */
  public int scrapes() {
    return file.written();
  }

  /** Why the file could not be written, if it could not (then nothing is scraped). */
  public Optional<String> problem() {
    String writing = file.problem();
    synchronized (lock) {
      return Optional.ofNullable(writing != null ? writing : problem);
    }
  }

  private void scrapeOnce() {
    // Catches everything: an exception would end the scheduled task silently.
    try {
      long at = System.currentTimeMillis();
      long nanos = System.nanoTime();
      String text = null;
      String error;
      try {
        // The JDK's HttpURLConnection, blocking on this thread, not its HttpClient: at a scrape a second the
        // HttpClient's code stays interpreted for minutes under C1's thresholds and hands each scrape between
        // three threads; 150 scrapes of the emulator's page cost 3.9 ms of CPU each with it, 1.2 ms with this
        // (docs/injector-efficiency.md). As with the HttpClient, no proxy and no redirect followed; HTTP/1.1
        // only (the HttpClient offered an upgrade to HTTP/2, which a /metrics page never needs). The timeout
        // bounds the connect and each read.
        HttpURLConnection c = (HttpURLConnection) metricsUrl.toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setInstanceFollowRedirects(false);
        headers.forEach(c::setRequestProperty);
        int status = c.getResponseCode();
        // Read to its end and closed, the connection goes back to the JDK's keep-alive cache for the next scrape.
        try (InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
          byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
          text = status == 200 ? new String(bytes, StandardCharsets.UTF_8) : null;
        }
        error = status == 200 ? null : "HTTP " + status;
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      } catch (Exception e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      write(at, nanos, text, error);
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        if (problem == null) {
          problem = "scraping failed: " + e;
        }
      }
    }
  }

  private void write(long at, long nanos, String text, String error) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("epochMillis", at);
    line.put("nanos", nanos);
    if (text != null) {
      line.put("text", text);
    } else {
      line.put("error", error);
    }
    synchronized (lock) {
      if (firstOk == null) {
        firstOk = text != null;
        firstError = error;
      }
    }
    file.append(line);
  }

  /**
   * Stops scraping, waits for a scrape in flight (up to its timeout), scrapes once more when started
   * {@link #startAround} a load that the server answered for, and closes the file. Never throws; a second
   * call does nothing more.
   */
  @Override
  public void close() {
    file.stop(timeout.plusSeconds(1));
    boolean last;
    synchronized (lock) {
      last = scrapeOnClose && file.open();
      scrapeOnClose = false;
    }
    if (last && !Thread.currentThread().isInterrupted()) {
      scrapeOnce(); // after the load
    }
    file.close();
  }

  /**
   * The scrapes in a scraper's file, in order. A last line cut short (the run was killed while it was
   * written) is left out; any other bad line is an error naming the file and line.
   */
  public static List<Scrape> read(Path file) throws IOException {
    return JsonLines.readAppended(file, (lineNo, v) -> scrape(file, lineNo, v));
  }

  private static Scrape scrape(Path file, int lineNo, JsonNode v) throws IOException {
    JsonNode at = v.get("epochMillis");
    JsonNode text = v.get("text");
    JsonNode error = v.get("error");
    JsonNode nanos = v.get("nanos");
    if (nanos != null && !nanos.isIntegralNumber()) {
      throw new IOException(file + ":" + lineNo + ": 'nanos' must be an integer, but was " + nanos);
    }
    if (at == null || !at.canConvertToLong() || !at.isIntegralNumber()
        || (text == null || !text.isTextual()) == (error == null || !error.isTextual())) {
      throw new IOException(file + ":" + lineNo + ": a scrape must have an integer 'epochMillis' and either a"
          + " string 'text' or a string 'error', but was " + abbreviate(v.toString()));
    }
    return new Scrape(at.asLong(), nanos == null ? null : nanos.asLong(), text == null ? null : text.asText(), error == null ? null : error.asText());
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
