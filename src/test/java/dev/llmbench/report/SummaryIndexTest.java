package dev.llmbench.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.io.PosixModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryIndexTest {
  @TempDir
  Path reports;

  @Test
  void theIndexIsReplacedAndGetsTheUmasksModeNotOwnerOnly() throws IOException {
    SummaryIndex.rebuild(reports);
    Path index = SummaryIndex.rebuild(reports);
    assertEquals(reports.resolve("summary").resolve("index.csv"), index);
    assertTrue(Files.readString(index).startsWith("framework,result_folder,group,"));
    try (Stream<Path> s = Files.list(index.getParent())) {
      assertEquals(List.of(index), s.toList(), "no temporary file left behind");
    }
    PosixModes.assertAsUmask(index);
  }
}
