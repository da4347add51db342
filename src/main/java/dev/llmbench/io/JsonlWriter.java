package dev.llmbench.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one JSON object per line from one background thread, so that the threads that produce the
 * rows (Netty event loops) never touch the disk nor wait for it. Nothing queued is lost: the queue is
 * unbounded and {@link #close()} writes it all before closing the file.
 *
 * <p>Adding a row never wakes the writer: it drains the queue every {@value #DRAIN_MILLIS} ms. With a
 * blocking queue every row signalled the sleeping writer, a futex wake-up system call on the event
 * loop per request (docs/injector-efficiency.md, "What made the difference").
 *
 * @param <T> the row type, serialised by a {@link Serializer}
 */
public final class JsonlWriter<T> implements Closeable {

  /** Writes one row as one JSON object. */
  @FunctionalInterface
  public interface Serializer<T> {
    void write(JsonGenerator gen, T row) throws IOException;
  }

  private static final Object END = new Object();
  static final long DRAIN_MILLIS = 50;

  private final Path path;
  private final Serializer<T> serializer;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final OutputStream out;
  private final JsonGenerator gen;
  private volatile IOException failure;
  private volatile int written;

  /**
   * Opens {@code path} with {@code options} (e.g. {@code CREATE_NEW} to never overwrite) and starts
   * the writer thread, named {@code threadName}.
   */
  public JsonlWriter(Path path, String threadName, Serializer<T> serializer, OpenOption... options) {
    this.path = path;
    this.serializer = serializer;
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      out = new BufferedOutputStream(Files.newOutputStream(path, options), 1 << 16);
      gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      gen.setRootValueSeparator(new SerializedString("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
    }
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  public Path path() {
    return path;
  }

  /** Queues a row; never blocks. */
  public void add(T row) {
    queue.add(row);
  }

  /** Rows written so far. */
  public int written() {
    return written;
  }

  @SuppressWarnings("unchecked")
  private void run() {
    try {
      while (true) {
        Object row;
        boolean any = false;
        while ((row = queue.poll()) != null) {
          if (row == END) {
            gen.writeRaw('\n');
            gen.flush();
            return;
          }
          serializer.write(gen, (T) row);
          written++;
          any = true;
        }
        if (any) {
          gen.flush();
        }
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS));
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  /** Writes everything queued and closes the file; a write failure surfaces here. */
  @Override
  public void close() {
    queue.add(END);
    LockSupport.unpark(thread);
    try {
      thread.join(60_000);
      gen.close();
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
    if (failure != null) {
      throw new UncheckedIOException("writing " + path + " failed: " + failure.getMessage(), failure);
    }
  }
}
