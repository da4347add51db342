package dev.llmbench.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves the reports directory over HTTP, read-only, so the result pages, plots and history CSVs of a
 * machine next to the GPUs can be browsed from a laptop ({@code mvn -q compile exec:java@plot-server}, or
 * {@code bin/plots_server.sh}; docs/nightly-schedules.md):
 *
 * <ul>
 *   <li>{@code -Dplot.port} (default {@value #DEFAULT_PORT}; 0 picks a free one);
 *   <li>{@code -Dplot.bind} (default the loopback address: results name internal hosts and models, so
 *       showing them to the network is a choice, e.g. {@code -Dplot.bind=0.0.0.0});
 *   <li>{@code -Dllmbench.reports.dir} (default {@code reports}), the directory served.
 * </ul>
 *
 * A directory is listed (HTML, folders first, then by name, with sizes and dates), unless it holds an
 * {@code index.html}, which is served instead, as {@code python -m http.server} does, so that a result
 * folder opens on its page; {@code ?list} lists it anyway. Only GET and HEAD (405 otherwise). Nothing outside
 * the directory is served: a {@code ..} segment, plain or percent-encoded, is refused with 403, and so is a
 * path whose real path (symbolic links followed) leaves the directory. Prints one line at start,
 * {@code serving <dir> on http://host:port/}. Exit code {@value #STARTUP_ERROR}, with one line saying what
 * and how to fix, for a bad property, a port in use or a missing directory.
 */
public final class PlotServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 8000;
  public static final int STARTUP_ERROR = 2;

  private static final DateTimeFormatter LISTED_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /** Content types by file extension; anything else is {@code application/octet-stream}. */
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("png", "image/png"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("csv", "text/csv; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("jsonl", "application/x-ndjson"),
      Map.entry("md", "text/markdown; charset=utf-8"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("log", "text/plain; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"));

  private final HttpServer server;
  private final ExecutorService workers;
  private final Path root;

  private PlotServer(HttpServer server, ExecutorService workers, Path root) {
    this.server = server;
    this.workers = workers;
    this.root = root;
  }

  public static void main(String[] args) {
    PlotServer server;
    try {
      server = fromProperties(Props.system());
    } catch (ConfigException e) {
      System.err.println("llm-serving-bench plot-server: ERROR " + e.getMessage());
      System.exit(STARTUP_ERROR);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plot-server-stop"));
    System.out.println("serving " + server.root() + " on " + server.url());
    try {
      // exec:java ends the JVM when main returns; the server runs until Ctrl-C.
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A started server configured by {@code props} ({@code plot.port}, {@code plot.bind},
   * {@code llmbench.reports.dir}); a bad value, a port in use or a missing directory is a
   * {@link ConfigException} whose one-line message says what and how to fix it.
   */
  public static PlotServer fromProperties(Props props) {
    int port = props.integer("plot.port", DEFAULT_PORT, 0, 65_535);
    String bind = props.raw("plot.bind");
    InetAddress address;
    try {
      address = bind == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new ConfigException("plot.bind must be an address or host name of this machine, e.g. 127.0.0.1 or "
          + "0.0.0.0, but \"" + bind + "\" does not resolve", e);
    }
    String dir = props.string("llmbench.reports.dir", "reports");
    return start(Path.of(dir), address, port);
  }

  /** A started server for {@code dir} on {@code address:port} (0: a free port). */
  public static PlotServer start(Path dir, InetAddress address, int port) {
    Path root;
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new ConfigException("the reports directory " + dir.toAbsolutePath() + " does not exist; run a benchmark "
          + "first, or pass -Dllmbench.reports.dir=<dir>", e);
    }
    if (!Files.isDirectory(root)) {
      throw new ConfigException("the reports directory " + root + " is not a directory; pass "
          + "-Dllmbench.reports.dir=<dir>");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 0);
    } catch (BindException e) {
      throw new ConfigException("cannot listen on " + address.getHostAddress() + ":" + port + " (" + e.getMessage()
          + "); stop what uses the port or pass -Dplot.port=<free port>", e);
    } catch (IOException e) {
      throw new ConfigException("cannot listen on " + address.getHostAddress() + ":" + port + " (" + e + "); pass "
          + "another -Dplot.bind or -Dplot.port", e);
    }
    // A few threads, not the dispatcher alone: one slow download must not hold every other page.
    ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "plot-server");
      t.setDaemon(true);
      return t;
    });
    PlotServer plots = new PlotServer(server, workers, root);
    server.createContext("/", plots::handle);
    server.setExecutor(workers);
    server.start();
    return plots;
  }

  /** The directory served, its real path. */
  public Path root() {
    return root;
  }

  /** The port listened on (the one picked when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/}, the host as bound (a wildcard bind shows as 0.0.0.0). */
  public String url() {
    InetAddress a = server.getAddress().getAddress();
    String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "http://" + host + ":" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      answer(ex);
    } catch (java.nio.file.AccessDeniedException e) {
      // A file the server's user may not read: say so rather than drop the connection. (Headers already
      // sent cannot be taken back; then the connection is simply closed.)
      if (ex.getResponseCode() < 0) {
        error(ex, 403, "Forbidden: not readable", ex.getRequestMethod().equals("HEAD"));
      }
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      error(ex, 405, "Method Not Allowed: only GET and HEAD", head);
      return;
    }
    Path file = resolve(ex.getRequestURI().getRawPath());
    if (file == null) {
      error(ex, 403, "Forbidden: outside the reports directory", head);
      return;
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      error(ex, 404, "Not Found", head);
      return;
    }
    // Symbolic links are followed only as far as the directory: one pointing out is refused.
    if (!real.startsWith(root)) {
      error(ex, 403, "Forbidden: outside the reports directory", head);
      return;
    }
    if (Files.isDirectory(real)) {
      String rawPath = ex.getRequestURI().getRawPath();
      if (!rawPath.endsWith("/")) {
        // Relative links in a listing or a result page resolve against the folder only with its slash.
        ex.getResponseHeaders().set("Location", rawPath + "/");
        error(ex, 301, "Moved Permanently", head);
        return;
      }
      Path index = real.resolve("index.html");
      boolean forceList = "list".equals(ex.getRequestURI().getRawQuery());
      if (!forceList && Files.isRegularFile(index) && index.toRealPath().startsWith(root)) {
        sendFile(ex, index.toRealPath(), head);
      } else {
        byte[] page = listing(real, ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
        send(ex, 200, "text/html; charset=utf-8", page, head);
      }
    } else if (Files.isRegularFile(real)) {
      sendFile(ex, real, head);
    } else {
      error(ex, 404, "Not Found", head);
    }
  }

  /**
   * The file a raw request path names under the root, or null when the path tries to leave it: each
   * segment is decoded on its own, so an encoded {@code %2e%2e} or {@code %2f} is seen for what it is.
   * Refused: a {@code .} or {@code ..} segment, a segment holding a slash, backslash or NUL once decoded.
   */
  static Path resolve(Path root, String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    Path file = root;
    for (String raw : rawPath.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      String segment = decode(raw);
      if (segment == null || segment.equals(".") || segment.equals("..") || segment.contains("/")
          || segment.contains("\\") || segment.indexOf('\0') >= 0) {
        return null;
      }
      file = file.resolve(segment);
    }
    // Belt and braces: the segments above cannot climb, so this holds unless the checks are wrong.
    return file.normalize().startsWith(root) ? file : null;
  }

  private Path resolve(String rawPath) {
    return resolve(root, rawPath);
  }

  /** Percent-decoding as UTF-8 ({@code +} stays a plus: this is a path, not a form); null when malformed. */
  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        out[n++] = (byte) c;
      } else {
        return null; // a raw path is ASCII
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /** The content type of a file name, by its extension. */
  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private record Entry(String name, boolean directory, long size, java.time.Instant modified) {}

  private String listing(Path dir, String shownPath) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        // Dot files are the temporary siblings of files being written (TempSibling), not results.
        if (name.startsWith(".")) {
          continue;
        }
        Path real;
        try {
          real = child.toRealPath();
        } catch (IOException e) {
          continue; // a dangling link
        }
        if (!real.startsWith(root)) {
          continue; // would be refused: not listed
        }
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        entries.add(new Entry(name, a.isDirectory(), a.size(), a.lastModifiedTime().toInstant()));
      }
    }
    entries.sort(Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name));
    StringBuilder html = new StringBuilder(4096);
    String title = "Index of " + escape(shownPath);
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 12px;text-align:left}"
            + "td.n{text-align:right;font-variant-numeric:tabular-nums}</style></head>\n<body><h1>")
        .append(title).append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
    if (!dir.equals(root)) {
      html.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
    }
    for (Entry e : entries) {
      String shown = e.name() + (e.directory() ? "/" : "");
      String href = URLEncoder.encode(e.name(), StandardCharsets.UTF_8).replace("+", "%20") + (e.directory() ? "/" : "");
      html.append("<tr><td><a href=\"").append(href).append("\">").append(escape(shown)).append("</a></td><td class=\"n\">")
          .append(e.directory() ? "-" : size(e.size())).append("</td><td>").append(LISTED_TIME.format(e.modified()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n</body></html>\n");
    return html.toString();
  }

  /** A size for people: bytes below 1 KiB, else KiB, MiB or GiB with one decimal. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void sendFile(HttpExchange ex, Path file, boolean head) throws IOException {
    long size = Files.size(file);
    ex.getResponseHeaders().set("Content-Type", contentType(file.getFileName().toString()));
    ex.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant()));
    if (head) {
      // The JDK server sends no Content-Length for HEAD by itself: the length a GET would have.
      ex.getResponseHeaders().set("Content-Length", Long.toString(size));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    // An empty file is sent with length -1 ("no body"): 0 would mean chunked to the JDK server.
    ex.sendResponseHeaders(200, size == 0 ? -1 : size);
    try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void error(HttpExchange ex, int status, String message, boolean head) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", (status + " " + message + "\n").getBytes(StandardCharsets.UTF_8), head);
  }

  /** For a test's failure message. */
  @Override
  public String toString() {
    return "PlotServer[" + root + " on " + url() + "]";
  }
}
