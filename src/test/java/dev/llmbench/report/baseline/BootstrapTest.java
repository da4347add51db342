package dev.llmbench.report.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbench.report.stats.Numpy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  /**
   * A replicate's statistics (weighted by draw counts, in one pass) are numpy's over the drawn values
   * written out, for every small pool: there p95's and p99's ranks coincide or interleave.
   */
  @Test
  void aReplicatesPercentilesAreNumpysOfTheDrawnValuesForEverySize() {
    Random random = new Random(7);
    for (int requests = 1; requests <= 40; requests++) {
      for (int valuesPerRequest = 1; valuesPerRequest <= 3; valuesPerRequest++) {
        int size = requests * valuesPerRequest;
        long[] packed = new long[size];
        double[] valueOf = new double[size];
        for (int v = 0; v < size; v++) {
          valueOf[v] = random.nextInt(1_000_000) / 10_000.0; // ms, on the 0.1 µs grid that packing keeps
          packed[v] = Bootstrap.Pooled.pack(valueOf[v], v % requests);
        }
        Bootstrap.Pooled pooled = new Bootstrap.Pooled(packed, size, requests);
        for (int replicate = 0; replicate < 20; replicate++) {
          int[] counts = new int[requests];
          for (int k = 0; k < requests; k++) {
            counts[random.nextInt(requests)]++;
          }
          List<Double> drawn = new ArrayList<>();
          for (int v = 0; v < size; v++) {
            for (int c = 0; c < counts[v % requests]; c++) {
              drawn.add(valueOf[v]);
            }
          }
          double[] sorted = drawn.stream().mapToDouble(Double::doubleValue).sorted().toArray();
          double[] stats = pooled.stats(counts);
          String where = requests + " requests x " + valuesPerRequest + " values, replicate " + replicate;
          assertEquals(drawn.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), stats[0], 1e-9, where);
          assertEquals(Numpy.percentile(sorted, 50), stats[1], 1e-9, "median, " + where);
          assertEquals(Numpy.percentile(sorted, 95), stats[2], 1e-9, "p95, " + where);
          assertEquals(Numpy.percentile(sorted, 99), stats[3], 1e-9, "p99, " + where);
        }
      }
    }
  }
}
