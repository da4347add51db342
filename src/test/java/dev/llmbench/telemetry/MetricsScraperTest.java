package dev.llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsScraperTest {
  @TempDir Path dir;

  private static HttpServer server(int status, AtomicInteger calls, List<String> auth) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/metrics", ex -> {
      int n = calls.incrementAndGet();
      auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      byte[] body = ("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes " + (1000 + n)
          + "\nlabelled{q=\"a\\\"b\"} 1\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, status == 200 ? body.length : -1);
      if (status == 200) {
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
      }
      ex.close();
    });
    s.start();
    return s;
  }

  private static URI base(HttpServer s) {
    return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
  }

  /** Waits (without a wall-clock verdict: the test's own timeout bounds it) for n scrapes. */
  private static void awaitScrapes(MetricsScraper m, int n) throws InterruptedException {
    while (m.scrapes() < n) {
      assertTrue(m.problem().isEmpty(), () -> m.problem().get());
      Thread.sleep(10);
    }
  }

  @Test
  void scrapesThePageRepeatedlyAndSendsHeadersWithoutWritingThem() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> auth = new CopyOnWriteArrayList<>();
    HttpServer s = server(200, calls, auth);
    Path file = dir.resolve("sub/metrics.jsonl");
    try (MetricsScraper m = MetricsScraper.start(URI.create(base(s) + "/"), file, Duration.ofMillis(30),
        Map.of("Authorization", "Bearer s3cret-token"))) {
      assertEquals(URI.create(base(s) + "/metrics"), m.metricsUrl());
      awaitScrapes(m, 3);
    } finally {
      s.stop(0);
    }
    List<MetricsScraper.Scrape> scrapes = MetricsScraper.read(file);
    assertTrue(scrapes.size() >= 3, "scrapes: " + scrapes.size());
    for (int i = 0; i < scrapes.size(); i++) {
      MetricsScraper.Scrape sc = scrapes.get(i);
      assertTrue(sc.ok(), sc.toString());
      assertEquals(1000 + i + 1, PrometheusText.parse(sc.text()).value("process_resident_memory_bytes").getAsDouble());
      assertEquals("a\"b", PrometheusText.parse(sc.text()).samples().get(1).labels().get("q"));
      if (i > 0) {
        assertTrue(sc.epochMillis() >= scrapes.get(i - 1).epochMillis());
      }
    }
    assertTrue(auth.stream().allMatch("Bearer s3cret-token"::equals), auth.toString());
    assertFalse(Files.readString(file).contains("s3cret"), "the token must not reach the file");
  }

  @Test
  void aroundTheLoadScrapesOnceBeforeThenRepeatedlyThenOnceAfterWithMonotonicStamps() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer s = server(200, calls, new CopyOnWriteArrayList<>());
    Path file = dir.resolve("metrics.jsonl");
    int beforeClose;
    long closedAt;
    try {
      URI url = URI.create(base(s) + "/metrics");
      MetricsScraper m = MetricsScraper.startAround(url, file, Duration.ofMillis(30), Map.of());
      assertTrue(m.answered());
      assertEquals(1, m.scrapes(), "the first scrape is in the file before startAround returns");
      awaitScrapes(m, 3);
      m.close();
      closedAt = System.nanoTime();
      beforeClose = calls.get();
      m.close(); // a second close scrapes no more
    } finally {
      s.stop(0);
    }
    List<MetricsScraper.Scrape> scrapes = MetricsScraper.read(file);
    assertEquals(beforeClose, scrapes.size(), "every call written, the one after the load included");
    for (int i = 1; i < scrapes.size(); i++) {
      assertTrue(scrapes.get(i).nanos() > scrapes.get(i - 1).nanos(), "monotonic stamps in order");
    }
    assertTrue(scrapes.get(scrapes.size() - 1).nanos() < closedAt);
  }

  @Test
  void aroundTheLoadAServerThatDoesNotAnswerIsScrapedOnceOnly() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer s = server(404, calls, new CopyOnWriteArrayList<>());
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsScraper m = MetricsScraper.startAround(URI.create(base(s) + "/metrics"), file, Duration.ofMillis(10),
        Map.of())) {
      assertFalse(m.answered());
      assertEquals("HTTP 404", m.firstError());
    } finally {
      s.stop(0);
    }
    assertEquals(1, calls.get(), "no scraping after a first scrape that failed, none on close");
    assertEquals(1, MetricsScraper.read(file).size());
  }

  /** A redirect is not followed (the page is the target's own), and an answer other than 200 is its status. */
  @Test
  void aRedirectIsAnErrorLineNotFollowed() throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger elsewhere = new AtomicInteger();
    s.createContext("/metrics", ex -> {
      ex.getResponseHeaders().add("Location", "/elsewhere");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    s.createContext("/elsewhere", ex -> {
      elsewhere.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    s.start();
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsScraper m = MetricsScraper.start(base(s), file, Duration.ofMillis(30), Map.of())) {
      awaitScrapes(m, 2);
    } finally {
      s.stop(0);
    }
    assertEquals("HTTP 302", MetricsScraper.read(file).get(0).error());
    assertEquals(0, elsewhere.get());
  }

  @Test
  void aServerWithoutMetricsGivesErrorLines() throws Exception {
    HttpServer s = server(404, new AtomicInteger(), new CopyOnWriteArrayList<>());
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsScraper m = MetricsScraper.start(base(s), file, Duration.ofMillis(30), Map.of())) {
      awaitScrapes(m, 2);
    } finally {
      s.stop(0);
    }
    List<MetricsScraper.Scrape> scrapes = MetricsScraper.read(file);
    assertTrue(scrapes.size() >= 2);
    assertFalse(scrapes.get(0).ok());
    assertEquals("HTTP 404", scrapes.get(0).error());
  }

  @Test
  void anUnreachableServerGivesErrorLinesNotExceptions() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsScraper m = MetricsScraper.start(URI.create("http://127.0.0.1:" + port), file, Duration.ofMillis(30),
        Map.of())) {
      awaitScrapes(m, 1);
    }
    MetricsScraper.Scrape first = MetricsScraper.read(file).get(0);
    assertFalse(first.ok());
    assertTrue(first.error().contains("Connect"), first.error());
  }

  @Test
  void anUnwritableFileIsAProblemNotAnException() throws Exception {
    Path blocker = Files.writeString(dir.resolve("file"), "x");
    try (MetricsScraper m = MetricsScraper.start(URI.create("http://127.0.0.1:1"), blocker.resolve("metrics.jsonl"),
        Duration.ofSeconds(1), Map.of())) {
      assertTrue(m.problem().isPresent());
      assertTrue(m.problem().get().contains("cannot write"), m.problem().get());
      assertEquals(0, m.scrapes());
    }
    assertThrows(IllegalArgumentException.class,
        () -> MetricsScraper.start(URI.create("http://x"), dir.resolve("m"), Duration.ZERO, Map.of()));
  }

  @Test
  void readToleratesATruncatedLastLineOnly() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "{\"epochMillis\":1,\"text\":\"a 1\\n\"}\n{\"epochMillis\":2,\"error\":\"HTTP 404\"}\n"
        + "{\"epochMillis\":3,\"te");
    List<MetricsScraper.Scrape> scrapes = MetricsScraper.read(file);
    assertEquals(List.of(new MetricsScraper.Scrape(1, "a 1\n", null), new MetricsScraper.Scrape(2, null, "HTTP 404")),
        scrapes);

    Files.writeString(file, "{\"epochMillis\":1,\"te\n{\"epochMillis\":2,\"error\":\"HTTP 404\"}\n");
    assertThrows(IOException.class, () -> MetricsScraper.read(file));

    Files.writeString(file, "{\"epochMillis\":\"soon\",\"error\":\"x\"}\n");
    IOException e = assertThrows(IOException.class, () -> MetricsScraper.read(file));
    assertTrue(e.getMessage().contains(":1: "), e.getMessage());
  }
}
