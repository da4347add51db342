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
}
