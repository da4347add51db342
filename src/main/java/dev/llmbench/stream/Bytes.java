package dev.llmbench.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte searches in arrays, eight bytes at a time (SWAR: a word is tested for the byte with a few
 * arithmetic operations, then the first match is located with a trailing-zero count). Every token
 * event is scanned a few times (for its end, then for the fields that matter), so each pass counts
 * (docs/injector-efficiency.md, "What made the difference").
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
        return i + lowestByte(zeros);
      }
    }
    for (; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Which byte of {@code word}, whose set bits are all byte tops ({@code 0x80}), is the lowest with a
   * set bit. Multiplies instead of counting trailing zeros: C1 does not compile
   * {@code Long.numberOfTrailingZeros} to one instruction (it showed as Java frames in the profile).
   */
  private static int lowestByte(long word) {
    // (word & -word) >>> 7 is 1 << 8k for the lowest set byte k; times the constant, whose byte j
    // holds 7 - j, it brings k to the top byte.
    return (int) ((((word & -word) >>> 7) * 0x0001020304050607L) >>> 56);
  }

  /**
   * A byte string to search for, with the byte to look for first: the one least common in JSON text.
   * Keys start with a quote, the most frequent byte of a JSON chunk, and a search led by it stops at
   * every field (docs/injector-efficiency.md, "What made the difference").
   */
  record Needle(byte[] bytes, int anchor) {
    static Needle of(String text) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      return new Needle(b, leastCommonByte(b));
    }

    int length() {
      return bytes.length;
    }
  }

  /** Whether {@code b[p, end)} starts with {@code prefix}. */
  static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
    if (end - p < prefix.length) {
      return false;
    }
    for (int j = 0; j < prefix.length; j++) {
      if (b[p + j] != prefix[j]) {
        return false;
      }
    }
    return true;
  }

  /** The first index of {@code needle} in {@code hay[from, to)}, or -1. */
  static int indexOf(byte[] hay, int from, int to, Needle needle) {
    byte[] n = needle.bytes;
    int anchor = needle.anchor;
    byte key = n[anchor];
    int last = to - n.length;
    int i = from;
    outer:
    while (i <= last) {
      int at = indexOf(hay, i + anchor, last + anchor + 1, key);
      if (at < 0) {
        return -1;
      }
      i = at - anchor;
      for (int j = 0; j < n.length; j++) {
        if (hay[i + j] != n[j]) {
          i++;
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int leastCommonByte(byte[] needle) {
    int best = 0;
    for (int j = 1; j < needle.length; j++) {
      if (commonness(needle[j]) < commonness(needle[best])) {
        best = j;
      }
    }
    return best;
  }

  private static int commonness(byte c) {
    return switch (c) {
      case '"' -> 9;
      case ':', ',' -> 8;
      case ' ' -> 7;
      case 'e', 't', 'a', 'o', 'i', 'n', 's', 'r', 'l', 'c', 'd', 'h', 'u' -> 5;
      case '{', '}', '[', ']', '_', 'x', 'z', 'q', 'j', 'k', 'v', 'w', 'y' -> 1;
      default -> c >= '0' && c <= '9' ? 4 : 3;
    };
  }
}
