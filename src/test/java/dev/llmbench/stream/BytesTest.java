package dev.llmbench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesTest {

  private static int naive(byte[] b, int from, int to, byte v) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void findsTheFirstMatchAtEveryPositionAndAlignment() {
    // Every start, end and match position over 40 bytes, with bytes next to the value (0x09, 0x0b,
    // 0x8a) and high bytes that trip naive word tricks into false or missed matches.
    byte[] noise = {0x09, 0x0b, (byte) 0x8a, (byte) 0xff, 0x00, 'd', 0x0a - 1};
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      byte[] b = new byte[40];
      for (int i = 0; i < b.length; i++) {
        b[i] = noise[random.nextInt(noise.length)];
      }
      int matches = random.nextInt(3);
      for (int m = 0; m < matches; m++) {
        b[random.nextInt(b.length)] = '\n';
      }
      for (int from = 0; from <= b.length; from++) {
        for (int to = from; to <= b.length; to++) {
          assertEquals(naive(b, from, to, (byte) '\n'), Bytes.indexOf(b, from, to, (byte) '\n'),
              "from " + from + " to " + to);
          assertEquals(naive(b, from, to, (byte) 0xff), Bytes.indexOf(b, from, to, (byte) 0xff));
        }
      }
    }
  }

  @Test
  void findsANeedleOnlyWhenWhollyInsideTheRange() {
    byte[] hay = "{\"choices\":[{\"delta\":{\"content\":\"c\"}}],\"usage\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);
    Bytes.Needle needle = Bytes.Needle.of("content\":\"");
    String text = new String(hay, StandardCharsets.UTF_8);
    int at = text.indexOf("content\":\"");
    assertEquals(at, Bytes.indexOf(hay, 0, hay.length, needle));
    assertEquals(at, Bytes.indexOf(hay, at, at + needle.length(), needle));
    assertEquals(-1, Bytes.indexOf(hay, at, at + needle.length() - 1, needle));
    assertEquals(-1, Bytes.indexOf(hay, at + 1, hay.length, needle));
    Bytes.Needle usage = Bytes.Needle.of("\"usage\":{");
    assertEquals(text.indexOf("\"usage\":{"), Bytes.indexOf(hay, 0, hay.length, usage));
    // Partial matches before the real one ("c" of choices, of "c" the value) are stepped over.
    assertEquals(text.indexOf("\"c\""), Bytes.indexOf(hay, 0, hay.length, Bytes.Needle.of("\"c\"")));
  }

  @Test
  void findsEveryNeedleWhereverItsAnchorFalls() {
    // Needles led by a quote but searched by a rarer byte inside; hay full of near misses and of the
    // anchor byte alone, every range: the result is String.indexOf's within the range.
    String[] needles = {"\"usage\":{", "\"text\":\"", "content\":\"", "\"completion_tokens\":", "\"a\"", "x"};
    String[] parts = {"\"", "usage", "\"usage\":", "{", "\"text\"", "x", "_tokens", ":", "\"a\"", " ", "content\":"};
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < 48) {
        sb.append(parts[random.nextInt(parts.length)]);
      }
      String text = sb.toString();
      byte[] hay = text.getBytes(StandardCharsets.US_ASCII);
      for (String n : needles) {
        Bytes.Needle needle = Bytes.Needle.of(n);
        for (int from = 0; from <= hay.length; from += 3) {
          for (int to = from; to <= hay.length; to += 2) {
            int expected = text.substring(0, to).indexOf(n, from);
            assertEquals(expected, Bytes.indexOf(hay, from, to, needle), n + " in '" + text + "' [" + from + ", " + to + ")");
          }
        }
      }
    }
  }
}
