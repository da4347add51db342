package dev.llmbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {
  @TempDir
  Path dir;

  private List<String> read(String content) throws IOException {
    Path file = Files.writeString(dir.resolve("f.jsonl"), content);
    List<String> rows = new ArrayList<>();
    JsonLines.read(file, (lineNo, v) -> rows.add(lineNo + ":" + v.path("a").asInt()));
    return rows;
  }

  @Test
  void everyNonBlankLineInOrderWithItsNumber() throws IOException {
    assertEquals(List.of("1:1", "3:2", "4:3"), read("{\"a\":1}\n\n{\"a\":2}\n{\"a\":3}\n"));
  }

  @Test
  void aBadLineNamesFileAndLineAndSaysWhetherOnlyBlankLinesFollowIt() {
    JsonLines.BadLine middle = assertThrows(JsonLines.BadLine.class, () -> read("{\"a\":1}\n{\"a\":\n{\"a\":3}\n"));
    assertEquals(2, middle.lineNo());
    assertFalse(middle.last());
    assertTrue(middle.getMessage().startsWith(dir.resolve("f.jsonl") + ":2: not valid JSON: "), middle.getMessage());
    JsonLines.BadLine cut = assertThrows(JsonLines.BadLine.class, () -> read("{\"a\":1}\n{\"a\":2}\n{\"a\n\n"));
    assertEquals(3, cut.lineNo());
    assertTrue(cut.last(), "a file cut short while written");
  }

  /** Lines end as BufferedReader's do: LF, CRLF or a lone CR; the last needs no terminator. */
  @Test
  void linesEndWithLfCrlfOrALoneCr() throws IOException {
    assertEquals(List.of("1:1", "2:2", "4:3", "5:4"), read("{\"a\":1}\r\n{\"a\":2}\r\r{\"a\":3}\n{\"a\":4}"));
  }

  /** A line longer than the read buffer, and lines split across its refills, are read whole. */
  @Test
  void longLinesAndLinesAcrossRefillsAreReadWhole() throws IOException {
    StringBuilder content = new StringBuilder();
    List<String> expected = new ArrayList<>();
    String pad = "x".repeat(200_000);
    for (int i = 1; i <= 3_000; i++) {
      content.append("{\"a\":").append(i).append(",\"p\":\"").append(i == 7 ? pad : "y".repeat(i % 97))
          .append("\"}").append(i % 2 == 0 ? "\r\n" : "\n");
      expected.add(i + ":" + i);
    }
    assertEquals(expected, read(content.toString()));
  }
}
