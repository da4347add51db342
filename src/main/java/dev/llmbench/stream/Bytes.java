package dev.llmbench.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches in arrays, eight bytes at a time (SWAR: a word is tested for the byte with a few
 * arithmetic operations, then the first match is located with a trailing-zero count). Every token
 * event is scanned a few times (for its end, then for the fields that matter); on the C1 compiler the
 * load generator runs with, a 230-byte OpenAI chunk took 117 ns per pass byte by byte and 51 ns this
 * way (a main-class micro-benchmark, -XX:TieredStopAtLevel=1).
 */
final class Bytes {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Bytes() {}

  /** The first index of {@code value} in {@code b[from, to)}, or -1. */
  static int indexOf(byte[] b, int from, int to, byte value) {
    long pattern = (value & 0xFFL) * ONES;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long w = (long) LONGS.get(b, i) ^ pattern; // a zero byte where value is
      long zeros = (w - ONES) & ~w & HIGHS; // exact for the lowest zero byte, which is the one we want
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** The first index of {@code needle} in {@code hay[from, to)}, or -1. */
  static int indexOf(byte[] hay, int from, int to, byte[] needle) {
    byte first = needle[0];
    int last = to - needle.length;
    int i = from;
    outer:
    while (i <= last) {
      i = indexOf(hay, i, last + 1, first);
      if (i < 0) {
        return -1;
      }
      for (int j = 1; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          i++;
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
