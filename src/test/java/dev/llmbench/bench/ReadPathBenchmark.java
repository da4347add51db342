package dev.llmbench.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.llmbench.stream.HttpResponseReader;
import dev.llmbench.stream.SseScanner;
import dev.llmbench.stream.StreamDecoder;
import dev.llmbench.stream.StreamRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Locale;

/**
 * Java time per token event of the read path, without the network: one chunked-encoded OpenAI
 * chunk read by {@link HttpResponseReader}, scanned by {@link SseScanner} and decoded by
 * {@link StreamDecoder}, as a stream loop does for every event. Not a test. Run it on C1, as the
 * load generator runs:
 *
 * <pre>
 * mvn -q test-compile exec:exec@read-path-benchmark -Dbench.args="-XX:TieredStopAtLevel=1"
 * </pre>
 *
 * Prints the time of each of 8 rounds of 2 million events; the best round is the figure quoted.
 */
public final class ReadPathBenchmark {
  private ReadPathBenchmark() {}

  public static void main(String[] args) throws HttpResponseReader.HttpException {
    String data = "data: {\"id\":\"cmpl-llmb-5f2a9-1234\",\"object\":\"text_completion\",\"created\":1732480000,"
        + "\"model\":\"llmb-emulator\",\"choices\":[{\"index\":0,\"text\":\" lorem\",\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n";
    ByteBuf chunk = Unpooled.directBuffer(1024)
        .writeBytes((Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(US_ASCII));
    SseScanner scanner = new SseScanner();
    StreamRecord record = new StreamRecord(1024);
    HttpResponseReader reader = new HttpResponseReader();
    HttpResponseReader.Listener listener = new HttpResponseReader.Listener() {
      @Override
      public void head(int status, boolean keepAlive) {}

      @Override
      public void body(ByteBuf in, int index, int length) {
        scanner.append(in, index, length);
      }

      @Override
      public void end() {}
    };
    reader.read(Unpooled.wrappedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(US_ASCII)),
        listener);
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 8; round++) {
      int events = 2_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < events; i++) {
        if (record.contentEvents() == 1000) {
          record.reset();
        }
        reader.read(chunk, listener);
        scanner.drain(i, StreamDecoder.OPENAI_COMPLETIONS, record);
      }
      double ns = (System.nanoTime() - t0) / (double) events;
      best = Math.min(best, ns);
      System.out.printf(Locale.ROOT, "round %d: %.0f ns per event%n", round + 1, ns);
    }
    if (record.contentEvents() == 0) {
      throw new IllegalStateException("no content event decoded: the benchmark measures nothing");
    }
    System.out.printf(Locale.ROOT, "best: %.0f ns per event (framing, SSE scan, decode)%n", best);
  }
}
