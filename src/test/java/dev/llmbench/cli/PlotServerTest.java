package dev.llmbench.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plot server in-process on a free port, over a made-up reports directory: listings, content types and
 * bytes, and every way out of the directory refused. Paths that climb are sent over a raw socket, since
 * HTTP clients normalize {@code ..} away before sending.
 */
class PlotServerTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir
  Path work;

  private Path reports;
  private byte[] png;
  private PlotServer server;

  @BeforeEach
  void setUp() throws IOException {
    reports = Files.createDirectories(work.resolve("reports"));
    Path run = Files.createDirectories(reports.resolve("emulator").resolve("smoke-20260101-000000"));
    png = new byte[3000];
    new Random(7).nextBytes(png);
    Files.write(run.resolve("ttft.png"), png);
    Files.writeString(run.resolve("summary.json"), "{}");
    Files.writeString(reports.resolve("notes with space.md"), "# notes");
    Files.writeString(work.resolve("secret.txt"), "outside");
    server = PlotServer.start(reports, InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The status line's code of a request sent as written, path untouched. */
  private int raw(String method, String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = s.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(response.substring(9, 12));
    }
  }

  @Test
  void rootListsItsEntriesAsLinksFoldersFirst() throws Exception {
    HttpResponse<byte[]> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String html = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("<a href=\"emulator/\">emulator/</a>"), html);
    assertTrue(html.contains("<a href=\"notes%20with%20space.md\">notes with space.md</a>"), html);
    assertTrue(html.indexOf("emulator/") < html.indexOf("notes with space.md"), "folders first: " + html);
    assertFalse(html.contains("secret"), html);
  }

  @Test
  void aResultFolderListsItsFilesWithSizes() throws Exception {
    HttpResponse<byte[]> r = get("/emulator/smoke-20260101-000000/");
    String html = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(200, r.statusCode());
    assertTrue(html.contains("href=\"summary.json\""), html);
    assertTrue(html.contains(PlotServer.size(png.length)), html);
    assertTrue(html.indexOf("summary.json") < html.indexOf("ttft.png"), "sorted by name: " + html);
    assertTrue(html.contains("href=\"../\""), html);
  }

  @Test
  void aFolderWithoutItsSlashIsRedirectedSoRelativeLinksWork() throws Exception {
    HttpResponse<byte[]> r = get("/emulator");
    assertEquals(301, r.statusCode());
    assertEquals("/emulator/", r.headers().firstValue("Location").orElse(""));
  }

  @Test
  void aFolderWithAnIndexPageServesItUnlessAskedToList() throws Exception {
    Files.writeString(reports.resolve("emulator").resolve("index.html"), "<p>page</p>");
    assertEquals("<p>page</p>", new String(get("/emulator/").body(), StandardCharsets.UTF_8));
    assertTrue(new String(get("/emulator/?list").body(), StandardCharsets.UTF_8).contains("smoke-20260101-000000/"));
  }

  @Test
  void aPngIsServedAsAnImageWithItsBytes() throws Exception {
    HttpResponse<byte[]> r = get("/emulator/smoke-20260101-000000/ttft.png");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
    assertArrayEquals(png, r.body());
  }

  @Test
  void headGivesTheLengthWithoutTheBody() throws Exception {
    HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url()
        + "emulator/smoke-20260101-000000/ttft.png")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(Long.toString(png.length), r.headers().firstValue("Content-Length").orElse(""));
    assertEquals(0, r.body().length);
  }

  @Test
  void contentTypesFollowTheExtension() {
    assertEquals("image/png", PlotServer.contentType("a.PNG"));
    assertTrue(PlotServer.contentType("index.html").startsWith("text/html"));
    assertTrue(PlotServer.contentType("summary.csv").startsWith("text/csv"));
    assertEquals("application/json", PlotServer.contentType("summary.json"));
    assertTrue(PlotServer.contentType("comparison.md").startsWith("text/markdown"));
    assertTrue(PlotServer.contentType("crontab_rules.txt").startsWith("text/plain"));
    assertEquals("application/octet-stream", PlotServer.contentType("simulation.log.gz"));
  }

  @Test
  void pathsClimbingOutAreRefused() throws Exception {
    for (String path : new String[] {"/../secret.txt", "/emulator/../../secret.txt", "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt", "/emulator/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/%2e%2e%5csecret.txt"}) {
      int status = raw("GET", path);
      assertTrue(status == 403 || status == 404 || status == 400, path + " answered " + status);
    }
    assertEquals(403, raw("GET", "/../secret.txt"));
    assertEquals(403, raw("GET", "/%2e%2e/secret.txt"));
  }

  @Test
  void anAbsolutePathIsReadUnderTheDirectory() throws Exception {
    // "//<absolute path>" is a path under the root with empty segments, never the file system's root.
    assertEquals(404, raw("GET", "/" + work.resolve("secret.txt").toAbsolutePath()));
  }

  @Test
  void aSymbolicLinkLeavingTheDirectoryIsRefusedAndNotListed() throws Exception {
    Files.createSymbolicLink(reports.resolve("out.txt"), work.resolve("secret.txt"));
    Files.createSymbolicLink(reports.resolve("outdir"), work);
    assertEquals(403, get("/out.txt").statusCode());
    assertEquals(403, get("/outdir/secret.txt").statusCode());
    String html = new String(get("/").body(), StandardCharsets.UTF_8);
    assertFalse(html.contains("out.txt") || html.contains("outdir"), html);
  }

  @Test
  void aSymbolicLinkInsideTheDirectoryIsServed() throws Exception {
    Files.createSymbolicLink(reports.resolve("latest"), reports.resolve("emulator").resolve("smoke-20260101-000000"));
    assertArrayEquals(png, get("/latest/ttft.png").body());
  }

  @Test
  void onlyGetAndHeadAreAllowed() throws Exception {
    HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url()))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, r.statusCode());
    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
    assertEquals(405, raw("DELETE", "/notes%20with%20space.md"));
  }

  @Test
  void aMissingFileIs404() throws Exception {
    assertEquals(404, get("/emulator/nothing.png").statusCode());
    assertEquals(404, get("/nothing/").statusCode());
  }

  @Test
  void startUpErrorsAreOneLineSayingHowToFix() throws IOException {
    ConfigException badPort = assertThrows(ConfigException.class, () -> PlotServer.fromProperties(
        Props.of(Map.of("plot.port", "eighty", "llmbench.reports.dir", reports.toString()))));
    assertTrue(badPort.getMessage().contains("plot.port"), badPort.getMessage());
    ConfigException outOfRange = assertThrows(ConfigException.class, () -> PlotServer.fromProperties(
        Props.of(Map.of("plot.port", "70000", "llmbench.reports.dir", reports.toString()))));
    assertTrue(outOfRange.getMessage().contains("plot.port"), outOfRange.getMessage());

    ConfigException missing = assertThrows(ConfigException.class, () -> PlotServer.fromProperties(
        Props.of(Map.of("plot.port", "0", "llmbench.reports.dir", work.resolve("none").toString()))));
    assertTrue(missing.getMessage().contains("-Dllmbench.reports.dir"), missing.getMessage());

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ConfigException inUse = assertThrows(ConfigException.class, () -> PlotServer.fromProperties(Props.of(Map.of(
          "plot.port", Integer.toString(taken.getLocalPort()), "llmbench.reports.dir", reports.toString()))));
      assertTrue(inUse.getMessage().contains("-Dplot.port"), inUse.getMessage());
    }
    for (ConfigException e : new ConfigException[] {badPort, missing}) {
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void itBindsToLoopbackByDefault() {
    try (PlotServer s = PlotServer.fromProperties(Props.of(Map.of("plot.port", "0",
        "llmbench.reports.dir", reports.toString())))) {
      assertTrue(s.url().startsWith("http://127.0.0.1:") || s.url().startsWith("http://[::1]:"), s.url());
    }
  }
}
