package dev.llmbench.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.metrics.ServingFormulas;
import dev.llmbench.requests.RequestLogWriter;
import dev.llmbench.requests.RequestResult;
import dev.llmbench.stream.Backend;
import dev.llmbench.workload.RandomDataset;
import dev.llmbench.workload.Ticket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The injector benchmark's yardstick ({@code -Dbench.clients=gatling,reference}): a minimal NIO reader
 * of the same streams, so that the client's cost per token event can be set beside the least a JVM
 * client needs on the same machine, in the same hour. The developers' guide measured such a reader at
 * 7–10 µs per event on this VM, but the VM's speed drifts from day to day by more than the gaps
 * that matter here.
 *
 * <p>What it does is what any client must do and no more: one thread, one {@link Selector}, one
 * keep-alive connection per stream; it writes the same request bodies as the serving simulation
 * ({@link Backend#body}, prompts of {@link RandomDataset}, built before the load), stamps
 * {@link System#nanoTime()} after each read, and finds the content events with a byte-at-a-time scan
 * that keeps the last 8 bytes in a {@code long}: an event ends at {@code \n\n}, carries content when
 * {@code "content":"} (chat) or {@code "text":"} (completions) is followed by anything but a quote;
 * E2E ends at {@code [DONE]}, as the simulation's does, and the connection is free again at the
 * chunked body's last chunk. No JSON, no HTTP parser, no statistics while the load runs: the stamps go
 * into a {@code long[]} per connection, and the side file ({@link RequestLogWriter}, the format the
 * benchmark reads for the Gatling client too) is written after the last request. So it is not a client
 * to measure a server with: it knows the emulator's OpenAI-style streams only, stops at the first
 * response that is not a 200 stream and when the server sends nothing for a minute, and counts a
 * connection the server closed as a failed request.
 *
 * <p>It reads the simulation's properties that the benchmark passes to either client:
 * {@code target.url}, {@code num.prompts}, {@code max.concurrency}, {@code random.input.len},
 * {@code random.output.len}, {@code random.range.ratio}, {@code seed}, {@code warmup.requests} and
 * {@code llmbench.results.dir} (the side file goes to {@code <dir>/reference/}); a {@code backend} other
 * than {@code openai-chat} is refused. Warm-ups first, as the simulation's: the first prompt, at most 32
 * tokens (on the load's connections: they warm up this JVM's code, not the server); then the measured
 * requests, closed model.
 */
public final class ReferenceClient {
  private static final long NTENT = word("ntent\":\"");
  private static final long TEXT = word("\"text\":\"");
  private static final long DONE = word("[DONE]");
  private static final long LAST_CHUNK = word("\r\n0\r\n\r\n");
  private static final long HEAD_END = word("\r\n\r\n");
  private static final long EVENT_END = word("\n\n");

  /** A server that sends nothing for this long, with requests open, stops the run. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Selector selector;
  private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
  private final List<RequestResult> results = new ArrayList<>();
  private final byte[] head;
  private Queue<Job> jobs;
  private int running;

  /** A request to send: its id and its body. */
  private record Job(String id, Ticket ticket, boolean warmup, byte[] bytes) {}

  /** One connection and the response it is reading. */
  private final class Conn {
    final SocketChannel channel;
    Job job;
    long sentNanos;
    long sentEpochMicros;
    int state; // 0 head, 1 body
    int headBytes;
    int status;
    long last8;
    boolean quoteNext;
    boolean content;
    long[] stamps = new long[64];
    int events;
    long doneNanos;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }

    void send(Job j) throws IOException {
      job = j;
      state = 0;
      headBytes = 0;
      status = 0;
      last8 = 0;
      quoteNext = false;
      content = false;
      events = 0;
      doneNanos = 0;
      ByteBuffer out = ByteBuffer.wrap(j.bytes);
      // Stamped before the write, as bench_serving and the simulation do: on loopback the server may
      // take the request before the write returns.
      sentNanos = System.nanoTime();
      sentEpochMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
      while (out.hasRemaining()) {
        channel.write(out); // a request is about 1 KiB: the socket's buffer takes it at once
      }
      running++;
    }

    /** Scans what one read brought; true when the response ended. */
    boolean scan(ByteBuffer b, long now) throws IOException {
      int end = b.limit();
      for (int i = b.position(); i < end; i++) {
        int c = b.get(i) & 0xff;
        long w = last8 = last8 << 8 | c;
        switch (state) {
          case 0 -> {
            headBytes++;
            if (headBytes >= 10 && headBytes <= 12) {
              status = status * 10 + (c - '0'); // "HTTP/1.1 200": bytes 10 to 12
            }
            if ((w & 0xFFFF_FFFFL) == HEAD_END) {
              if (status != 200) {
                // Its body has no stream to time, and reading it would take an HTTP parser: a
                // yardstick that met one stops with what it met.
                throw new IOException("HTTP " + status + " for request " + job.id()
                    + "; the reference client reads streams of status 200 only");
              }
              state = 1;
            }
          }
          case 1 -> {
            if (quoteNext) {
              content |= c != '"';
              quoteNext = false;
            }
            if (w == NTENT || w == TEXT) {
              quoteNext = true;
            } else if ((w & 0xFFFF) == EVENT_END) {
              if (content) {
                if (events == stamps.length) {
                  stamps = Arrays.copyOf(stamps, events * 2);
                }
                stamps[events++] = now;
                content = false;
              }
            } else if ((w & 0xFFFF_FFFF_FFFFL) == DONE) {
              doneNanos = now; // the end of E2E, as for the simulation's client
            } else if ((w & 0xFF_FFFF_FFFF_FFFFL) == LAST_CHUNK) {
              return true; // the body's last chunk: the connection is free for the next request
            }
          }
          default -> throw new IllegalStateException("state " + state);
        }
      }
      return false;
    }

    void complete(long now, String error) {
      running--;
      boolean ok = error == null && status == 200 && events > 0;
      long ttft = events > 0 ? (stamps[0] - sentNanos) / 1000 : -1;
      long[] itl = new long[Math.max(0, events - 1)];
      for (int i = 1; i < events; i++) {
        itl[i - 1] = (stamps[i] - stamps[i - 1]) / 1000;
      }
      // Ended at [DONE] as the simulation's client ends it; without one, at the body's end
      long e2e = ((doneNanos != 0 ? doneNanos : now) - sentNanos) / 1000;
      Ticket t = job.ticket();
      results.add(new RequestResult(job.id(), "", job.warmup(), ok,
          ok ? null : error != null ? error : "HTTP " + status + ", " + events + " content events", status,
          sentEpochMicros, sentNanos, t.inputTokens(), t.inputTokens(), t.outputTokens(), events, "events", ttft,
          e2e, ServingFormulas.tpot(e2e, ttft, events), itl, null));
      job = null;
    }
  }

  private ReferenceClient(URI target) throws IOException {
    this.selector = Selector.open();
    this.head = ("POST " + Backend.OPENAI_CHAT.path() + " HTTP/1.1\r\nHost: " + target.getHost() + ":"
        + target.getPort() + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
        + "User-Agent: llm-serving-bench-reference\r\n").getBytes(US_ASCII);
  }

  /** What to run: the simulation's properties of the same names. */
  record Settings(URI target, int prompts, int streams, int warmups, int inputLen, int outputLen, double rangeRatio,
      long seed) {
    /** Read and checked as the simulation reads them ({@link Props}); the benchmark sets every required one. */
    static Settings fromProperties() {
      Props p = Props.system();
      String backend = p.string("backend", Backend.OPENAI_CHAT.wireName());
      if (!backend.equals(Backend.OPENAI_CHAT.wireName())) {
        throw new IllegalArgumentException("-Dbackend=" + backend + ": the reference client sends "
            + Backend.OPENAI_CHAT.wireName() + " requests only");
      }
      for (String key : List.of("target.url", "num.prompts", "max.concurrency", "random.input.len",
          "random.output.len")) {
        required(key);
      }
      return new Settings(URI.create(p.raw("target.url")), p.integer("num.prompts", 0, 1, 10_000_000),
          p.integer("max.concurrency", 0, 1, 1_000_000), p.integer("warmup.requests", 0, 0, 1_000),
          p.integer("random.input.len", 0, 1, 10_000_000), p.integer("random.output.len", 0, 1, 10_000_000),
          p.decimal("random.range.ratio", 1, 0, 1), p.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
    }
  }

  /** Exits 0 when every request succeeded, 1 when one failed, 2 when it could not run (one line on stderr). */
  public static void main(String[] args) {
    List<RequestResult> results;
    Path out;
    try {
      Settings settings = Settings.fromProperties();
      out = Files.createDirectories(Paths.get(required("llmbench.results.dir"), "reference"));
      results = run(settings);
    } catch (IOException | IllegalArgumentException | ConfigException e) {
      System.err.println("reference client: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (RequestLogWriter log = new RequestLogWriter(out.resolve(RequestLogWriter.FILE_NAME))) {
      results.forEach(log::add);
    }
    long failed = results.stream().filter(r -> !r.ok()).count();
    System.out.printf("reference client: %d requests, %d failed%n", results.size(), failed);
    System.exit(failed > 0 ? 1 : 0);
  }

  /** Runs the warm-ups, then the measured requests; their results in the order they ended. */
  static List<RequestResult> run(Settings s) throws IOException {
    // The simulation's seed (default 1): the same prompts and lengths, so the same work for the server
    List<Ticket> tickets = RandomDataset.generate(s.prompts(), s.inputLen(), s.outputLen(), s.rangeRatio(), s.seed());
    ReferenceClient client = new ReferenceClient(s.target());
    try (Selector ignored = client.selector) {
      Queue<Job> warm = new ArrayDeque<>();
      Ticket first = tickets.get(0);
      for (int i = 0; i < s.warmups(); i++) {
        warm.add(client.job("ref-w" + i, new Ticket(i, first.prompt(), first.inputTokens(),
            Math.min(first.outputTokens(), 32), 0, true, ""), true));
      }
      Queue<Job> measured = new ArrayDeque<>();
      for (Ticket t : tickets) {
        measured.add(client.job("ref-" + t.index(), t, false));
      }
      List<Conn> conns = client.connect(new InetSocketAddress(s.target().getHost(), s.target().getPort()),
          s.streams());
      try {
        client.run(conns, warm);
        client.run(conns, measured);
        if (!measured.isEmpty()) {
          throw new IOException(measured.size() + " requests not sent: the server closed every connection");
        }
      } finally {
        for (Conn c : conns) {
          c.channel.close();
        }
      }
    }
    return client.results;
  }

  private Job job(String id, Ticket t, boolean warmup) {
    byte[] body = Backend.OPENAI_CHAT.body(null, t.prompt(), t.outputTokens());
    byte[] rest = ("X-Request-Id: " + id + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + rest.length + body.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    System.arraycopy(body, 0, all, head.length + rest.length, body.length);
    return new Job(id, t, warmup, all);
  }

  private List<Conn> connect(InetSocketAddress address, int streams) throws IOException {
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      SocketChannel ch;
      try {
        ch = SocketChannel.open(address);
      } catch (IOException e) {
        throw new IOException("cannot connect to " + address.getHostString() + ":" + address.getPort() + " ("
            + e.getMessage() + ")", e);
      }
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      Conn c = new Conn(ch);
      ch.register(selector, SelectionKey.OP_READ, c);
      conns.add(c);
    }
    return conns;
  }

  /**
   * Runs the jobs with every connection busy while jobs remain; returns when the last one ended. A
   * connection the server closed or reset ends its request as failed and is dropped.
   */
  private void run(List<Conn> conns, Queue<Job> queue) throws IOException {
    jobs = queue;
    for (Conn c : conns) {
      if (!jobs.isEmpty()) {
        c.send(jobs.poll());
      }
    }
    long progress = System.nanoTime();
    while (running > 0) {
      if (selector.select(1_000) == 0) {
        if (System.nanoTime() - progress > STALL_NANOS) {
          throw new IOException("no byte from the server for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
              + " s with " + running + " requests open");
        }
        continue;
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Conn c = (Conn) key.attachment();
        in.clear();
        int n;
        try {
          n = c.channel.read(in);
        } catch (IOException e) {
          n = -1; // reset by the server: as a close
        }
        long now = progress = System.nanoTime();
        if (n < 0) {
          if (c.job != null) {
            c.complete(now, "connection closed by the server");
          }
          key.cancel();
          c.channel.close();
          conns.remove(c);
          continue;
        }
        if (c.job == null) {
          continue; // nothing expected
        }
        in.flip();
        if (c.scan(in, now)) {
          c.complete(now, null);
          if (!jobs.isEmpty()) {
            c.send(jobs.poll());
          }
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static String required(String key) {
    String v = Props.system().raw(key);
    if (v == null) {
      throw new IllegalArgumentException("-D" + key + " is required");
    }
    return v;
  }

  /** Up to 8 ASCII bytes as the {@code long} the scan's last bytes make, the last byte lowest. */
  private static long word(String s) {
    long w = 0;
    for (byte b : s.getBytes(US_ASCII)) {
      w = w << 8 | (b & 0xff);
    }
    return w;
  }
}
